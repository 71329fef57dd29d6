import Crypto
import Foundation
public import Manifest

/// A webhook as the manifests want it.
///
/// Its URL may carry a credential (a token in the query, a password): plans show it masked
/// (`WebhookURL.masked`), fingerprints hold its hash, and a saved plan keeps the URL as written
/// (with `${NAME}` unexpanded) and its hash: `apply FILE` expands it again from the environment and
/// refuses when the result differs from what was planned.
public struct DesiredWebhook: DesiredObject {
    public var address: Address
    public var name: String
    public var url: String
    /// As written in the manifest (`${NAME}` not replaced).
    public var writtenURL: String
    public var events: [WebhookEvent]
    /// The manifest's `public_url: true`: the URL is shown whole, never masked.
    public var publicURL: Bool = false
    /// Read from a saved plan whose url no longer expands as planned (an environment variable
    /// changed or is unset): why, for `apply FILE` to refuse it as stale (exit 3). Never saved.
    public var stale: String?

    public init(_ spec: WebhookSpec) {
        address = Address(.webhook, spec.name)
        name = spec.displayName
        url = spec.url
        writtenURL = spec.writtenURL
        events = spec.events
        publicURL = spec.publicURL
    }

    public init(address: Address, name: String, url: String, writtenURL: String? = nil, events: [WebhookEvent]) {
        self.address = address
        self.name = name
        self.url = url
        self.writtenURL = writtenURL ?? url
        self.events = events.sorted()
    }

    /// The URL as plans show it: masked, unless the manifest calls it public.
    public var maskedURL: String { publicURL ? url : WebhookURL.masked(url) }

    /// 16 hex digits of SHA-256 over a URL: what fingerprints and saved plans keep of it.
    public static func urlHash(_ url: String) -> String {
        SHA256.hash(data: Data(url.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    enum CodingKeys: String, CodingKey {
        case address, name, events
        case publicURL = "public_url"
        case writtenURL = "url_written"
        case urlSHA256 = "url_sha256"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(name, forKey: .name)
        try c.encode(writtenURL, forKey: .writtenURL)
        try c.encode(Self.urlHash(url), forKey: .urlSHA256)
        try c.encode(events, forKey: .events)
        if publicURL { try c.encode(true, forKey: .publicURL) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(Address.self, forKey: .address)
        name = try c.decode(String.self, forKey: .name)
        writtenURL = try c.decode(String.self, forKey: .writtenURL)
        events = try c.decode([WebhookEvent].self, forKey: .events).sorted()
        publicURL = try c.decodeIfPresent(Bool.self, forKey: .publicURL) ?? false
        (url, stale) = Self.restore(writtenURL, hash: try c.decode(String.self, forKey: .urlSHA256))
    }

    /// A URL a saved plan kept as written (`${NAME}` not replaced) and by its hash, expanded again
    /// from the environment: an environment that changed since the plan makes the plan stale (why),
    /// not damaged. Webhooks' and restream destinations' URLs alike.
    static func restore(_ written: String, hash: String) -> (url: String, stale: String?) {
        switch WebhookURL.expand(written, environment: WebhookURL.environment) {
        case .success(let expanded):
            guard urlHash(expanded) != hash else { return (expanded, nil) }
            return (expanded, "its url expands to another value than when the plan was made (an environment variable changed)")
        case .failure(let error):
            return ("", error.description)
        }
    }
}

extension DesiredValue {
    public static func webhook(_ value: DesiredWebhook) -> DesiredValue { DesiredValue(value) }
    public var webhook: DesiredWebhook? { value as? DesiredWebhook }
}
