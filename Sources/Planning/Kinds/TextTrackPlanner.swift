import Crypto
import Foundation
public import Manifest
public import Providers

/// A caption or chapter list as the manifests want it: one WebVTT file in one language of a video.
public struct DesiredTextTrack: DesiredObject {
    /// `video.NAME.caption.LANG` or `video.NAME.chapter.LANG`.
    public var address: Address
    /// As written in the manifest (for people).
    public var written: String
    /// Absolute in memory; in a saved plan relative to where `plan` ran when the file is under it.
    public var path: String
    /// The file's SHA-256 (hex) when the plan was made.
    public var sha256: String
    /// A caption the manifests name as `default_caption`.
    public var isDefault: Bool
    /// Set when the file is a Git LFS pointer: `sha256` is its oid; apply fetches the content.
    public var lfs: LFSPointer?

    enum CodingKeys: String, CodingKey {
        case address, written, path, sha256, lfs
        case isDefault = "is_default"
    }

    public init(
        address: Address, written: String, path: String, sha256: String, isDefault: Bool = false, lfs: LFSPointer? = nil
    ) {
        self.address = address
        self.written = written
        self.path = path
        self.sha256 = sha256
        self.isDefault = isDefault
        self.lfs = lfs
    }

    /// The file as an upload sees it (its format is not used).
    public var file: DesiredFile {
        DesiredFile(written: written, path: path, size: lfs?.size ?? 0, format: .mp4, sha256: sha256, lfs: lfs)
    }

    public var language: String { address.name }
    /// What the mark records of the file: its SHA-256's first 16 hex digits.
    public var markHash: String { String(sha256.prefix(16)) }

    /// The same track with its path changed by `transform` (only the path of the file it is given is used).
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredTextTrack {
        var copy = self
        copy.path = transform(DesiredFile(written: written, path: path, size: 0, format: .mp4, sha256: sha256)).path
        return copy
    }
}

extension ResourceKind {
    /// The provider's name for a text-track kind (captions, chapters); nil for the others.
    public var textTrackKind: TextTrackKind? {
        switch self {
        case .caption: .caption
        case .chapter: .chapter
        default: nil
        }
    }
}

/// The captions and chapters the service lists on one video.
public struct ObservedTextTracks: Sendable, Hashable {
    public var captions: [RemoteTextTrack]?
    public var chapters: [RemoteTextTrack]?
    /// The SHA-256 (hex) of the files streamplan did not upload that the manifests want, downloaded to
    /// be compared (`caption.en` → hash): equal → adopted, different or unreadable → replaced.
    public var contentSHA256: [String: String] = [:]

    public init(captions: [RemoteTextTrack]? = nil, chapters: [RemoteTextTrack]? = nil) {
        self.captions = captions
        self.chapters = chapters
    }

    public subscript(kind: TextTrackKind) -> [RemoteTextTrack]? {
        get { kind == .caption ? captions : chapters }
        set { if kind == .caption { captions = newValue } else { chapters = newValue } }
    }
}

/// The mark in a video's metadata that says which languages of captions (`streamplan.captions`) or
/// chapters (`streamplan.chapters`) streamplan uploaded, with the first 16 hex digits of each file's
/// SHA-256: `en=0123456789abcdef,vi=pending`, languages sorted. `pending` while an upload is under
/// way (a crash leaves a language the next plan uploads again). No mark when there is none.
public struct TextTrackMark: Sendable, Hashable {
    public static let captionsKey = "streamplan.captions"
    public static let chaptersKey = "streamplan.chapters"
    public static let keys: Set<String> = [captionsKey, chaptersKey]
    public static let pending = "pending"

    public static func key(_ kind: TextTrackKind) -> String { kind == .caption ? captionsKey : chaptersKey }

    /// Language → hash (or `pending`).
    public var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    public init(parsing value: String?) {
        var entries: [String: String] = [:]
        for item in (value ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { continue }
            entries[parts[0]] = parts[1]
        }
        self.entries = entries
    }

    public init(_ kind: TextTrackKind, of video: RemoteVideo) {
        self.init(parsing: video.mark(Self.key(kind)))
    }

    /// The mark's value; nil when no language is recorded (then the video carries no mark).
    public var value: String? {
        guard !entries.isEmpty else { return nil }
        return entries.keys.sorted().map { "\($0)=\(entries[$0]!)" }.joined(separator: ",")
    }

    /// `metadata` with this mark of `kind` written (or removed when empty), other entries in place.
    public func applied(to metadata: [MetadataEntry], kind: TextTrackKind) -> [MetadataEntry] {
        let key = Self.key(kind)
        var result = metadata.filter { $0.key != key }
        if let value { result.append(MetadataEntry(key: key, value: value)) }
        return result
    }
}

/// Captions and chapters under a video (one planner per kind, the same code), owned through a mark
/// in the video's metadata (`TextTrackMark`).
///
/// - a language the manifests add → create (upload, then set the default when named);
/// - a file whose hash differs from the mark → update (upload again);
/// - a marked language that left the manifests → delete; a language the mark does not name is
///   never touched, and one the manifests want that exists unmarked on the video is **blocked**;
/// - a marked language neither wanted nor on the video (an interrupted delete) → a delete of the
///   mark's entry only (`isMarkOnly`: no `--allow-delete` needed);
/// - `default_caption` not the default on the service → update (its own call);
/// - a video created or replaced by this plan gets all of them as creates, after it (no id yet);
///   a video deleted by this plan takes them with it (no change).
public struct TextTrackPlanner: KindPlanner {
    public let kind: ResourceKind
    public var desiredType: any DesiredObject.Type { DesiredTextTrack.self }

    public init(_ kind: ResourceKind) {
        precondition(kind.textTrackKind != nil, "not a text-track kind: \(kind)")
        self.kind = kind
    }

    var trackKind: TextTrackKind { kind.textTrackKind ?? .caption }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        let wantedByVideo = Dictionary(grouping: desired.textTracks.filter { $0.address.kind == kind }) {
            $0.address.parent ?? $0.address
        }
        let hasMarks = observed.videos.contains { $0.mark(TextTrackMark.key(trackKind)) != nil }
        guard !wantedByVideo.isEmpty || hasMarks else { return [] }
        let videoEntries = Dictionary(grouping: VideoPlanner().plan(desired, observed, options), by: \.address)
        let videosByID = Dictionary(observed.videos.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let marked = Dictionary(
            grouping: observed.videos.filter { $0.isMarked(project: desired.project) && $0.state != .deleted },
            by: { $0.mark(OwnershipMark.address) ?? "" })
        var entries: [PlanEntry] = []
        for video in desired.videos.sorted(by: { $0.address < $1.address }) {
            let wanted = (wantedByVideo[video.address] ?? []).sorted { $0.address < $1.address }
            let target = Self.target(
                of: video.address, videoEntries[video.address] ?? [], videosByID,
                marked: marked[video.address.description] ?? [])
            switch target {
            case .new:
                entries += wanted.map { .change(create($0, parentID: nil, reason: nil)) }
            case .existing(let id, let remote):
                entries += changes(
                    wanted, video: video.address, videoID: id, remote: remote, observed: observed, options: options)
            }
        }
        return entries
    }

    /// The video the tracks of `address` go on: one this plan creates, or an existing one.
    enum Target {
        case new
        case existing(id: String, video: RemoteVideo?)
    }

    static func target(
        of address: Address, _ videoEntries: [PlanEntry], _ videosByID: [String: RemoteVideo], marked: [RemoteVideo]
    ) -> Target {
        var deleted = Set<String>()
        var main: PlanEntry?
        for entry in videoEntries where entry.address == address {
            if case .change(let change) = entry, change.action == .delete {
                if let id = change.remoteID { deleted.insert(id) }
            } else {
                main = entry
            }
        }
        func video(_ id: String) -> RemoteVideo? { videosByID[id] }
        switch main {
        case .change(let change)?:
            switch change.action {
            case .create, .replace: return .new
            default:
                guard let id = change.remoteID else { return .new }
                return .existing(id: id, video: video(id))
            }
        case .unchanged?:
            let kept = marked.first { !deleted.contains($0.id) }
            guard let kept else { return .new }
            return .existing(id: kept.id, video: kept)
        case nil:
            return .new
        }
    }

    func changes(
        _ wanted: [DesiredTextTrack], video: Address, videoID: String, remote: RemoteVideo?, observed: Observation,
        options: PlanOptions
    ) -> [PlanEntry] {
        // A video imported by this plan carries no mark yet: every language on it is unmanaged.
        let managed =
            remote.flatMap { $0.mark(OwnershipMark.project) != nil ? TextTrackMark(trackKind, of: $0) : nil } ?? TextTrackMark()
        let have = observed.textTracks[videoID]?[trackKind] ?? []
        let byLanguage = Dictionary(have.map { ($0.language, $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [PlanEntry] = []
        for want in wanted {
            let language = want.language
            guard let existing = byLanguage[language] else {
                let reason =
                    managed.entries[language].map {
                        $0 == TextTrackMark.pending ? nil : "it is no longer on \(options.serviceName)"
                    }
                    ?? nil
                entries.append(.change(create(want, parentID: videoID, reason: reason)))
                continue
            }
            guard let recorded = managed.entries[language] else {
                let found = observed.textTracks[videoID]?.contentSHA256["\(trackKind.rawValue).\(language)"]
                entries.append(.change(adopt(want, existing, found: found, videoID: videoID, options)))
                continue
            }
            var fields = Set<ChangedField>()
            var attributes: [AttributeChange] = []
            var reasons: [String] = []
            if recorded != want.markHash {
                fields.insert(.file)
                attributes.append(AttributeChange(name: "sha256", before: recorded, after: want.markHash))
                if recorded == TextTrackMark.pending {
                    reasons.append("an earlier apply did not finish uploading it")
                }
            }
            if want.isDefault && !existing.isDefault {
                fields.insert(.isDefault)
                attributes.append(AttributeChange(name: "default", before: "false", after: "true"))
            }
            if fields.isEmpty {
                entries.append(.unchanged(want.address))
                continue
            }
            entries.append(
                .change(
                    ResourceChange(
                        address: want.address, action: .update, remoteID: language, reasons: reasons,
                        attributes: attributes, fields: fields, parentID: videoID, desired: .textTrack(want))))
        }
        let wantedLanguages = Set(wanted.map(\.language))
        for language in managed.entries.keys.sorted() where !wantedLanguages.contains(language) {
            guard byLanguage[language] != nil else {
                // The mark names a language the video no longer has (an apply killed between the
                // service's delete and the mark's update): the mark is rewritten from what the video holds.
                entries.append(
                    .change(
                        ResourceChange(
                            address: Address(kind, language, parent: video), action: .delete, remoteID: nil,
                            reasons: [
                                "the video's mark names a \(kind.noun) it no longer has (left by an interrupted apply); only the mark is removed"
                            ],
                            attributes: [AttributeChange(name: "mark", before: language, after: nil)], parentID: videoID)))
                continue
            }
            entries.append(
                .change(
                    ResourceChange(
                        address: Address(kind, language, parent: video), action: .delete, remoteID: language,
                        reasons: ["it is no longer in the manifests"],
                        attributes: [AttributeChange(name: "language", before: language, after: nil)], parentID: videoID)))
        }
        return entries.sorted { $0.address < $1.address }
    }

    /// A wanted language the video already has, that streamplan did not upload: adopted (an import
    /// that only writes the mark, and the default when it differs) when its content is the
    /// manifests' file byte for byte; otherwise an update that replaces it, saying so. Never blocked,
    /// never overwritten without a plan line that says what is lost.
    func adopt(
        _ want: DesiredTextTrack, _ existing: RemoteTextTrack, found: String?, videoID: String, _ options: PlanOptions
    ) -> ResourceChange {
        let language = want.language
        var fields = Set<ChangedField>()
        var attributes: [AttributeChange] = []
        let same = found == want.sha256
        if !same {
            fields.insert(.file)
            attributes.append(
                AttributeChange(
                    name: "sha256", before: (found.map { String($0.prefix(16)) } ?? "unknown") + " (not uploaded by streamplan)",
                    after: want.markHash))
        }
        if want.isDefault && !existing.isDefault {
            fields.insert(.isDefault)
            attributes.append(AttributeChange(name: "default", before: "false", after: "true"))
        }
        let reason: String
        if same {
            reason =
                "the video has it already (not uploaded by streamplan) with the same content as \(want.written); "
                + "apply records it in the video's mark"
        } else if found == nil {
            reason =
                "the video has a \(kind.noun) in \(language) that streamplan did not upload and that could not be read "
                + "to compare; it is replaced by \(want.written)"
        } else {
            reason =
                "the video has a \(kind.noun) in \(language) that streamplan did not upload, and it differs from "
                + "\(want.written); it is replaced by the manifests' file"
        }
        return ResourceChange(
            address: want.address, action: same ? .import : .update, remoteID: language, reasons: [reason],
            attributes: attributes, fields: fields, parentID: videoID, desired: .textTrack(want))
    }

    func create(_ want: DesiredTextTrack, parentID: String?, reason: String?) -> ResourceChange {
        var attributes = [
            AttributeChange(name: "file", before: nil, after: want.written),
            AttributeChange(name: "sha256", before: nil, after: want.markHash),
        ]
        if want.isDefault { attributes.append(AttributeChange(name: "default", before: nil, after: "true")) }
        return ResourceChange(
            address: want.address, action: .create, remoteID: nil, reasons: reason.map { [$0] } ?? [],
            attributes: attributes, fields: want.isDefault ? [.isDefault] : [], parentID: parentID, desired: .textTrack(want))
    }

    /// A caption or chapter holds `video_id`, `mark` (what the video's mark records for its language:
    /// a hash, `pending`, or `none`), `exists` on the service, and for captions `default`. A track
    /// of a video this plan creates holds nothing (there is no video yet).
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        guard let videoID = change.parentID else {
            return RemoteFingerprint(address: change.address, remoteID: nil, exists: false)
        }
        let language = change.address.name
        var fields: [String: String] = ["video_id": videoID]
        let video = observed.videos.first { $0.id == videoID }
        fields["mark"] = video.flatMap { TextTrackMark(trackKind, of: $0).entries[language] } ?? "none"
        let track = observed.textTracks[videoID]?[trackKind]?.first { $0.language == language }
        if trackKind == .caption, let track { fields["default"] = String(track.isDefault) }
        return RemoteFingerprint(
            address: change.address, remoteID: track == nil ? nil : language, exists: track != nil, fields: fields)
    }
}

extension DesiredValue {
    public static func textTrack(_ value: DesiredTextTrack) -> DesiredValue { DesiredValue(value) }
    public var textTrack: DesiredTextTrack? { value as? DesiredTextTrack }
}
