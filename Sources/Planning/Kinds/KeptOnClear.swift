import Crypto
import Foundation
public import Manifest
public import Providers

/// Values the service kept when streamplan asked it to clear them, recorded on the video so the next
/// plan reports them as a limitation of the API instead of planning the same update forever.
///
/// AIOZ's documents do not say whether `PATCH` with `tags: []`, `description: ""` or a shorter
/// metadata list clears the value or leaves it (a Go server that tests `len(x) > 0` would keep it).
/// After a PATCH that clears, apply reads the video back; each field the service kept is written
/// into the mark `streamplan.kept_on_clear` as `field:hash` (the hash of the kept value), e.g.
/// `tags:3f2a9c0d1b7e,description:9e1c…`. A plan skips the field while the video still holds that
/// exact value and the manifests still ask to clear it, and says so in a note.
public struct KeptOnClear: Sendable, Hashable {
    public static let mark = "streamplan.kept_on_clear"

    /// The fields that can be cleared and kept.
    public enum Field: String, Sendable, CaseIterable, Comparable {
        case description, metadata, tags

        public static func < (a: Field, b: Field) -> Bool { a.rawValue < b.rawValue }
    }

    /// Kept fields and the hash of the value each kept.
    public var hashes: [Field: String]

    public init(_ hashes: [Field: String] = [:]) {
        self.hashes = hashes
    }

    /// The mark's value, fields in a fixed order.
    public var value: String {
        hashes.keys.sorted().map { "\($0.rawValue):\(hashes[$0]!)" }.joined(separator: ",")
    }

    /// Reads the mark of `video`; fields or hashes it does not know are ignored.
    public init(_ video: RemoteVideo) {
        var hashes: [Field: String] = [:]
        for item in (video.mark(Self.mark) ?? "").split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let field = Field(rawValue: String(parts[0])) else { continue }
            hashes[field] = String(parts[1])
        }
        self.init(hashes)
    }

    /// The value of `field` on `video` as the mark hashes it.
    public static func hash(_ field: Field, of video: RemoteVideo) -> String {
        let text: String
        switch field {
        case .description: text = video.description
        case .tags: text = video.tags.sorted().joined(separator: "\n")
        case .metadata: text = Describe.sortedPairs(video.userMetadata).joined(separator: "\n")
        }
        return OwnershipMark.hex(SHA256.hash(data: Data(text.utf8)).prefix(6))
    }

    /// Whether the mark says the service kept `field` as `video` holds it now.
    public func kept(_ field: Field, on video: RemoteVideo) -> Bool {
        hashes[field] == Self.hash(field, of: video)
    }

    /// What the service kept of a patch that asked for `tags`, `description` and `metadata`
    /// (nil: not asked), judged from `after`, the video read back.
    public static func found(
        after: RemoteVideo, askedTags tags: [String]?, description: String?, userMetadata: [MetadataEntry]?
    ) -> KeptOnClear {
        var hashes: [Field: String] = [:]
        if let tags, tags.isEmpty, !after.tags.isEmpty { hashes[.tags] = hash(.tags, of: after) }
        if let description, description.isEmpty, !after.description.isEmpty {
            hashes[.description] = hash(.description, of: after)
        }
        if let userMetadata {
            let asked = Set(userMetadata.map(\.key))
            if after.userMetadata.contains(where: { !asked.contains($0.key) }) { hashes[.metadata] = hash(.metadata, of: after) }
        }
        return KeptOnClear(hashes)
    }

    /// The sentence for a kept field, for apply's output and the plan's notes.
    public static func sentence(_ field: Field, _ video: RemoteVideo, serviceName: String) -> String {
        let shown: String
        switch field {
        case .description: shown = "the description"
        case .tags: shown = "tags \(Describe.list(video.tags))"
        case .metadata: shown = "metadata \(Describe.metadata(video.userMetadata))"
        }
        return "\(serviceName) kept \(shown) when asked to clear \(field == .metadata ? "entries" : "it")"
            + " (a limitation of its API); streamplan does not ask again while the manifests still clear it."
    }
}
