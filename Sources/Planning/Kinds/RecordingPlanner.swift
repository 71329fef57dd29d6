import Manifest
import Providers

/// Saved recordings of live stream keys (`live_streams: KEY: recordings:`): media AIOZ Stream made
/// when a saved streaming ended. streamplan never creates or deletes one; it updates the fields an
/// entry writes. A recording belongs to its key: only the recordings listed under a key the
/// project's registry claims (or a key this plan imports) are ever looked at, so an entry can never
/// select another key's or another project's media.
///
/// - the entry's recording is found and a written field differs → update (`PATCH` of those fields;
///   the player through the player theme's calls);
/// - it is found and nothing differs → up to date;
/// - it is not found (the key or streaming does not exist yet, the streaming has not been recorded,
///   the id is not one of the key's recordings) → a blocked update that names the address and lists
///   the recordings the key has;
/// - an entry removed from the manifests is simply no longer managed: nothing is planned;
/// - a key's `recording_defaults` apply to every other recording of the key, each addressed by its
///   media id (`live_stream.KEY.recording.MEDIA_ID`) and compared as an entry is.
public struct RecordingPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .recording }
    public var desiredType: any DesiredObject.Type { DesiredRecording.self }

    /// Where an entry's recording is, or why it is not.
    public enum Match: Sendable, Hashable {
        case found(keyID: String, recording: RemoteRecording, media: RemoteVideo)
        case missing(keyID: String?, why: String)
    }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        var selected = Set<String>()
        for want in desired.recordings {
            switch Self.match(want, desired, observed, options) {
            case .missing(let keyID, let why):
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .update, attributes: Self.written(want), blocked: why,
                            parentID: keyID, desired: .recording(want))))
            case .found(let keyID, _, let media):
                selected.insert(media.id)
                entries.append(Self.compare(want, media, keyID: keyID, observed))
            }
        }
        // `recording_defaults`: every other recording of the key, named by its media id.
        let named = Set(desired.recordings.map(\.address))
        for (keyAddress, defaults) in desired.recordingDefaults {
            guard let keyID = observed.registry.id(keyAddress) ?? desired.imports[keyAddress],
                let recordings = observed.liveKeys[keyID]?.recordings
            else { continue }
            for media in recordings.compactMap(\.video) where !selected.contains(media.id) && Names.isValidName(media.id) {
                let want = DesiredRecording(mediaID: media.id, key: keyAddress, defaults: defaults)
                guard !named.contains(want.address) else { continue }
                entries.append(Self.compare(want, media, keyID: keyID, observed))
            }
        }
        return entries.sorted { $0.address < $1.address }
    }

    /// An update of the fields `want` writes that `media` does not have, or up to date.
    static func compare(_ want: DesiredRecording, _ media: RemoteVideo, keyID: String, _ observed: Observation) -> PlanEntry {
        var changes = FieldChanges()
        if let title = want.title { changes.compare(.title, media.title, title) }
        if let description = want.description { changes.compare(.description, media.description, description) }
        if let isPublic = want.isPublic { changes.compare(.isPublic, String(media.isPublic), String(isPublic)) }
        if let tags = want.tags {
            changes.compare(
                .tags, Describe.list(media.tags), Describe.list(tags),
                differ: Set(media.tags) != Set(tags) || media.tags.count != tags.count)
        }
        if let player = playerDifference(want, media, observed) {
            changes.record(.player, before: player.before, after: player.after)
        }
        guard !changes.fields.isEmpty else { return .unchanged(want.address) }
        return .change(
            ResourceChange(
                address: want.address, action: .update, remoteID: media.id, attributes: changes.attributes,
                fields: changes.fields, parentID: keyID, desired: .recording(want)))
    }

    /// The media id of every entry whose recording exists, for the playlists that list recordings.
    public static func mediaIDs(_ desired: DesiredState, _ observed: Observation) -> [Address: String] {
        var ids: [Address: String] = [:]
        for want in desired.recordings {
            if case .found(_, _, let media) = match(want, desired, observed, PlanOptions()) { ids[want.address] = media.id }
        }
        return ids
    }

    /// Finds the entry's recording among its key's saved recordings.
    public static func match(_ want: DesiredRecording, _ desired: DesiredState, _ observed: Observation, _ options: PlanOptions)
        -> Match
    {
        let service = options.serviceName
        guard let keyAddress = want.address.parent else { return .missing(keyID: nil, why: "it names no live stream key") }
        let keyID = observed.registry.id(keyAddress) ?? desired.imports[keyAddress]
        guard let keyID, let key = observed.liveKeys[keyID] else {
            return .missing(
                keyID: nil,
                why:
                    "\(keyAddress) does not exist on \(service) yet, so it has no recordings; a recording appears when a "
                    + "streaming with save: true ends: add this entry after the broadcast")
        }
        let recordings = key.recordings ?? []
        var found: RemoteRecording?
        if let streaming = want.streaming {
            guard let streamingID = observed.registry.id(streaming), key.streamings.contains(where: { $0.id == streamingID })
            else {
                return .missing(
                    keyID: keyID,
                    why: "its streaming \(streaming) does not exist on \(service) yet, so it has no recording")
            }
            found = recordings.first { $0.streamingID == streamingID }
            if found == nil, let streamingState = key.streamings.first(where: { $0.id == streamingID }) {
                let why =
                    streamingState.save
                    ? "it is \(streamingState.state) and its recording is made when it ends"
                    : "it is not saved (save: false)"
                return .missing(
                    keyID: keyID, why: "\(streaming) has no saved recording on \(service): \(why); \(existing(recordings))")
            }
        } else if let id = want.mediaID {
            found = recordings.first { $0.video?.id == id }
            if found == nil {
                return .missing(
                    keyID: keyID, why: "media id \(id) is not a saved recording of \(keyAddress); \(existing(recordings))")
            }
        }
        guard let found else { return .missing(keyID: keyID, why: "it selects no recording") }
        guard let media = found.video else {
            return .missing(keyID: keyID, why: "the recording of streaming \(found.streamingID) has no media on \(service) yet")
        }
        return .found(keyID: keyID, recording: found, media: media)
    }

    /// "its saved recordings: …" for people choosing an `id:` (at most 10, newest first).
    static func existing(_ recordings: [RemoteRecording]) -> String {
        let listed = recordings.compactMap { r in r.video.map { "media id \($0.id) (streaming \"\(r.title)\")" } }
        guard !listed.isEmpty else { return "the key has no saved recordings" }
        let more = listed.count > 10 ? ", and \(listed.count - 10) more (streamplan status lists them)" : ""
        return "the key's saved recordings: " + listed.prefix(10).joined(separator: ", ") + more
    }

    /// The fields an entry writes, for a blocked change.
    static func written(_ want: DesiredRecording) -> [AttributeChange] {
        var out = [AttributeChange(name: "recording", before: nil, after: want.selection)]
        if let title = want.title { out.append(AttributeChange(name: "title", before: nil, after: title)) }
        if let description = want.description {
            out.append(AttributeChange(name: "description", before: nil, after: description))
        }
        if let isPublic = want.isPublic { out.append(AttributeChange(name: "is_public", before: nil, after: String(isPublic))) }
        if let tags = want.tags { out.append(AttributeChange(name: "tags", before: nil, after: Describe.list(tags))) }
        if let player = want.player { out.append(AttributeChange(name: "player", before: nil, after: player.name)) }
        return out
    }

    /// The `player` line when the entry names a player the media does not use (a recording whose
    /// entry names none keeps whatever player it has: only the fields written are managed).
    static func playerDifference(_ want: DesiredRecording, _ have: RemoteVideo, _ observed: Observation) -> AttributeChange? {
        guard let player = want.player else { return nil }
        let registry = observed.registry
        let current = have.playerID.flatMap { $0.isEmpty ? nil : $0 }
        let wanted = registry.id(player).flatMap { observed.players[$0] == nil ? nil : $0 }
        if let wanted, wanted == current { return nil }
        let before =
            current.map { id in
                registry.address(of: id).flatMap { $0.kind == .player ? $0.name : nil } ?? "\(id) (not managed)"
            } ?? "(none)"
        return AttributeChange(name: "player", before: before, after: player.name)
    }

    /// A recording holds its media's `title`, `description`, `is_public`, `tags` (as a set),
    /// `player_id` and `updated_at`; a blocked change's holds nothing.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        guard let id = change.remoteID else { return RemoteFingerprint(address: change.address, remoteID: nil, exists: false) }
        let media = change.parentID.flatMap { observed.liveKeys[$0]?.recordings }?.compactMap(\.video).first { $0.id == id }
        guard let media else { return RemoteFingerprint(address: change.address, remoteID: id, exists: false) }
        var fields = [
            "title": media.title, "description": media.description, "is_public": String(media.isPublic),
            "tags": media.tags.sorted().joined(separator: ", "), "player_id": media.playerID ?? "",
        ]
        if let updated = media.updatedAt { fields["updated_at"] = updated }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
