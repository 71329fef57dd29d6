import Foundation

/// The pair of API keys AIOZ Stream expects on every call.
///
/// The secret never appears in `description`, `debugDescription` or `dump`: all three mask it.
public struct AIOZCredentials: Sendable, Equatable {
    public let publicKey: String
    public let secretKey: String

    /// Both keys are registered with `Redaction`, so no output of this process can print them.
    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
        Redaction.register(publicKey)
        Redaction.register(secretKey)
    }

    /// Reads `STREAM_PUBLIC_KEY` and `STREAM_SECRET_KEY`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AIOZCredentials {
        let publicKey = environment["STREAM_PUBLIC_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let secretKey = environment["STREAM_SECRET_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var missing: [String] = []
        if publicKey.isEmpty { missing.append("STREAM_PUBLIC_KEY") }
        if secretKey.isEmpty { missing.append("STREAM_SECRET_KEY") }
        guard missing.isEmpty else {
            throw AIOZError(
                code: .invalidCredentials,
                operation:
                    "The AIOZ Stream API keys are missing: set \(missing.joined(separator: " and ")) or pass a credentials file"
            )
        }
        try checkPrintable(publicKey, named: "STREAM_PUBLIC_KEY")
        try checkPrintable(secretKey, named: "STREAM_SECRET_KEY")
        return AIOZCredentials(publicKey: publicKey, secretKey: secretKey)
    }

    /// Reads a credentials file of `key = value` lines (`public_key`, `secret_key`; `#` starts a comment).
    ///
    /// The file must not be readable by group or others, since it holds a secret.
    public static func load(file path: String) throws -> AIOZCredentials {
        let attributes: [FileAttributeKey: Any]
        // Check the file a symlink points to: a link's own mode says nothing about who can read the keys.
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: resolved)
        } catch {
            throw AIOZError(
                code: .invalidCredentials,
                operation: "Cannot read the credentials file \(path): it does not exist or is not accessible")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            let what = type == .typeDirectory ? "a directory" : "not a regular file"
            throw AIOZError(
                code: .invalidCredentials,
                operation: "The credentials file \(path) is \(what); name a file of `public_key = …` and `secret_key = …` lines")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw AIOZError(
                code: .invalidCredentials,
                operation:
                    "The credentials file \(path) is readable by other users (mode \(String(mode & 0o777, radix: 8))): run `chmod 600 \(path)` and try again"
            )
        }
        guard let data = FileManager.default.contents(atPath: resolved), let text = String(data: data, encoding: .utf8) else {
            throw AIOZError(code: .invalidCredentials, operation: "Cannot read the credentials file \(path) as UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// Parses the credentials file format; `source` names the file in errors.
    static func parse(_ text: String, source: String) throws -> AIOZCredentials {
        var values: [String: String] = [:]
        // Lines end in LF or CRLF (`\r\n` is one Character, so split on any newline).
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw AIOZError(
                    code: .invalidCredentials, operation: "\(source):\(number + 1): expected `public_key = …` or `secret_key = …`"
                )
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            switch key {
            case "public_key", "stream_public_key": values["public"] = value
            case "secret_key", "stream_secret_key": values["secret"] = value
            default:
                throw AIOZError(
                    code: .invalidCredentials,
                    operation: "\(source):\(number + 1): unknown key \"\(key)\"; expected public_key or secret_key")
            }
        }
        guard let publicKey = values["public"], !publicKey.isEmpty, let secretKey = values["secret"], !secretKey.isEmpty else {
            throw AIOZError(code: .invalidCredentials, operation: "\(source): needs both `public_key = …` and `secret_key = …`")
        }
        try checkPrintable(publicKey, named: "public_key in \(source)")
        try checkPrintable(secretKey, named: "secret_key in \(source)")
        return AIOZCredentials(publicKey: publicKey, secretKey: secretKey)
    }

    /// Keys travel in HTTP headers: a control character (a pasted line break, say) would make every
    /// request fail, and the HTTP client's error would echo the value. Refuse it here, without
    /// repeating the value.
    static func checkPrintable(_ value: String, named name: String) throws {
        guard value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return }
        throw AIOZError(
            code: .invalidCredentials,
            operation: "\(name) contains a line break or another control character; API keys are one line of printable "
                + "characters (the value is not shown)")
    }
}

extension AIOZCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "AIOZCredentials(publicKey: \(publicKey), secretKey: \(Masking.mask(secretKey)))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["publicKey": publicKey, "secretKey": Masking.mask(secretKey)], displayStyle: .struct)
    }
}

/// Masks secrets for display: a hint of the last characters at most.
enum Masking {
    static func mask(_ secret: String) -> String {
        guard secret.count >= 12 else { return "****" }
        return "****" + secret.suffix(4)
    }
}
