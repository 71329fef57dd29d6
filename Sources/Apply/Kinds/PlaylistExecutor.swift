import Manifest
import Planning
import Providers

/// Playlists: owned by their marks, as videos are. One playlist at a time; each change first sets
/// the playlist's fields (the thumbnail in the same request as its mark), then its items: removals,
/// additions, and the fewest moves (`PlaylistOrder`), computed again from the playlist as it is now
/// (the same as the plan's when the plan's fingerprint holds), then checked by reading it back.
public struct PlaylistExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .playlist }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        // A service without playlists (the manifests refuse `playlists:` there) has none to read.
        guard let playlists = context.provider as? any PlaylistProvider else { return }
        let project = MetadataEntry(key: OwnershipMark.project, value: context.project)
        observation.playlists = try await playlists.playlists(markedWith: [project]).filter {
            $0.mark(OwnershipMark.project) == context.project
        }
        // Playlists to import carry no marks of this project (yet): read each by its id.
        for (address, id) in desired.imports.sorted(by: { $0.key < $1.key })
        where address.kind == .playlist && !observation.playlists.contains(where: { $0.id == id }) {
            if let playlist = try await playlists.playlist(id: id) {
                observation.playlists.append(playlist)
            } else {
                await ImportProbe.record(id, expected: .playlist, into: &observation, context)
            }
        }
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        let playlists = try PlaylistProviding.of(context.provider)
        for change in changes {
            if change.action != .create, let id = change.remoteID {
                if let playlist = try await playlists.playlist(id: id) { observation.playlists.append(playlist) }
            } else {
                observation.playlists += try await find(change.address, context)
            }
        }
    }

    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes {
            outcomes.append(await context.outcome(change) { try await execute(change, context) })
        }
        return outcomes
    }

    private func execute(_ change: ResourceChange, _ context: ApplyContext) async throws -> String? {
        let playlists = try PlaylistProviding.of(context.provider)
        switch change.action {
        case .delete:
            guard let id = change.remoteID else { return nil }
            do {
                try await playlists.deletePlaylist(id: id)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.playlistAfterDelete.reach()
            return nil
        case .create, .replace:
            guard let want = change.desired?.playlist else { throw ApplyError("\(change.address): nothing in the manifests") }
            // Every video's id first: a playlist is not created when one of its videos is missing.
            let ids = try await videoIDs(want, context)
            let old = change.action == .replace ? change.remoteID : nil
            let id = try await create(want, replacing: old, context)
            try await syncItems(id, want: want, ids: ids, playlists)
            if let old {
                await CrashPoint.playlistReplaceBeforeDelete.reach()
                // The old playlist goes only once its replacement is proven: another object, on the account.
                try await ReplaceGuard.check(address: change.address, old: old, new: id) {
                    try await playlists.playlist(id: id) != nil
                }
                do {
                    try await playlists.deletePlaylist(id: old)
                } catch  where error.remoteFailure == .notFound {}
            }
            return id
        case .update, .resume, .import, .move, .protect, .unprotect:
            guard let want = change.desired?.playlist, let id = change.remoteID else {
                throw ApplyError("\(change.address): nothing to update")
            }
            let ids = change.fields.contains(.items) ? try await videoIDs(want, context) : []
            try await update(id, want: want, change: change, context)
            if change.fields.contains(.items) { try await syncItems(id, want: want, ids: ids, playlists) }
            return id
        }
    }

    /// Creates the playlist with its marks and a token of its own (`streamplan.create_token`, dropped
    /// by the marks' `PATCH` that follows): a lost answer is resolved only to the playlist carrying
    /// the token, never to the one being replaced (`replacing`), which carries the same address.
    private func create(_ want: DesiredPlaylist, replacing old: String?, _ context: ApplyContext) async throws -> String {
        let playlists = try PlaylistProviding.of(context.provider)
        var marks = want
        marks.thumbnail = nil
        let token = MetadataEntry(key: CreateToken.key, value: CreateToken.make())
        let id: String
        do {
            id = try await playlists.createPlaylist(
                NewPlaylist(
                    name: want.name, tags: want.tags, metadata: marks.metadata(project: context.project) + [token],
                    type: want.type))
        } catch  where error.remoteFailure == .outcomeUnknown {
            // The answer was lost: the playlist carries its token, so look before creating again.
            let found = try await find(want.address, extra: [token], context).filter { $0.id != old }
            guard found.count == 1 else {
                throw ApplyError(
                    "the answer to creating \(want.address) was lost and \(found.count) playlists carry its create's token; "
                        + "run apply again")
            }
            id = found[0].id
        }
        guard id != old else {
            throw ApplyError(
                "the create of \(want.address) answered with the id of the playlist it replaces (\(id)); nothing deleted")
        }
        await CrashPoint.playlistAfterCreate.reach()
        // The marks without the token (and the thumbnail with its mark).
        var thumbnailFile: String?
        if let thumbnail = want.thumbnail {
            thumbnailFile = try await LFSFetcher.contentPath(of: thumbnail, hashes: context.hashes)
        }
        try await playlists.updatePlaylist(
            id: id, PlaylistPatch(metadata: want.metadata(project: context.project), thumbnailFile: thumbnailFile))
        return id
    }

    /// The fields first; a new thumbnail goes in the same request as its mark, a removed one is
    /// removed before its mark.
    private func update(_ id: String, want: DesiredPlaylist, change: ResourceChange, _ context: ApplyContext) async throws {
        let playlists = try PlaylistProviding.of(context.provider)
        if change.thumbnail == .remove { try await playlists.removePlaylistThumbnail(id: id) }
        let fields = change.fields.subtracting([.items])
        // An import writes the marks even when nothing else differs.
        guard !fields.isEmpty || change.action == .import else { return }
        var patch = PlaylistPatch()
        if fields.contains(.name) { patch.name = want.name }
        if fields.contains(.tags) { patch.tags = want.tags }
        if fields.contains(.metadata) || fields.contains(.thumbnail) || change.action == .import {
            patch.metadata = want.metadata(project: context.project)
        }
        if change.thumbnail == .set || change.thumbnail == .replace, let thumbnail = want.thumbnail {
            patch.thumbnailFile = try await LFSFetcher.contentPath(of: thumbnail, hashes: context.hashes)
        }
        try await playlists.updatePlaylist(id: id, patch)
    }

    /// Each video's id: as planned, or made by this apply (a create or replace of the video).
    func videoIDs(_ want: DesiredPlaylist, _ context: ApplyContext) async throws -> [String] {
        var ids: [String] = []
        for (address, planned) in zip(want.videos, want.videoIDs) {
            if await context.results.hasFailed(address) {
                throw ApplyError("its \(address.kind.noun) \(address) failed in this apply; the playlist was left as it was")
            }
            if let made = await context.results.id(of: address) {
                ids.append(made)
            } else if let planned {
                ids.append(planned)
            } else if let made = try await CrossShard.videoID(address, context) {
                // With --shard, another shard uploads the video while shard 1 makes the playlist.
                ids.append(made)
            } else {
                let why = CrossShard.waited(
                    context,
                    else:
                        " (with --shard, a video of another shard: apply that shard first, or let apply --shard wait for it with --shard-wait)"
                )
                throw ApplyError(
                    "its video \(address) has no id on \(context.provider.serviceName) yet\(why); the playlist was left as it was"
                )
            }
        }
        return ids
    }

    /// Makes the playlist's items exactly `ids`, in order, and checks it by reading them back.
    func syncItems(_ id: String, want: DesiredPlaylist, ids: [String], _ playlists: any PlaylistProvider) async throws {
        func read() async throws -> [RemotePlaylistItem] {
            guard let playlist = try await playlists.playlist(id: id) else {
                throw ApplyError("playlist \(id) no longer exists")
            }
            return playlist.items
        }
        var items = try await read()
        for item in PlaylistOrder.removals(items, wanted: ids) {
            do {
                try await playlists.removePlaylistItem(playlistID: id, itemID: item.id)
            } catch  where error.remoteFailure == .notFound {}
        }
        let additions = PlaylistOrder.additions(items, wanted: ids)
        for videoID in additions {
            try await playlists.addPlaylistItem(playlistID: id, videoID: videoID)
            await CrashPoint.playlistMidItems.reach()
        }
        items = try await read()
        let moves = PlaylistOrder.moves(items, wanted: ids)
        for move in moves {
            try await playlists.movePlaylistItem(
                playlistID: id, itemID: move.itemID, previousID: move.previousID, nextID: move.nextID)
        }
        if !moves.isEmpty { items = try await read() }
        let now = items.map(\.videoID)
        guard now == ids else {
            let names = Dictionary(zip(ids, want.videos.map(DesiredPlaylist.label)), uniquingKeysWith: { a, _ in a })
            throw ApplyError(
                "after the changes the playlist holds [\(now.map { names[$0] ?? $0 }.joined(separator: ", "))], "
                    + "not [\(want.videos.map(DesiredPlaylist.label).joined(separator: ", "))]")
        }
    }

    private func find(_ address: Address, extra: [MetadataEntry] = [], _ context: ApplyContext) async throws -> [RemotePlaylist] {
        let playlists = try PlaylistProviding.of(context.provider)
        let marks =
            [
                MetadataEntry(key: OwnershipMark.project, value: context.project),
                MetadataEntry(key: OwnershipMark.address, value: address.description),
            ] + extra
        return try await playlists.playlists(markedWith: marks).filter { playlist in
            marks.allSatisfy { playlist.mark($0.key) == $0.value }
        }
    }
}
