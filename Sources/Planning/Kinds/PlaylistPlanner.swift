import Manifest
import Providers

/// Playlists: identified by their ownership marks (`streamplan.project`, `streamplan.address`), as
/// videos are. streamplan owns the whole content of a playlist it created: its items are exactly the
/// manifests' `videos`, in order (an item added by hand is removed).
///
/// - no marked playlist → create (then add its videos, in order);
/// - name, tags, metadata, thumbnail or items differ → update (items: removals, additions, and the
///   fewest moves, see `PlaylistOrder`); `type` differs (fixed at creation) → replace;
/// - several playlists with one address → keep the first, delete the others;
/// - a marked playlist whose address left the manifests → delete.
public struct PlaylistPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .playlist }
    public var desiredType: any DesiredObject.Type { DesiredPlaylist.self }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        let project = desired.project
        var byAddress: [Address: [RemotePlaylist]] = [:]
        for playlist in observed.playlists where playlist.mark(OwnershipMark.project) == project {
            guard let text = playlist.mark(OwnershipMark.address), let address = Address(parsing: text),
                address.kind == .playlist
            else { continue }
            byAddress[address, default: []].append(playlist)
        }
        guard !desired.playlists.isEmpty || !byAddress.isEmpty else { return [] }
        let videoIDs = Self.videoIDs(desired, observed, options)
        var names: [String: String] = [:]
        for video in observed.videos where video.mark(OwnershipMark.project) == project {
            if let address = video.mark(OwnershipMark.address) { names[video.id] = address }
        }
        for (address, id) in RecordingPlanner.mediaIDs(desired, observed) { names[id] = address.description }
        var entries: [PlanEntry] = []
        for var want in desired.playlists.sorted(by: { $0.address < $1.address }) {
            want.videoIDs = want.videos.map { videoIDs[$0] ?? nil }
            let missing = zip(want.videos, want.videoIDs).filter { $0.0.kind == .recording && $0.1 == nil }.map(\.0)
            let candidates = byAddress[want.address] ?? []
            guard let keep = candidates.first else {
                if let imported = desired.imports[want.address] {
                    var change = Self.importChange(want, id: imported, project: project, observed, names, options)
                    change.blocked = change.blocked ?? Self.missingRecordings(missing)
                    entries.append(.change(change))
                    continue
                }
                var change = Self.create(want)
                change.blocked = Self.missingRecordings(missing)
                entries.append(.change(change))
                continue
            }
            for extra in candidates.dropFirst() {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .delete, remoteID: extra.id,
                            reasons: ["a second playlist carries this address (left by an interrupted apply); \(keep.id) is kept"]
                        )))
            }
            if var change = Self.compare(want, keep, names: names) {
                change.blocked = change.blocked ?? Self.missingRecordings(missing)
                entries.append(.change(change))
            } else {
                entries.append(.unchanged(want.address))
            }
        }
        let wanted = Set(desired.playlists.map(\.address))
        for address in byAddress.keys.sorted() where !wanted.contains(address) {
            for playlist in byAddress[address] ?? [] {
                entries.append(
                    .change(
                        ResourceChange(
                            address: address, action: .delete, remoteID: playlist.id,
                            reasons: ["it is no longer in the manifests"],
                            attributes: [AttributeChange(name: "name", before: playlist.name, after: nil)])))
            }
        }
        return entries
    }

    /// The id each desired video will have when playlists are applied: the one found, or nil when
    /// this apply creates or replaces the video (its id is known only then).
    static func videoIDs(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [Address: String?] {
        var ids: [Address: String?] = [:]
        var deleted = Set<String>()
        for entry in VideoPlanner().plan(desired, observed, options) {
            guard case .change(let change) = entry else { continue }
            switch change.action {
            case .create, .replace: ids[change.address] = .some(nil)
            case .delete: if let id = change.remoteID { deleted.insert(id) }
            default: if let id = change.remoteID { ids[change.address] = id }
            }
        }
        for video in observed.videos
        where video.mark(OwnershipMark.project) == desired.project && video.state != .deleted && !deleted.contains(video.id) {
            guard let text = video.mark(OwnershipMark.address), let address = Address(parsing: text), ids[address] == nil
            else { continue }
            ids[address] = video.id
        }
        for (address, id) in RecordingPlanner.mediaIDs(desired, observed) { ids[address] = id }
        return ids
    }

    /// Why a playlist that lists recordings without a media id cannot be applied, or nil.
    static func missingRecordings(_ missing: [Address]) -> String? {
        guard !missing.isEmpty else { return nil }
        return "it lists \(missing.map(\.description).joined(separator: ", ")) (no saved recording found: see its line)"
    }

    static func create(_ want: DesiredPlaylist) -> ResourceChange {
        var attributes = [AttributeChange(name: "name", before: nil, after: want.name)]
        if !want.tags.isEmpty { attributes.append(AttributeChange(name: "tags", before: nil, after: list(want.tags))) }
        if !want.metadata.isEmpty {
            attributes.append(AttributeChange(name: "metadata", before: nil, after: metadataText(want.metadata)))
        }
        if let type = want.type { attributes.append(AttributeChange(name: "type", before: nil, after: type)) }
        attributes.append(AttributeChange(name: "videos", before: nil, after: list(want.videos.map(DesiredPlaylist.label))))
        // As a video's create shows its thumbnail: the file, aligned with the other attributes.
        if let thumbnail = want.thumbnail {
            attributes.append(AttributeChange(name: "thumbnail", before: nil, after: thumbnail.written))
        }
        return ResourceChange(
            address: want.address, action: .create, attributes: attributes,
            fields: want.videos.isEmpty ? [] : [.items], thumbnail: want.thumbnail == nil ? nil : .set,
            desired: .playlist(want))
    }

    static func compare(_ want: DesiredPlaylist, _ have: RemotePlaylist, names: [String: String]) -> ResourceChange? {
        if let type = want.type, let current = have.type, type != current {
            var change = create(want)
            change.action = .replace
            change.remoteID = have.id
            change.reasons = ["a playlist's type is fixed when it is created"]
            change.attributes.insert(AttributeChange(name: "type", before: current, after: type), at: 0)
            change.attributes.removeAll { $0.name == "type" && $0.before == nil }
            change.replaceOrder = .createThenDelete
            return change
        }
        var changes = FieldChanges()
        changes.compare(.name, have.name, want.name)
        changes.compare(.tags, list(have.tags), list(want.tags), differ: Set(have.tags) != Set(want.tags))
        let userMetadata = have.metadata.filter { !$0.key.hasPrefix("streamplan.") }
        changes.compare(
            .metadata, metadataText(userMetadata), metadataText(want.metadata),
            differ: Set(userMetadata) != Set(want.metadata))
        var thumbnail: ThumbnailChange?
        let mark = have.mark(OwnershipMark.thumbnailSHA256)
        if let hash = want.thumbnailSHA256, hash != mark {
            thumbnail = mark == nil ? .set : .replace
        } else if want.thumbnail == nil, mark != nil {
            thumbnail = .remove
        }
        var fields = changes.fields
        var attributes = changes.attributes
        if let thumbnail {
            fields.insert(.thumbnail)
            attributes.append(
                AttributeChange(
                    name: "thumbnail", before: mark == nil ? nil : "set",
                    after: thumbnail == .remove ? nil : want.thumbnail?.written))
        }
        let wanted = wantedIDs(want)
        if have.items.map(\.videoID) != wanted {
            fields.insert(.items)
            attributes += itemChanges(have.items, wanted: wanted, want: want, names: names)
        }
        guard !fields.isEmpty else { return nil }
        return ResourceChange(
            address: want.address, action: .update, remoteID: have.id, attributes: attributes, fields: fields,
            thumbnail: thumbnail, desired: .playlist(want))
    }

    /// Adopting playlist `id` (an `import:` block) as `want`: its marks are written, and its fields
    /// and items made the manifests' (the items shown as a reorder, as an update shows them); blocked
    /// when it does not exist or carries a project's marks already.
    static func importChange(
        _ want: DesiredPlaylist, id: String, project: String, _ observed: Observation, _ names: [String: String],
        _ options: PlanOptions
    ) -> ResourceChange {
        var change = ResourceChange(address: want.address, action: .import, remoteID: id, desired: .playlist(want))
        guard let have = observed.playlists.first(where: { $0.id == id }) else {
            change.blocked = ImportRules.notFound(.playlist, id: id, observed, options)
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
        change.reasons = ["made outside streamplan (id \(id)); apply writes its ownership marks"]
        if let type = want.type, let current = have.type, type != current {
            change.blocked =
                "its type is \(current), the manifests' is \(type), and a playlist's type is fixed when it is created; "
                + "write type: \(current) or remove the import block"
            return change
        }
        if let update = compare(want, have, names: names) {
            change.fields = update.fields
            change.attributes = update.attributes
            change.thumbnail = update.thumbnail
        }
        return change
    }

    /// The wanted video ids, with a placeholder for a video this apply creates.
    static func wantedIDs(_ want: DesiredPlaylist) -> [String] {
        zip(want.videos, want.videoIDs).map { address, id in id ?? "pending:\(address)" }
    }

    /// The reorder for people: the whole list before and after, then each removed, added and moved
    /// video with its old and new position (from 1).
    static func itemChanges(_ current: [RemotePlaylistItem], wanted: [String], want: DesiredPlaylist, names: [String: String])
        -> [AttributeChange]
    {
        var label: [String: String] = names
        for (address, id) in zip(want.videos, wanted) { label[id] = address.description }
        func name(_ id: String) -> String { label[id] ?? "video id \(id) (not in the manifests)" }
        func short(_ id: String) -> String {
            label[id].map { $0.hasPrefix("video.") ? String($0.dropFirst("video.".count)) : $0 } ?? "id \(id)"
        }
        var out = [
            AttributeChange(
                name: "videos", before: list(current.map { short($0.videoID) }),
                after: list(want.videos.map(DesiredPlaylist.label)))
        ]
        let oldPosition = Dictionary(
            current.enumerated().map { ($0.element.id, $0.offset + 1) }, uniquingKeysWith: { a, _ in a })
        let removed = PlaylistOrder.removals(current, wanted: wanted)
        for item in removed {
            out.append(
                AttributeChange(
                    name: "removed \(name(item.videoID))", before: "position \(oldPosition[item.id] ?? 0)", after: nil))
        }
        let added = PlaylistOrder.additions(current, wanted: wanted)
        let newPosition = Dictionary(wanted.enumerated().map { ($0.element, $0.offset + 1) }, uniquingKeysWith: { a, _ in a })
        for id in added {
            out.append(AttributeChange(name: "added \(name(id))", before: nil, after: "position \(newPosition[id] ?? 0)"))
        }
        let removedIDs = Set(removed.map(\.id))
        let kept = current.filter { !removedIDs.contains($0.id) } + added.map { RemotePlaylistItem(id: "new:\($0)", videoID: $0) }
        let addedSet = Set(added)
        for move in PlaylistOrder.moves(kept, wanted: wanted) where !addedSet.contains(move.videoID) {
            out.append(
                AttributeChange(
                    name: "moved \(name(move.videoID))", before: "position \(oldPosition[move.itemID] ?? 0)",
                    after: "position \(newPosition[move.videoID] ?? 0)"))
        }
        return out
    }

    static func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }

    static func metadataText(_ entries: [MetadataEntry]) -> String {
        "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// A playlist holds `name`, `tags` (as a set), `metadata` (marks included), `type`, `items` (its
    /// videos' ids in order) and `updated_at`. A create's holds while no playlist of the project
    /// carries the address.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        guard change.action != .create, let id = change.remoteID else {
            let found = observed.playlists.first { $0.mark(OwnershipMark.address) == change.address.description }
            return RemoteFingerprint(address: change.address, remoteID: found?.id, exists: found != nil)
        }
        guard let playlist = observed.playlists.first(where: { $0.id == id }) else {
            return RemoteFingerprint(address: change.address, remoteID: id, exists: false)
        }
        var fields: [String: String] = [
            "name": playlist.name,
            "tags": playlist.tags.sorted().joined(separator: ", "),
            "metadata": playlist.metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "),
            "items": playlist.items.map(\.videoID).joined(separator: ", "),
        ]
        if let type = playlist.type { fields["type"] = type }
        if let updated = playlist.updatedAt { fields["updated_at"] = updated }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
