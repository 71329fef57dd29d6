import Crypto
import Foundation
public import Manifest
public import Providers
import Synchronization

/// The metadata keys streamplan stamps on every video it creates.
///
/// The remote object carries its own identity and what the API cannot read back (the source's
/// content hash, the quality spec, the thumbnail), so no state file is needed: the account is
/// the state, as labels are in Kubernetes. See docs/design.md. The values are pinned by tests:
/// changing how one is computed would turn every existing video into a replace.
public enum OwnershipMark {
    public static let project = "streamplan.project"
    public static let address = "streamplan.address"
    public static let sourceSHA256 = "streamplan.source_sha256"
    public static let qualitiesSHA256 = "streamplan.qualities_sha256"
    public static let thumbnailSHA256 = "streamplan.thumbnail_sha256"
    /// A hash of the fields (title, description, visibility, tags, metadata) the last apply wrote: a
    /// video that differs from the manifests while this still matches them was changed outside
    /// streamplan (drift). Written with every metadata write; 0.1.0 did not write it (then: unknown).
    public static let appliedSHA256 = "streamplan.applied_sha256"

    /// The create-time fields the service does not show back, or shows only in the 2026 API:
    /// `segment_duration=6,type=audio,watermark=HASH` (the non-default ones, sorted); absent when
    /// all are the defaults, as on every video made before it existed.
    public static let createOptions = "streamplan.create_options"

    public static let all = [project, address, sourceSHA256, qualitiesSHA256, thumbnailSHA256]

    /// The create-options mark's value; nil when every field is its default (no mark is written).
    public static func createOptions(type: MediaType, watermark: WatermarkSpec?, segmentDuration: Int?) -> String? {
        var parts: [String] = []
        if let segmentDuration { parts.append("segment_duration=\(segmentDuration)") }
        if type != .video { parts.append("type=\(type.rawValue)") }
        if let watermark { parts.append("watermark=\(watermarkHash(watermark))") }
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }

    /// The fields of a create-options mark (an absent mark: none, every field its default).
    public static func createOptionFields(_ value: String?) -> [String: String] {
        var fields: [String: String] = [:]
        for part in (value ?? "").split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        return fields
    }

    /// 16 hex digits of the SHA-256 of the watermark's normalised fields. Frozen.
    public static func watermarkHash(_ watermark: WatermarkSpec) -> String {
        SHA256.hash(data: Data(watermark.canonicalText.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The value of `source_sha256` from a video's create until the final `PATCH` before `complete`:
    /// the upload hashes the source on the way, so its hash is not known when the video is created.
    /// It pins the file by size, modification time and inode, so that the next plan resumes an
    /// interrupted upload only from the same file (and replaces the video otherwise).
    public static func pendingSource(_ identity: FileIdentity?) -> String {
        identity.map { "\(pendingPrefix)\($0)" } ?? "pending"
    }

    static let pendingPrefix = "pending:"

    /// Whether a `source_sha256` value is a pending mark rather than a hash.
    public static func isPendingSource(_ value: String?) -> Bool { value?.hasPrefix("pending") == true }

    /// The value of `qualities_sha256` for a video that uses the server's default ladder.
    public static let serverDefaultQualities = "server-default"

    /// A stable hash of a normalised quality list (defaults filled in, keys sorted).
    ///
    /// A plan asks it for every video, several times (compare, marks, fingerprints), and most
    /// videos share a few lists (profiles): each distinct list is encoded and hashed once per
    /// process (perf put 19 % of a no-change plan of 10,000 videos in the encoding and hex
    /// formatting, docs/benchmarks.md).
    public static func qualitiesHash(_ qualities: [QualitySpec]?) -> String {
        guard let qualities else { return serverDefaultQualities }
        if let known = qualityHashes.withLock({ $0[qualities] }) { return known }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(qualities)) ?? Data()
        let hash = hex(SHA256.hash(data: data))
        qualityHashes.withLock { known in
            if known.count >= 4096 { known.removeAll() }
            known[qualities] = hash
        }
        return hash
    }

    private static let qualityHashes = Mutex<[[QualitySpec]: String]>([:])

    /// Lowercase hex of `bytes`, without `String(format:)` (a Foundation call per byte).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension RemoteVideo {
    /// The user's metadata, without streamplan's marks.
    public var userMetadata: [MetadataEntry] {
        metadata.filter { !$0.key.hasPrefix("streamplan.") }
    }

    /// Whether the video carries the marks of `project` (and, when given, of `address`).
    public func isMarked(project: String, address: Address? = nil) -> Bool {
        mark(OwnershipMark.project) == project && (address.map { mark(OwnershipMark.address) == $0.description } ?? true)
    }
}
