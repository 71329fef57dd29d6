public import Manifest
public import Providers

/// Playlists behind the provider protocol.
extension AIOZProvider: PlaylistProvider {
    public func playlists(markedWith marks: [MetadataEntry]) async throws -> [RemotePlaylist] {
        try await client.allPlaylists(PlaylistListQuery(metadata: marks)).map(Self.remote).filter { playlist in
            // Checked again here: a lax server can never widen the set.
            marks.allSatisfy { playlist.mark($0.key) == $0.value }
        }
    }

    public func playlist(id: String) async throws -> RemotePlaylist? {
        do {
            return Self.remote(try await client.getPlaylist(id: id))
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }

    public func createPlaylist(_ playlist: NewPlaylist) async throws -> String {
        if playlist.type != nil, client.configuration.generation != .media {
            throw UnsupportedByProvider(
                service: serviceName, what: "a playlist's type with --api videos (its `playlist_type` is in the media API only)")
        }
        return try await client.createPlaylist(
            name: playlist.name, tags: playlist.tags, metadata: playlist.metadata, type: playlist.type
        ).id
    }

    public func updatePlaylist(id: String, _ patch: PlaylistPatch) async throws {
        try await client.updatePlaylist(
            id: id, name: patch.name, tags: patch.tags, metadata: patch.metadata, thumbnailFile: patch.thumbnailFile)
    }

    public func deletePlaylist(id: String) async throws {
        try await client.deletePlaylist(id: id)
    }

    public func removePlaylistThumbnail(id: String) async throws {
        try await client.deletePlaylistThumbnail(id: id)
    }

    public func addPlaylistItem(playlistID: String, videoID: String) async throws {
        try await client.addPlaylistItem(playlistID: playlistID, videoID: videoID)
    }

    public func movePlaylistItem(playlistID: String, itemID: String, previousID: String?, nextID: String?) async throws {
        try await client.movePlaylistItem(playlistID: playlistID, itemID: itemID, previousID: previousID, nextID: nextID)
    }

    public func removePlaylistItem(playlistID: String, itemID: String) async throws {
        try await client.removePlaylistItem(playlistID: playlistID, itemID: itemID)
    }

    static func remote(_ playlist: Playlist) -> RemotePlaylist {
        var remote = RemotePlaylist(
            id: playlist.id, name: playlist.name, tags: playlist.tags, metadata: playlist.metadata, type: playlist.playlistType,
            thumbnailURL: playlist.thumbnailURL.flatMap { $0.isEmpty ? nil : $0 },
            items: playlist.items.map { RemotePlaylistItem(id: $0.id, videoID: $0.videoID) }, updatedAt: playlist.updatedAt)
        remote.playlistURL = playlist.playlistURL.flatMap { $0.isEmpty ? nil : $0 }
        return remote
    }
}
