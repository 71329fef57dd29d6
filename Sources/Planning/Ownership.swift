import Crypto
import Foundation
public import Manifest

/// The metadata keys streamplan stamps on every video it creates.
///
/// The remote object carries its own identity and what the API cannot read back (the source's
/// content hash, the quality spec, the thumbnail), so no state file is needed: the account is
/// the state, as labels are in Kubernetes. See docs/design.md.
public enum OwnershipMark {
    public static let project = "streamplan.project"
    public static let address = "streamplan.address"
    public static let sourceSHA256 = "streamplan.source_sha256"
    public static let qualitiesSHA256 = "streamplan.qualities_sha256"
    public static let thumbnailSHA256 = "streamplan.thumbnail_sha256"

    public static let all = [project, address, sourceSHA256, qualitiesSHA256, thumbnailSHA256]

    /// The value of `qualities_sha256` for a video that uses the server's default ladder.
    public static let serverDefaultQualities = "server-default"

    /// A stable hash of a normalised quality list (defaults filled in, keys sorted).
    public static func qualitiesHash(_ qualities: [QualitySpec]?) -> String {
        guard let qualities else { return serverDefaultQualities }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(qualities)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// A video as the manifests want it, with the content hashes the plan compares.
public struct DesiredVideo: Sendable, Hashable {
    public var spec: VideoSpec
    /// SHA-256 of the source file's bytes.
    public var sourceSHA256: String
    /// SHA-256 of the thumbnail's bytes, when there is one.
    public var thumbnailSHA256: String?

    public init(spec: VideoSpec, sourceSHA256: String, thumbnailSHA256: String?) {
        self.spec = spec
        self.sourceSHA256 = sourceSHA256
        self.thumbnailSHA256 = thumbnailSHA256
    }

    public var address: String { spec.address }
    public var qualitiesSHA256: String { OwnershipMark.qualitiesHash(spec.qualities) }

    /// The full metadata to send: the user's entries, then the ownership marks.
    public func metadata(project: String) -> [MetadataEntry] {
        var entries = spec.metadata
        entries.append(MetadataEntry(key: OwnershipMark.project, value: project))
        entries.append(MetadataEntry(key: OwnershipMark.address, value: address))
        entries.append(MetadataEntry(key: OwnershipMark.sourceSHA256, value: sourceSHA256))
        entries.append(MetadataEntry(key: OwnershipMark.qualitiesSHA256, value: qualitiesSHA256))
        if let thumbnailSHA256 {
            entries.append(MetadataEntry(key: OwnershipMark.thumbnailSHA256, value: thumbnailSHA256))
        }
        return entries
    }
}

/// A video as the remote account has it (what the plan needs of AIOZ's Video object).
public struct ObservedVideo: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var description: String
    public var isPublic: Bool
    public var tags: [String]
    public var metadata: [MetadataEntry]
    /// `new`, `transcoding`, `done`, `fail` or `deleted`.
    public var status: String
    public var updatedAt: String?

    public init(id: String, title: String, description: String = "", isPublic: Bool = true, tags: [String] = [],
                metadata: [MetadataEntry] = [], status: String = "done", updatedAt: String? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.status = status
        self.updatedAt = updatedAt
    }

    public func mark(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    /// The user's metadata, without streamplan's marks.
    public var userMetadata: [MetadataEntry] {
        metadata.filter { !$0.key.hasPrefix("streamplan.") }
    }
}
