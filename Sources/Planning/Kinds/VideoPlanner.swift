import Manifest
import Providers

/// Videos: identified by their ownership marks (`streamplan.project`, `streamplan.address`).
///
/// - no marked video → create; source or qualities hash differs, or transcoding failed → replace
///   (create the new one, then delete the old); still `new` → resume; fields differ → update;
/// - several videos with one address (a crash between a create and its answer, or inside a
///   replace) → keep the one matching the manifests, delete the others;
/// - a marked video whose address left the manifests → delete.
public struct VideoPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .video }
    public var desiredType: any DesiredObject.Type { DesiredVideo.self }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        let observed = Self.withImportedPlayers(desired, observed)
        let project = desired.project
        var byAddress: [Address: [RemoteVideo]] = [:]
        for video in observed.videos where video.mark(OwnershipMark.project) == project && video.state != .deleted {
            guard let text = video.mark(OwnershipMark.address), let address = Address(parsing: text), address.kind == .video
            else { continue }
            byAddress[address, default: []].append(video)
        }
        var entries: [PlanEntry] = []
        let wanted = Set(desired.videos.map(\.address))
        for want in desired.videos.sorted(by: { $0.address < $1.address }) {
            var candidates = byAddress[want.address] ?? []
            guard !candidates.isEmpty else {
                if let id = desired.imports[want.address] {
                    entries.append(.change(Self.importWithPlayer(want, id: id, project: project, observed, options)))
                } else {
                    entries.append(.change(Self.blockingAudio(Self.create(want), options)))
                }
                continue
            }
            candidates.sort { Self.preferred($0, $1, for: want) }
            let keep = candidates[0]
            for extra in candidates.dropFirst() {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .delete, remoteID: extra.id,
                            reasons: ["a second video carries this address (left by an interrupted apply); \(keep.id) is kept"])))
            }
            if var change = Self.withPlayer(Self.compare(want, keep, serviceName: options.serviceName), want, keep, observed) {
                // The marks of captions and chapters stay on a video that is updated or resumed.
                let carried = keep.metadata.filter { TextTrackMark.keys.contains($0.key) }
                if change.action != .replace, !carried.isEmpty, var video = change.desired?.video {
                    video.carriedMarks = carried
                    change.desired = .video(video)
                }
                if change.action == .update, !options.videosUpdatable {
                    change.blocked =
                        "\(options.serviceName) offers no call to change a video after its upload; change the source "
                        + "to have the video replaced, or change it on \(options.serviceName) by hand"
                }
                entries.append(.change(Self.blockingAudio(change, options)))
            } else {
                entries.append(.unchanged(want.address))
            }
        }
        for address in byAddress.keys.sorted() where !wanted.contains(address) {
            for video in byAddress[address] ?? [] {
                entries.append(
                    .change(
                        ResourceChange(
                            address: address, action: .delete, remoteID: video.id, reasons: ["it is no longer in the manifests"],
                            attributes: [AttributeChange(name: "title", before: video.title, after: nil)])))
            }
        }
        return entries
    }

    /// A video's fingerprint holds title, description, is_public, tags, metadata (marks included),
    /// `updated_at`, and the status when the action depends on it (resume, replace). A create's holds
    /// while no video of the project carries the address.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        fingerprints([change], observed)[0]
    }

    /// Indexes the live videos by id and by address once (a plan of 10,000 creates searched 10,000
    /// observed videos per change), then fingerprints each change.
    public func fingerprints(_ changes: [ResourceChange], _ observed: Observation) -> [RemoteFingerprint] {
        var byID: [String: Int] = [:]
        var byAddress: [String: Int] = [:]
        for (index, video) in observed.videos.enumerated() where video.state != .deleted {
            if byID[video.id] == nil { byID[video.id] = index }
            // The first one, as `first(where:)` found it.
            if let address = video.mark(OwnershipMark.address), byAddress[address] == nil { byAddress[address] = index }
        }
        return changes.map { change in
            fingerprint(change, observed.videos, byID: byID, byAddress: byAddress)
        }
    }

    private func fingerprint(
        _ change: ResourceChange, _ videos: [RemoteVideo], byID: [String: Int], byAddress: [String: Int]
    ) -> RemoteFingerprint {
        guard change.action != .create, let id = change.remoteID else {
            // The observation holds the project's videos only.
            let found = byAddress[change.address.description].map { videos[$0] }
            return RemoteFingerprint(address: change.address, remoteID: found?.id, exists: found != nil)
        }
        guard let video = byID[id].map({ videos[$0] }) else {
            return RemoteFingerprint(address: change.address, remoteID: id, exists: false)
        }
        var fields: [String: String] = [
            "title": video.title,
            "description": video.description,
            "is_public": String(video.isPublic),
            "tags": video.tags.sorted().joined(separator: ", "),
            "metadata": video.metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "),
        ]
        if let updated = video.updatedAt { fields["updated_at"] = updated }
        // A resume needs the upload still open; a replace may rest on a failed transcode. An update or
        // delete does not care whether transcoding finished meanwhile.
        if change.action == .resume || change.action == .replace { fields["status"] = video.state.rawValue }
        // Only for videos that name a player or whose player changes: other fingerprints stay as they were.
        if change.fields.contains(.player) || change.desired?.video?.player != nil { fields["player_id"] = video.playerID ?? "" }
        return RemoteFingerprint(address: change.address, remoteID: video.id, exists: true, fields: fields)
    }

    /// Which of two videos with one address to keep: one whose source and qualities match the
    /// manifests (after a replace interrupted between its create and its delete, the new one),
    /// then the furthest along, then the newest.
    static func preferred(_ a: RemoteVideo, _ b: RemoteVideo, for want: DesiredVideo) -> Bool {
        func matches(_ v: RemoteVideo) -> Bool {
            sourceDifference(want, v) == nil && v.mark(OwnershipMark.qualitiesSHA256) == want.qualitiesSHA256
                && createTimeDifferences(want, v).isEmpty
        }
        if matches(a) != matches(b) { return matches(a) }
        func rank(_ state: VideoState) -> Int {
            switch state {
            case .done: 3
            case .transcoding: 2
            case .new: 1
            default: 0
            }
        }
        let ra = rank(a.state)
        let rb = rank(b.state)
        if ra != rb { return ra > rb }
        return (a.updatedAt ?? "", a.id) > (b.updatedAt ?? "", b.id)
    }

    static func create(_ want: DesiredVideo) -> ResourceChange {
        var attributes = [
            AttributeChange(name: "title", before: nil, after: want.title),
            AttributeChange(name: "source", before: nil, after: want.source.written),
            AttributeChange(name: "qualities", before: nil, after: Describe.qualities(want)),
            AttributeChange(name: "is_public", before: nil, after: String(want.isPublic)),
        ]
        if let d = want.description { attributes.append(AttributeChange(name: "description", before: nil, after: d)) }
        if !want.tags.isEmpty { attributes.append(AttributeChange(name: "tags", before: nil, after: Describe.list(want.tags))) }
        if !want.metadata.isEmpty {
            attributes.append(AttributeChange(name: "metadata", before: nil, after: Describe.metadata(want.metadata)))
        }
        if let t = want.thumbnail { attributes.append(AttributeChange(name: "thumbnail", before: nil, after: t.written)) }
        if let player = want.player { attributes.append(AttributeChange(name: "player", before: nil, after: player.name)) }
        attributes += createTimeAttributes(want)
        return ResourceChange(
            address: want.address, action: .create, attributes: attributes,
            thumbnail: want.thumbnail == nil ? nil : .set, uploadBytes: want.source.size, desired: .video(want))
    }

    /// Why the remote video's source is not the desired one, or nil when it is. A video whose upload
    /// was interrupted before its source mark was written carries the pending mark: it is the same
    /// source only if the file still has the identity the mark pins (and the upload can be resumed).
    static func sourceDifference(_ want: DesiredVideo, _ have: RemoteVideo) -> String? {
        let mark = have.mark(OwnershipMark.sourceSHA256)
        guard OwnershipMark.isPendingSource(mark) else {
            return mark != nil && mark == want.sourceSHA256 ? nil : "source changed"
        }
        guard have.state == .new else { return "its upload was never confirmed (the source mark is still pending)" }
        guard want.source.identity != nil, mark == OwnershipMark.pendingSource(want.source.identity) else {
            return "the source changed since an interrupted upload began"
        }
        return nil
    }

    static func compare(_ want: DesiredVideo, _ have: RemoteVideo, serviceName: String = "AIOZ Stream") -> ResourceChange? {
        var reasons: [String] = []
        if let reason = sourceDifference(want, have) { reasons.append(reason) }
        if have.mark(OwnershipMark.qualitiesSHA256) != want.qualitiesSHA256 { reasons.append("qualities are fixed at creation") }
        reasons += createTimeDifferences(want, have).map(\.reason)
        if have.state == .failed { reasons.append("transcoding failed on \(serviceName)") }
        if !reasons.isEmpty {
            var change = create(want)
            change.action = .replace
            change.replaceOrder = .createThenDelete
            change.remoteID = have.id
            change.reasons = reasons
            change.attributes = replacementAttributes(want, have)
            return change
        }
        var changes = fieldChanges(want, have, skipping: keptOnClear(want, have))
        let thumbnail = thumbnailChange(have.mark(OwnershipMark.thumbnailSHA256), want.thumbnailSHA256)
        if thumbnail != nil {
            changes.record(
                .thumbnail, before: have.mark(OwnershipMark.thumbnailSHA256).map(Describe.short),
                after: want.thumbnailSHA256.map { "\(want.thumbnail?.written ?? "") (\(Describe.short($0)))" })
        }
        let fields = changes.fields
        let attributes = changes.attributes
        if have.state == .new {
            return ResourceChange(
                address: want.address, action: .resume, remoteID: have.id,
                reasons: ["an earlier apply stopped before the upload completed"], attributes: attributes,
                fields: fields, thumbnail: thumbnail ?? (want.thumbnailSHA256 == nil ? nil : .set),
                uploadBytes: want.source.size, desired: .video(want))
        }
        guard !attributes.isEmpty else { return nil }
        var change = ResourceChange(
            address: want.address, action: .update, remoteID: have.id, attributes: attributes, fields: fields,
            thumbnail: thumbnail, desired: .video(want))
        // The manifests' fields are those the last apply wrote, and the service's differ: someone
        // changed the video outside streamplan (a thumbnail change is the manifests', by its own mark).
        if thumbnail == nil, have.mark(OwnershipMark.appliedSHA256) == want.appliedSHA256 {
            change.drift = true
            change.reasons = ["the manifests did not change since the last apply; apply restores their values"]
        }
        return change
    }

    /// Adopting video `id` (an `import:` block) as `want`: blocked when it does not exist, is managed
    /// already, was never uploaded, or (without `--trust-source`) because its source cannot be compared
    /// with the manifests' file; otherwise the marks are written and what differs is changed.
    static func importChange(
        _ want: DesiredVideo, id: String, project: String, _ observed: Observation, _ options: PlanOptions
    ) -> ResourceChange {
        var change = ResourceChange(address: want.address, action: .import, remoteID: id, desired: .video(want))
        let service = options.serviceName
        guard let have = observed.videos.first(where: { $0.id == id && $0.state != .deleted }) else {
            change.blocked = ImportRules.notFound(.video, id: id, observed, options)
            return change
        }
        if let owner = have.mark(OwnershipMark.project) {
            let address = have.mark(OwnershipMark.address) ?? "an unknown address"
            change.blocked =
                owner == project
                ? "it is already managed as \(address); remove the import block"
                : "it belongs to streamplan project \(owner) (as \(address)); an import never takes another project's object"
            return change
        }
        let changes = fieldChanges(want, have)
        change.attributes = changes.attributes
        change.fields = changes.fields
        // The service keeps no hash of a thumbnail: the manifests' one is uploaded when there is one.
        if want.thumbnail != nil {
            change.thumbnail = .set
            change.attributes.append(AttributeChange(name: "thumbnail", before: nil, after: want.thumbnail?.written))
        }
        var reasons = ["made outside streamplan (id \(id)); apply writes its ownership marks"]
        let sizes = have.size.map {
            $0 == want.source.size ? "same size, \(want.source.size) bytes" : "\($0) bytes there, \(want.source.size) here"
        }
        reasons.append(
            "its source cannot be compared with \(want.source.written): \(service) keeps no hash of the uploaded bytes"
                + (sizes.map { " (\($0))" } ?? ""))
        if let qualities = want.qualities {
            let wanted = qualities.map(\.resolution).sorted()
            let held = have.renditions.map(\.name).sorted()
            if !held.isEmpty, wanted != held {
                reasons.append(
                    "its qualities (\(held.joined(separator: ", "))) differ from the manifests' (\(wanted.joined(separator: ", "))); "
                        + "they are fixed at creation: the import keeps them (replace the video to change them)")
            }
        }
        reasons += importCreateTimeReasons(want, have, serviceName: service)
        change.reasons = reasons
        if have.state == .new {
            change.blocked =
                "nothing was ever uploaded to it; remove the import block and let streamplan create the video"
        } else if !options.trustSource {
            change.blocked =
                "its source cannot be compared: run with --trust-source to adopt it as it is, "
                + "or remove the import block to upload \(want.source.written) as a new video"
        }
        if let conflict = importTypeConflict(want, have) { change.blocked = conflict }
        return change
    }

    /// The fields people edit (title, description, visibility, tags, the user's metadata) that differ,
    /// leaving out those in `skipping`.
    static func fieldChanges(_ want: DesiredVideo, _ have: RemoteVideo, skipping: Set<KeptOnClear.Field> = []) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare(.title, have.title, want.title)
        if !skipping.contains(.description) {
            changes.compare(.description, have.description, want.description ?? "")
        }
        changes.compare(.isPublic, String(have.isPublic), String(want.isPublic))
        if !skipping.contains(.tags) {
            changes.compare(
                .tags, Describe.list(have.tags), Describe.list(want.tags),
                differ: Set(have.tags) != Set(want.tags) || have.tags.count != want.tags.count)
        }
        if !skipping.contains(.metadata) {
            changes.compare(
                .metadata, Describe.metadata(have.userMetadata), Describe.metadata(want.metadata),
                differ: Describe.sortedPairs(have.userMetadata) != Describe.sortedPairs(want.metadata))
        }
        return changes
    }

    /// The fields the service kept when asked to clear them, which the manifests still clear: not
    /// changes (asking again would not help), but notes (`KeptOnClear`).
    static func keptOnClear(_ want: DesiredVideo, _ have: RemoteVideo) -> Set<KeptOnClear.Field> {
        let mark = KeptOnClear(have)
        var kept = Set<KeptOnClear.Field>()
        if (want.description ?? "").isEmpty, mark.kept(.description, on: have) { kept.insert(.description) }
        if want.tags.isEmpty, mark.kept(.tags, on: have) { kept.insert(.tags) }
        let wanted = Set(Describe.sortedPairs(want.metadata))
        let held = Set(Describe.sortedPairs(have.userMetadata))
        if wanted.isStrictSubset(of: held), mark.kept(.metadata, on: have) { kept.insert(.metadata) }
        return kept
    }

    public func notes(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanNote] {
        var notes: [PlanNote] = []
        // The first live video of the project at each address, indexed once (a scan per desired
        // video made a 10,000-video plan quadratic: 20 s of CPU).
        var byAddress: [String: RemoteVideo] = [:]
        for video in observed.videos
        where video.state != .deleted && video.mark(OwnershipMark.project) == desired.project {
            guard let address = video.mark(OwnershipMark.address), byAddress[address] == nil else { continue }
            byAddress[address] = video
        }
        for want in desired.videos.sorted(by: { $0.address < $1.address }) {
            guard let have = byAddress[want.address.description] else { continue }
            for field in Self.keptOnClear(want, have).sorted() {
                notes.append(
                    PlanNote(address: want.address, text: KeptOnClear.sentence(field, have, serviceName: options.serviceName)))
            }
        }
        return notes
    }

    static func thumbnailChange(_ have: String?, _ want: String?) -> ThumbnailChange? {
        switch (have, want) {
        case (nil, nil): nil
        case (nil, .some): .set
        case (.some, nil): .remove
        case (.some(let a), .some(let b)): a == b ? nil : .replace
        }
    }

    static func replacementAttributes(_ want: DesiredVideo, _ have: RemoteVideo) -> [AttributeChange] {
        var attributes: [AttributeChange] = []
        if sourceDifference(want, have) != nil {
            let mark = have.mark(OwnershipMark.sourceSHA256)
            attributes.append(
                AttributeChange(
                    name: "source",
                    before: OwnershipMark.isPendingSource(mark)
                        ? "interrupted upload" : mark.map { "sha256 \(Describe.short($0))" },
                    after: want.sourceSHA256.map { "\(want.source.written) (sha256 \(Describe.short($0)))" }
                        ?? want.source.written))
        }
        if have.mark(OwnershipMark.qualitiesSHA256) != want.qualitiesSHA256 {
            attributes.append(
                AttributeChange(
                    name: "qualities", before: have.mark(OwnershipMark.qualitiesSHA256).map(Describe.short),
                    after: Describe.qualities(want)))
        }
        attributes += createTimeDifferences(want, have).map(\.attribute)
        if have.title != want.title {
            attributes.append(AttributeChange(name: "title", before: have.title, after: want.title))
        }
        return attributes
    }
}

/// Short textual forms of values for plans.
enum Describe {
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    static func metadata(_ entries: [MetadataEntry]) -> String {
        "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func sortedPairs(_ entries: [MetadataEntry]) -> [String] {
        entries.map { "\($0.key)\u{0}\($0.value)" }.sorted()
    }

    static func short(_ hash: String) -> String { String(hash.prefix(12)) }

    static func qualities(_ want: DesiredVideo) -> String {
        guard let qualities = want.qualities else { return "server defaults" }
        let list = qualities.map { "\($0.resolution) \($0.type)" }.joined(separator: ", ")
        return want.profile.map { "\($0) (\(list))" } ?? list
    }
}
