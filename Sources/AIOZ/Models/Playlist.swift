import Foundation

/// A playlist as AIOZ answers it. The two generations name the items differently (`video_items` with
/// `video` under `/videos`' document, `items` with `media` under the 2026 one); both are read.
/// `metadata` is an object in the documents (an array of pairs is accepted too); `tags` a string
/// (comma-separated; an array is accepted too).
public struct Playlist: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var tags: [String]
    public var metadata: [MetadataPair]
    public var playlistType: String?
    public var thumbnailURL: String?
    public var items: [PlaylistItem]
    public var updatedAt: String?
    public var playlistURL: String?

    enum CodingKeys: String, CodingKey {
        case id, name, tags, metadata, items
        case playlistURL = "playlist_url"
        case videoItems = "video_items"
        case playlistType = "playlist_type"
        case thumbnailURL = "thumbnail_url"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        if let list = try? c.decodeIfPresent([String].self, forKey: .tags) {
            tags = list
        } else {
            let text = (try? c.decodeIfPresent(String.self, forKey: .tags)) ?? nil
            tags = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let pairs = try? c.decodeIfPresent([MetadataPair].self, forKey: .metadata) {
            metadata = pairs
        } else {
            let object = (try? c.decodeIfPresent([String: String].self, forKey: .metadata)) ?? nil
            metadata = (object ?? [:]).sorted { $0.key < $1.key }.map { MetadataPair(key: $0.key, value: $0.value) }
        }
        let type = try c.decodeIfPresent(String.self, forKey: .playlistType)
        playlistType = type?.isEmpty == true ? nil : type
        thumbnailURL = try c.decodeIfPresent(String.self, forKey: .thumbnailURL)
        let items = try c.decodeIfPresent([PlaylistItem].self, forKey: .items)
        let videoItems = try c.decodeIfPresent([PlaylistItem].self, forKey: .videoItems)
        self.items = Self.ordered(items ?? videoItems ?? [])
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        playlistURL = try? c.decodeIfPresent(String.self, forKey: .playlistURL)
    }

    /// The items in the playlist's order: following `previous_id`/`next_id` from the item with no
    /// previous one when the links make one chain through all of them, else as answered.
    static func ordered(_ items: [PlaylistItem]) -> [PlaylistItem] {
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let heads = items.filter { ($0.previousID ?? "").isEmpty }
        guard heads.count == 1, byID.count == items.count else { return items }
        var chain: [PlaylistItem] = []
        var seen = Set<String>()
        var current: PlaylistItem? = heads[0]
        while let item = current, seen.insert(item.id).inserted {
            chain.append(item)
            current = (item.nextID).flatMap { byID[$0] }
        }
        return chain.count == items.count ? chain : items
    }
}

/// One item of a playlist: its own id and its video's.
public struct PlaylistItem: Decodable, Sendable, Hashable {
    public var id: String
    public var videoID: String
    public var previousID: String?
    public var nextID: String?

    enum CodingKeys: String, CodingKey {
        case id
        case videoID = "video_id"
        case previousID = "previous_id"
        case nextID = "next_id"
    }
}

/// `data` of a playlist answer: `{playlist: …}`.
struct PlaylistData: Decodable, Sendable {
    var playlist: Playlist
}

/// `data` of `POST /playlists`: `{playlists: […], total}`.
public struct PlaylistPage: Decodable, Sendable {
    public var playlists: [Playlist]
    public var total: Int

    enum CodingKeys: String, CodingKey { case playlists, total }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        playlists = try c.decodeIfPresent([Playlist].self, forKey: .playlists) ?? []
        total = try c.decodeIfPresent(Int.self, forKey: .total) ?? playlists.count
    }
}

/// `POST /playlists`: filters and a page.
public struct PlaylistListQuery: Encodable, Sendable {
    public var metadata: [MetadataPair]?
    public var offset = 0
    public var limit = 100
    public var sortBy = "created_at"
    public var orderBy = "asc"

    enum CodingKeys: String, CodingKey {
        case metadata, offset, limit
        case sortBy = "sort_by"
        case orderBy = "order_by"
    }

    public init(metadata: [MetadataPair]? = nil) { self.metadata = metadata }
}

/// `POST /playlists/create`.
struct PlaylistCreateRequest: Encodable, Sendable {
    var name: String
    var tags: [String]
    var metadata: [MetadataPair]
    var playlistType: String?

    enum CodingKeys: String, CodingKey {
        case name, tags, metadata
        case playlistType = "playlist_type"
    }
}

/// `POST /playlists/{id}/items`: `video_id` (2025) or `media_id` (2026).
struct PlaylistAddRequest: Encodable, Sendable {
    var videoID: String
    var generation: String

    enum CodingKeys: String, CodingKey {
        case videoID = "video_id"
        case mediaID = "media_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(videoID, forKey: generation == "media" ? .mediaID : .videoID)
    }
}

/// `PUT /playlists/{id}/items`: the item and its new neighbours.
struct PlaylistMoveRequest: Encodable, Sendable {
    var currentID: String
    var previousID: String?
    var nextID: String?

    enum CodingKeys: String, CodingKey {
        case currentID = "current_id"
        case previousID = "previous_id"
        case nextID = "next_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(currentID, forKey: .currentID)
        try c.encodeIfPresent(previousID, forKey: .previousID)
        try c.encodeIfPresent(nextID, forKey: .nextID)
    }
}
