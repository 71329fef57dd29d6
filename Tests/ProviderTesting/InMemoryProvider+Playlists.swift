public import Manifest
public import Providers

/// Playlists in memory: items keep their order in an array; moves follow `previous_id`/`next_id`
/// as the sandbox does. Deleting a video removes its items (as AIOZ is assumed to).
extension InMemoryProvider: PlaylistProvider {
    /// Every playlist, oldest first.
    public var allPlaylists: [RemotePlaylist] {
        storedPlaylists.values.sorted { $0.id.localizedStandardCompare($1.id) == .orderedAscending }
    }

    /// Adds an item by hand (a video added outside streamplan), without logging a call.
    public func addItemByHand(playlistID: String, videoID: String) {
        storedPlaylists[playlistID]?.items.append(RemotePlaylistItem(id: nextID("i"), videoID: videoID))
    }

    /// Puts a playlist on the account as if made by hand.
    public func seedPlaylist(_ playlist: RemotePlaylist) { storedPlaylists[playlist.id] = playlist }

    func removeFromPlaylists(videoID: String) {
        for id in storedPlaylists.keys { storedPlaylists[id]?.items.removeAll { $0.videoID == videoID } }
    }

    public func playlists(markedWith marks: [MetadataEntry]) async throws -> [RemotePlaylist] {
        _ = try enter(.listPlaylists, marks.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        return allPlaylists.filter { playlist in marks.allSatisfy { playlist.metadata.contains($0) } }
    }

    public func playlist(id: String) async throws -> RemotePlaylist? {
        _ = try enter(.getPlaylist, id)
        return storedPlaylists[id]
    }

    public func createPlaylist(_ new: NewPlaylist) async throws -> String {
        let failure = try enter(.createPlaylist, new.name)
        let id = nextID("p")
        storedPlaylists[id] = RemotePlaylist(
            id: id, name: new.name, tags: new.tags, metadata: new.metadata, type: new.type, updatedAt: timestamp())
        return try answer(failure, id, "creating playlist \"\(new.name)\"")
    }

    public func updatePlaylist(id: String, _ patch: PlaylistPatch) async throws {
        let failure = try enter(.updatePlaylist, id)
        guard var playlist = storedPlaylists[id] else { throw Self.notFound("playlist \(id)") }
        if let v = patch.name { playlist.name = v }
        if let v = patch.tags { playlist.tags = v }
        if let v = patch.metadata { playlist.metadata = v }
        if let file = patch.thumbnailFile { playlist.thumbnailURL = "memory://thumbnail/\(file)" }
        playlist.updatedAt = timestamp()
        storedPlaylists[id] = playlist
        _ = try answer(failure, (), "updating playlist \(id)")
    }

    public func deletePlaylist(id: String) async throws {
        let failure = try enter(.deletePlaylist, id)
        guard storedPlaylists.removeValue(forKey: id) != nil else { throw Self.notFound("playlist \(id)") }
        _ = try answer(failure, (), "deleting playlist \(id)")
    }

    public func removePlaylistThumbnail(id: String) async throws {
        let failure = try enter(.removePlaylistThumbnail, id)
        guard storedPlaylists[id] != nil else { throw Self.notFound("playlist \(id)") }
        storedPlaylists[id]?.thumbnailURL = nil
        _ = try answer(failure, (), "removing the thumbnail of playlist \(id)")
    }

    public func addPlaylistItem(playlistID: String, videoID: String) async throws {
        let failure = try enter(.addPlaylistItem, "\(playlistID) \(videoID)")
        guard storedPlaylists[playlistID] != nil else { throw Self.notFound("playlist \(playlistID)") }
        guard allVideos.contains(where: { $0.id == videoID }) else { throw Self.notFound("video \(videoID)") }
        storedPlaylists[playlistID]?.items.append(RemotePlaylistItem(id: nextID("i"), videoID: videoID))
        _ = try answer(failure, (), "adding video \(videoID) to playlist \(playlistID)")
    }

    public func movePlaylistItem(playlistID: String, itemID: String, previousID: String?, nextID next: String?) async throws {
        let failure = try enter(.movePlaylistItem, "\(playlistID) \(itemID)")
        guard var playlist = storedPlaylists[playlistID] else { throw Self.notFound("playlist \(playlistID)") }
        guard let item = playlist.items.first(where: { $0.id == itemID }) else { throw Self.notFound("item \(itemID)") }
        playlist.items.removeAll { $0.id == itemID }
        if let previousID, let index = playlist.items.firstIndex(where: { $0.id == previousID }) {
            playlist.items.insert(item, at: index + 1)
        } else if let next, let index = playlist.items.firstIndex(where: { $0.id == next }) {
            playlist.items.insert(item, at: index)
        } else if previousID == nil {
            playlist.items.insert(item, at: 0)
        } else {
            throw Self.notFound("item \(previousID ?? "")")
        }
        storedPlaylists[playlistID] = playlist
        _ = try answer(failure, (), "moving item \(itemID) of playlist \(playlistID)")
    }

    public func removePlaylistItem(playlistID: String, itemID: String) async throws {
        let failure = try enter(.removePlaylistItem, "\(playlistID) \(itemID)")
        guard storedPlaylists[playlistID]?.items.contains(where: { $0.id == itemID }) == true else {
            throw Self.notFound("item \(itemID) of playlist \(playlistID)")
        }
        storedPlaylists[playlistID]?.items.removeAll { $0.id == itemID }
        _ = try answer(failure, (), "removing item \(itemID) of playlist \(playlistID)")
    }
}

extension InMemoryProvider {
    /// Audio media are kept like videos here.
    public nonisolated var audioMediaUnsupported: String? { nil }
}
