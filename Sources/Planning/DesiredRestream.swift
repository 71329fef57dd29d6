import Foundation
public import Manifest

/// A restream destination of a live stream key, as the manifests want it.
///
/// AIOZ gives a destination no id: it is its URL, which carries the destination's stream key. So
/// the registry records the URL's hash (`urlHash`), plans show it masked (`RestreamURL.masked`),
/// fingerprints hold the hash, and a saved plan keeps the URL as written (its stream key a `${NAME}`
/// reference, which validate requires) and the hash: `apply FILE` expands it again from the
/// environment and refuses the plan as stale when the result differs.
public struct DesiredRestream: DesiredObject {
    public var address: Address
    public var url: String
    /// As written in the manifest (`${NAME}` not replaced).
    public var writtenURL: String
    /// Read from a saved plan whose url no longer expands as planned: why (never saved).
    public var stale: String?

    public init(_ spec: RestreamSpec) {
        address = Address(.restream, spec.name, parent: Address(.liveStream, spec.liveStream))
        url = spec.url
        writtenURL = spec.writtenURL
    }

    public init(address: Address, url: String, writtenURL: String) {
        self.address = address
        self.url = url
        self.writtenURL = writtenURL
    }

    /// The URL as plans show it.
    public var maskedURL: String { RestreamURL.masked(url) }

    /// What the registry records for it, and fingerprints keep.
    public var urlHash: String { Self.urlHash(url) }

    /// 16 hex digits of SHA-256 over a URL (as webhooks' `url_sha256`).
    public static func urlHash(_ url: String) -> String { DesiredWebhook.urlHash(url) }

    enum CodingKeys: String, CodingKey {
        case address
        case writtenURL = "url_written"
        case urlSHA256 = "url_sha256"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(writtenURL, forKey: .writtenURL)
        try c.encode(urlHash, forKey: .urlSHA256)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(Address.self, forKey: .address)
        writtenURL = try c.decode(String.self, forKey: .writtenURL)
        (url, stale) = DesiredWebhook.restore(writtenURL, hash: try c.decode(String.self, forKey: .urlSHA256))
    }
}

extension ObservedRestream {
    /// A destination the service returned, reduced to its hash and masked form.
    public init(url: String) {
        self.init(urlHash: DesiredRestream.urlHash(url), maskedURL: RestreamURL.masked(url))
    }
}

extension DesiredValue {
    public static func restream(_ value: DesiredRestream) -> DesiredValue { DesiredValue(value) }
    public var restream: DesiredRestream? { value as? DesiredRestream }
}
