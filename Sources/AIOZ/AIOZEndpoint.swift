import Foundation

/// The base URL every AIOZ Stream path is relative to, e.g. `https://api.aiozstream.network/api`.
///
/// Plain `http://` is accepted only for loopback hosts, so keys never cross a network in clear text.
public struct AIOZEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The base URL without a trailing slash.
    public let baseURL: String

    /// The production endpoint.
    public static let production = AIOZEndpoint(uncheckedBaseURL: "https://api.aiozstream.network/api")

    init(uncheckedBaseURL: String) { self.baseURL = uncheckedBaseURL }

    public init(_ string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw AIOZError(
                code: .invalidEndpoint,
                operation: "The endpoint \"\(trimmed)\" is not a URL: expected something like https://api.aiozstream.network/api")
        }
        guard components.user == nil, components.password == nil else {
            throw AIOZError(
                code: .invalidEndpoint,
                operation: "The endpoint must not contain a user name or password; pass the API keys as credentials instead")
        }
        guard components.query == nil, components.fragment == nil else {
            throw AIOZError(code: .invalidEndpoint, operation: "The endpoint \"\(trimmed)\" must not have a query or fragment")
        }
        switch scheme {
        case "https": break
        case "http":
            guard Self.isLoopback(host) else {
                throw AIOZError(
                    code: .invalidEndpoint,
                    operation:
                        "The endpoint \"\(trimmed)\" uses plain http to \(host): the API keys would travel unencrypted. Use https, or http only to 127.0.0.1, ::1 or localhost"
                )
            }
        default:
            throw AIOZError(code: .invalidEndpoint, operation: "The endpoint \"\(trimmed)\" has scheme \(scheme): use https")
        }
        var base = trimmed
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    /// Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4,
            octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil })
        else { return false }
        return octets[0] == "127"
    }

    /// Whether `url` is served by this endpoint's origin (scheme, host and port): only there are the
    /// API keys sent with a download. An asset URL elsewhere (a CDN, a logo's host) gets none.
    public func sameOrigin(_ url: String) -> Bool {
        guard let mine = URLComponents(string: baseURL), let theirs = URLComponents(string: url),
            let scheme = theirs.scheme?.lowercased(), let host = theirs.host?.lowercased()
        else { return false }
        func port(_ c: URLComponents, _ scheme: String) -> Int? {
            c.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
        }
        let myScheme = mine.scheme?.lowercased() ?? ""
        return scheme == myScheme && host == mine.host?.lowercased() && port(theirs, scheme) == port(mine, myScheme)
    }

    /// The full URL for `path` (starting with "/") with percent-encoded query items.
    func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return baseURL + path }
        let encoded = query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return baseURL + path + "?" + encoded
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    public var description: String { baseURL }
}
