import Foundation
public import YAMLNodes

/// The events a webhook is called for, as AIOZ Stream's webhook object names its five flags.
public enum WebhookEvent: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case fileReceived = "file_received"
    case encodingStarted = "encoding_started"
    case encodingFinished = "encoding_finished"
    case encodingFailed = "encoding_failed"
    case partialFinished = "partial_finished"

    public static func < (a: WebhookEvent, b: WebhookEvent) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The five names, in the API's order, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A webhook as the manifest wants it (`webhooks: NAME: {name, url, events}`).
public struct WebhookSpec: Sendable, Hashable {
    /// The manifest's name for it (its address is `webhook.NAME`).
    public var name: String
    /// The webhook's `name` on the service (default: the manifest's name).
    public var displayName: String
    /// The URL the service calls, with any credentials it carries (never printed: see `WebhookURL.masked`).
    public var url: String
    /// The URL as written, before `${NAME}` was replaced from the environment.
    public var writtenURL: String
    /// The events it is called for, in the API's order, each once.
    public var events: [WebhookEvent]
    /// `public_url: true`: the user says the URL carries no credential, so it is shown whole
    /// (plans, saved plans, outputs) instead of masked.
    public var publicURL: Bool
    public var location: SourceLocation

    public init(
        name: String, displayName: String, url: String, writtenURL: String? = nil, events: [WebhookEvent],
        publicURL: Bool = false, location: SourceLocation
    ) {
        self.name = name
        self.displayName = displayName
        self.url = url
        self.writtenURL = writtenURL ?? url
        self.events = events.sorted()
        self.publicURL = publicURL
        self.location = location
    }

    public var address: String { "webhook.\(name)" }
}

/// The rules of a webhook's URL, and how it is shown without the credentials it may carry.
public enum WebhookURL {
    /// The environment `${NAME}` expands from: the process's, unless a task sets its own (tests do,
    /// so that none of them changes the process's environment while others read it).
    @TaskLocal public static var environmentOverride: [String: String]?

    public static var environment: [String: String] { environmentOverride ?? ProcessInfo.processInfo.environment }

    /// Query parameter names whose values are masked: containing one of these words (any case).
    public static let secretParameterWords = ["key", "token", "secret", "signature", "password", "auth"]

    /// The longest webhook URL accepted, in bytes (a 15 MiB one passed validate, then failed every
    /// apply as a lost answer: issue 26).
    public static let maxLength = 4096

    /// Why `text` is not an acceptable webhook URL, or nil when it is: absolute, https (plain http
    /// only to a loopback host), with a host and no fragment.
    public static func problem(_ text: String) -> String? {
        guard text.utf8.count <= maxLength else {
            return "is \(text.utf8.count) bytes long; a webhook URL may have at most \(maxLength)"
        }
        guard !text.isEmpty, !text.contains(where: \.isWhitespace), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased()
        else { return "is not a URL: expected an absolute https:// URL without spaces" }
        guard let host = components.host, !host.isEmpty else {
            return "has no host: expected an absolute URL such as https://hooks.example.com/aioz"
        }
        guard components.fragment == nil else { return "has a fragment (#…), which is never sent to a server: remove it" }
        switch scheme {
        case "https": return nil
        case "http":
            guard isLoopback(host) else {
                return "uses plain http to \(host): events (and any token in the URL) would travel unencrypted. "
                    + "Use https, or http only to 127.0.0.1, ::1 or localhost"
            }
            return nil
        default: return "has scheme \(scheme): use https"
        }
    }

    /// Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }) else {
            return false
        }
        return octets[0] == "127"
    }

    /// Whether a query parameter's value is a credential, by its name.
    public static func isSecretParameter(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "sig" || secretParameterWords.contains { lowered.contains($0) }
    }

    /// `url` as people may read it: a password (or a user name with no password) becomes `***`, and
    /// so do every query value and every path segment that looks like a token (`looksLikeToken`:
    /// Slack's and Discord's hooks carry their secret in the path).
    public static func masked(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return "***" }
        var out = ""
        // `//` only before an authority: `javascript:alert(1)` is not shown as `javascript://…`.
        if let scheme = components.scheme { out += scheme + (components.percentEncodedHost == nil ? ":" : "://") }
        if let user = components.percentEncodedUser {
            out += components.percentEncodedPassword == nil ? "***@" : "\(user):***@"
        }
        out += components.percentEncodedHost ?? ""
        if let port = components.port { out += ":\(port)" }
        out += components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            looksLikeToken(String(segment)) ? "***" : String(segment)
        }.joined(separator: "/")
        if let query = components.percentEncodedQuery {
            let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
                guard let equals = item.firstIndex(of: "=") else { return looksLikeToken(String(item)) ? "***" : String(item) }
                return item[item.index(after: equals)...].isEmpty ? String(item) : "\(item[..<equals])=***"
            }
            out += "?" + parts.joined(separator: "&")
        }
        return out
    }

    /// Whether a path segment or a query value looks like a secret: 8 characters or more with a
    /// digit (`T0123ABCD`, a Discord id), 12 or more of mixed case, or 24 or more in one unbroken
    /// run. Words (`hooks`, `encoding-finished`) do not; a date does (over-masking is harmless).
    public static func looksLikeToken(_ text: String) -> Bool {
        let value = text.removingPercentEncoding ?? text
        guard value.count >= 8 else { return false }
        if value.contains(where: \.isNumber) { return true }
        if value.count >= 12, value.contains(where: \.isUppercase), value.contains(where: \.isLowercase) { return true }
        return value.count >= 24 && !value.contains("-") && !value.contains("_") && !value.contains(".")
    }

    /// What can go wrong replacing `${NAME}` in a URL.
    public enum ExpansionError: Error, Equatable, CustomStringConvertible {
        case unclosed
        case badName(String)
        case unset(String)

        public var description: String {
            switch self {
            case .unclosed: "url has \"${\" without a closing \"}\"; write ${NAME} to use the environment variable NAME"
            case .badName(let name): "url: \"${\(name)}\" is not a variable name (letters, digits and '_')"
            case .unset(let name): "url uses ${\(name)}, but the environment variable \(name) is not set"
            }
        }
    }

    /// `text` with every `${NAME}` replaced by the environment variable NAME.
    public static func expand(_ text: String, environment: [String: String]) -> Result<String, ExpansionError> {
        guard text.contains("${") else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return .failure(.unclosed) }
            let variable = String(rest[start.upperBound..<end])
            guard !variable.isEmpty, variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                return .failure(.badName(variable))
            }
            guard let value = environment[variable] else { return .failure(.unset(variable)) }
            out += value
            rest = rest[rest.index(after: end)...]
        }
        return .success(out + rest)
    }

    /// The credentials in `url` (a password, a user name without one, the values of credential-named
    /// query parameters, query values and path segments that look like tokens), raw and
    /// percent-decoded: for a redactor of output, and what a saved plan must not keep.
    public static func credentials(_ url: String) -> [String] {
        guard let components = URLComponents(string: url) else { return [url] }
        var found: [String] = []
        if let password = components.percentEncodedPassword {
            found.append(password)
        } else if let user = components.percentEncodedUser {
            found.append(user)
        }
        for segment in components.percentEncodedPath.split(separator: "/") where looksLikeToken(String(segment)) {
            found.append(String(segment))
        }
        for item in (components.percentEncodedQuery ?? "").split(separator: "&") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let name = String(item[..<equals])
            let value = String(item[item.index(after: equals)...])
            guard isSecretParameter(name.removingPercentEncoding ?? name) || looksLikeToken(value) else { continue }
            found.append(value)
        }
        return found.flatMap { [$0, $0.removingPercentEncoding ?? $0] }.filter { !$0.isEmpty }
    }

    /// The credentials written literally in `written` (a URL as the manifest has it): those outside
    /// its `${NAME}` references, which a saved plan would keep in clear.
    public static func literalCredentials(_ written: String) -> [String] {
        let reference = "streamplan-env-reference"
        var literal = ""
        var rest = Substring(written)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            literal += rest[..<start.lowerBound] + reference
            rest = rest[rest.index(after: end)...]
        }
        return credentials(literal + rest).filter { !$0.contains(reference) }
    }

    /// Whether `url` carries a credential that `masked` hides.
    public static func hasCredentials(_ url: String) -> Bool { masked(url) != url }
}
