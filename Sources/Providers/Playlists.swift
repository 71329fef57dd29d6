public import Manifest

/// A playlist as the service returns it: its fields, marks and items in the playlist's order.
public struct RemotePlaylist: Sendable, Hashable {
    public var id: String
    public var name: String
    public var tags: [String]
    public var metadata: [MetadataEntry]
    /// The playlist's type (`playlist_type`), when the service tells it (the media generation does).
    public var type: String?
    public var thumbnailURL: String?
    /// In the playlist's order.
    public var items: [RemotePlaylistItem]
    public var updatedAt: String?
    /// The playlist's player document (`playlist_url`, AIOZ's `player.json`), when the service tells it.
    public var playlistURL: String?

    public init(
        id: String, name: String, tags: [String] = [], metadata: [MetadataEntry] = [], type: String? = nil,
        thumbnailURL: String? = nil, items: [RemotePlaylistItem] = [], updatedAt: String? = nil
    ) {
        self.id = id
        self.name = name
        self.tags = tags
        self.metadata = metadata
        self.type = type
        self.thumbnailURL = thumbnailURL
        self.items = items
        self.updatedAt = updatedAt
    }

    public func mark(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }
}

/// One entry of a playlist: the item's own id (what move and remove name) and its video's id.
public struct RemotePlaylistItem: Sendable, Hashable {
    public var id: String
    public var videoID: String

    public init(id: String, videoID: String) {
        self.id = id
        self.videoID = videoID
    }
}

/// A playlist to create (no items, no thumbnail: those are separate calls).
public struct NewPlaylist: Sendable, Hashable {
    public var name: String
    public var tags: [String]
    public var metadata: [MetadataEntry]
    public var type: String?

    public init(name: String, tags: [String], metadata: [MetadataEntry], type: String? = nil) {
        self.name = name
        self.tags = tags
        self.metadata = metadata
        self.type = type
    }
}

/// What to change of a playlist; nil members are left as they are.
public struct PlaylistPatch: Sendable, Hashable {
    public var name: String?
    public var tags: [String]?
    public var metadata: [MetadataEntry]?
    /// A thumbnail file to upload with the change.
    public var thumbnailFile: String?

    public init(name: String? = nil, tags: [String]? = nil, metadata: [MetadataEntry]? = nil, thumbnailFile: String? = nil) {
        self.name = name
        self.tags = tags
        self.metadata = metadata
        self.thumbnailFile = thumbnailFile
    }
}

/// The playlist calls of a provider. Declared apart from `Provider` so a provider without playlists
/// (Aionvision) needs nothing; `PlaylistProviding.of(provider)` finds them.
public protocol PlaylistProvider: Sendable {
    /// Every playlist carrying all of `marks`, filtered on the server where it can and checked again here.
    func playlists(markedWith marks: [MetadataEntry]) async throws -> [RemotePlaylist]
    /// One playlist with its items, or nil when it does not exist.
    func playlist(id: String) async throws -> RemotePlaylist?
    func createPlaylist(_ playlist: NewPlaylist) async throws -> String
    func updatePlaylist(id: String, _ patch: PlaylistPatch) async throws
    func deletePlaylist(id: String) async throws
    func removePlaylistThumbnail(id: String) async throws
    /// Appends a video at the end of the playlist.
    func addPlaylistItem(playlistID: String, videoID: String) async throws
    /// Moves an item between `previousID` and `nextID` (nil: the start or the end).
    func movePlaylistItem(playlistID: String, itemID: String, previousID: String?, nextID: String?) async throws
    func removePlaylistItem(playlistID: String, itemID: String) async throws
}

/// Finds a provider's playlist calls.
public enum PlaylistProviding {
    /// The provider's playlist calls, or an error saying the service has none.
    public static func of(_ provider: any Provider) throws -> any PlaylistProvider {
        guard let playlists = provider as? any PlaylistProvider else {
            throw UnsupportedByProvider(service: provider.serviceName, what: "playlists")
        }
        return playlists
    }
}
