import Foundation

/// What `GET /playlists/{id}` does to the items it shows (the 2026 document's query): `search` keeps
/// those whose media's title contains it (case-insensitive, as the media list's search), `sort_by`
/// orders them by the item's `created_at`, the media's `title` or its `duration`, `order_by` asc (the
/// default) or desc; without `sort_by` they stay in the playlist's order (`order_by=desc` reverses it).
/// The playlist's own `item_count`, `duration` and `size` stay those of every item [inferred].
struct PlaylistItemQuery: Sendable {
    var search: String?
    var sortBy: String?
    var ascending = true

    static let sortFields = ["created_at", "title", "duration"]

    init() {}

    init(search: String?, sortBy: String?, orderBy: String?) throws {
        self.search = search.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        self.sortBy = try Paging.filter(sortBy, named: "sort_by")
        if let field = self.sortBy, !Self.sortFields.contains(field) {
            throw APIError.badRequest("sort_by must be one of created_at, title, duration (not '\(field)').")
        }
        switch orderBy {
        case nil, "asc": ascending = true
        case "desc": ascending = false
        default: throw APIError.badRequest("order_by must be asc or desc.")
        }
    }

    /// The items to show, from `entries` in the playlist's order.
    func apply(_ entries: [(item: StoredPlaylistItem, video: StoredVideo, view: PlaylistItemView)]) -> [PlaylistItemView] {
        var kept = entries.enumerated().filter { _, entry in
            search.map { entry.video.title.lowercased().contains($0) } ?? true
        }
        if let sortBy {
            kept.sort { lhs, rhs in
                let (a, b) = ascending ? (lhs, rhs) : (rhs, lhs)
                switch sortBy {
                case "title" where a.element.video.title != b.element.video.title:
                    return a.element.video.title < b.element.video.title
                case "duration" where a.element.video.duration != b.element.video.duration:
                    return a.element.video.duration < b.element.video.duration
                case "created_at" where a.element.item.createdAt != b.element.item.createdAt:
                    return a.element.item.createdAt < b.element.item.createdAt
                default:
                    return a.offset < b.offset
                }
            }
        } else if !ascending {
            kept.reverse()
        }
        return kept.map(\.element.view)
    }
}

extension PlaylistRoutes {
    /// The playlist as the API shows it; `query` chooses and orders the items shown.
    func view(_ playlist: StoredPlaylist, _ account: String, items query: PlaylistItemQuery = PlaylistItemQuery())
        async throws -> PlaylistView
    {
        var entries: [(item: StoredPlaylistItem, video: StoredVideo, view: PlaylistItemView)] = []
        var duration = 0.0
        var size = 0
        let tracks = try env.store.trackSummaries(account, videoIDs: playlist.items.map(\.videoID))
        for (index, item) in playlist.items.enumerated() {
            let video = try env.store.video(account, item.videoID)
            duration += video.duration
            size += video.size
            let base = "\(env.apiBase())/videos/\(item.videoID)"
            var media = PlaylistMediaView(
                description: video.description, duration: video.duration,
                hlsURL: video.completedAt == nil ? "" : "\(base)/m3u8", size: video.size,
                thumbnailURL: video.thumbnailExtension == nil ? "" : "\(base)/thumbnail?resolution=original", title: video.title)
            let own = tracks[item.videoID] ?? []
            media.captions = own.filter { $0.kind == "caption" }.map { TrackView($0, apiBase: env.apiBase()) }
            media.chapters = own.filter { $0.kind == "chapter" }.map { TrackView($0, apiBase: env.apiBase()) }
            let view = PlaylistItemView(
                createdAt: Timestamp.format(item.createdAt), id: item.id,
                nextID: index + 1 < playlist.items.count ? playlist.items[index + 1].id : nil, playlistID: playlist.id,
                previousID: index > 0 ? playlist.items[index - 1].id : nil, updatedAt: Timestamp.format(item.updatedAt),
                videoID: item.videoID, media: media)
            entries.append((item, video, view))
        }
        let url = "\(env.apiBase())/playlists/\(playlist.id)/player.json"
        return PlaylistView(
            createdAt: Timestamp.format(playlist.createdAt), duration: duration, id: playlist.id,
            iframe: "<iframe src=\"\(url)\" width=\"100%\" height=\"100%\" frameborder=\"0\" allowfullscreen></iframe>",
            items: query.apply(entries), itemCount: playlist.items.count,
            metadata: Dictionary(playlist.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
            name: playlist.name, playlistType: playlist.type, playlistURL: url, size: size,
            tags: playlist.tags.joined(separator: ","),
            thumbnailURL: playlist.thumbnailExtension == nil ? "" : "\(env.apiBase())/playlists/\(playlist.id)/thumbnail",
            updatedAt: Timestamp.format(playlist.updatedAt), userID: try env.store.userID(account))
    }
}

/// An item's `media` (and `video`): its captions and chapters as the media read shows them (`null`
/// when none, as Go encodes an empty list).
struct PlaylistMediaView: Encodable {
    var description: String
    var duration: Double
    var hlsURL: String
    var size: Int
    var thumbnailURL: String
    var title: String
    var captions: [TrackView] = []
    var chapters: [TrackView] = []

    enum CodingKeys: String, CodingKey {
        case captions, chapters, description, duration, size, title, qualities
        case hlsURL = "hls_url"
        case thumbnailURL = "thumbnail_url"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(captions.isEmpty ? nil : captions, forKey: .captions)
        try c.encode(chapters.isEmpty ? nil : chapters, forKey: .chapters)
        try c.encode(description, forKey: .description)
        try c.encode(duration, forKey: .duration)
        try c.encode(hlsURL, forKey: .hlsURL)
        try c.encode("", forKey: .qualities)
        try c.encode(size, forKey: .size)
        try c.encode(thumbnailURL, forKey: .thumbnailURL)
        try c.encode(title, forKey: .title)
    }
}

struct PlaylistItemView: Encodable {
    var createdAt: String
    var id: String
    var nextID: String?
    var playlistID: String
    var previousID: String?
    var updatedAt: String
    var videoID: String
    var media: PlaylistMediaView

    enum CodingKeys: String, CodingKey {
        case id, media, video
        case createdAt = "created_at"
        case nextID = "next_id"
        case playlistID = "playlist_id"
        case previousID = "previous_id"
        case updatedAt = "updated_at"
        case videoID = "video_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(id, forKey: .id)
        try c.encode(nextID, forKey: .nextID)
        try c.encode(playlistID, forKey: .playlistID)
        try c.encode(previousID, forKey: .previousID)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(videoID, forKey: .videoID)
        try c.encode(media, forKey: .media)
        try c.encode(media, forKey: .video)
    }
}

struct PlaylistView: Encodable {
    var createdAt: String
    var duration: Double
    var id: String
    var iframe: String
    var items: [PlaylistItemView]
    /// Every item of the playlist, whichever `items` shows.
    var itemCount: Int
    var metadata: [String: String]
    var name: String
    var playlistType: String
    var playlistURL: String
    var size: Int
    var tags: String
    var thumbnailURL: String
    var updatedAt: String
    var userID: String

    enum CodingKeys: String, CodingKey {
        case duration, id, iframe, items, metadata, name, size, tags
        case createdAt = "created_at"
        case itemCount = "item_count"
        case videoItems = "video_items"
        case playlistType = "playlist_type"
        case playlistURL = "playlist_url"
        case thumbnailURL = "thumbnail_url"
        case updatedAt = "updated_at"
        case userID = "user_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(duration, forKey: .duration)
        try c.encode(id, forKey: .id)
        try c.encode(iframe, forKey: .iframe)
        try c.encode(itemCount, forKey: .itemCount)
        try c.encode(items, forKey: .items)
        try c.encode(items, forKey: .videoItems)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(name, forKey: .name)
        try c.encode(playlistType, forKey: .playlistType)
        try c.encode(playlistURL, forKey: .playlistURL)
        try c.encode(size, forKey: .size)
        try c.encode(tags, forKey: .tags)
        try c.encode(thumbnailURL, forKey: .thumbnailURL)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(userID, forKey: .userID)
    }
}

struct PlaylistData: Encodable {
    var playlist: PlaylistView
}

struct PlaylistPageView: Encodable {
    var playlists: [PlaylistView]
    var total: Int
}

/// `GET /playlists/{id}/player.json`: the playlist with its player theme (none in the sandbox).
struct PublicPlaylistView: Encodable {
    var playlist: PlaylistView

    enum CodingKeys: String, CodingKey {
        case playlist
        case playerTheme = "player_theme"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNil(forKey: .playerTheme)
        try c.encode(playlist, forKey: .playlist)
    }
}
