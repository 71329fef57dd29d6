import Foundation

/// The Aionvision API key, from `AIONVISION_API_KEY` only (never from a manifest). Printing it
/// shows a mask, so a key can end up in no message or log by accident.
public struct AionvisionCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let environmentVariable = "AIONVISION_API_KEY"
    let apiKey: String

    public init(apiKey: String) {
        self.apiKey = apiKey
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AionvisionCredentials
    {
        guard let key = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty
        else {
            throw AionvisionError(
                .unauthorized, operation: "read credentials",
                detail:
                    "\(environmentVariable) is not set; export your Aionvision API key in it (it is never read from manifests)")
        }
        guard key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw AionvisionError(
                .unauthorized, operation: "read credentials",
                detail: "\(environmentVariable) holds spaces, line breaks or other characters an API key cannot have (not shown)")
        }
        return AionvisionCredentials(apiKey: key)
    }

    /// Hands the key to `register` (the CLI's redaction of everything it prints), and to nothing else.
    public func register(with register: (String) -> Void) {
        register(apiKey)
    }

    /// `text` with every copy of the key masked: transport errors may quote the headers sent.
    public func redact(_ text: String) -> String {
        apiKey.isEmpty ? text : text.replacingOccurrences(of: apiKey, with: "********")
    }

    var authorization: String { "Bearer \(apiKey)" }

    /// Refuses a base URL the key must not be sent to: anything but `https://`, except plain
    /// `http://` to this machine (a sandbox).
    public static func checkEndpoint(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw AionvisionError(.badRequest, operation: "use endpoint \(url)", detail: "it is not an absolute http(s) URL")
        }
        if scheme == "https" { return }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        guard scheme == "http", loopback else {
            throw AionvisionError(
                .badRequest, operation: "use endpoint \(url)",
                detail: "the API key would travel unencrypted; use https://, or plain http:// to this machine only")
        }
    }

    public var description: String { "AionvisionCredentials(apiKey: ********)" }
    public var debugDescription: String { description }
}
