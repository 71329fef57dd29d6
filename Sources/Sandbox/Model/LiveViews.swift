/// A live stream key as the API returns it.
struct LiveStreamKeyView: Encodable, Sendable {
    let key: StoredLiveStreamKey
    let userID: String

    enum CodingKeys: String, CodingKey {
        case id, name, save, type
        case userID = "user_id"
        case streamKey = "stream_key"
        case rtmpURL = "rtmp_url"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key.id, forKey: .id)
        try c.encode(userID, forKey: .userID)
        try c.encode(key.name, forKey: .name)
        try c.encode(key.save, forKey: .save)
        try c.encode(key.mediaType, forKey: .type)
        try c.encode(key.streamKey, forKey: .streamKey)
        try c.encode(key.rtmpURL, forKey: .rtmpURL)
        try c.encode(Timestamp.format(key.createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(key.updatedAt), forKey: .updatedAt)
    }
}

/// A streaming (and, for saved recordings, its embedded video) as the API returns it.
struct StreamingView: Encodable, Sendable {
    let streaming: StoredStreaming
    let userID: String
    let now: Double
    let apiBase: String
    let video: VideoView?
    /// The key's `type` ("video" or "audio").
    var type = "video"

    enum CodingKeys: String, CodingKey {
        case id, title, duration, assets, save, status, video, media, qualities, type
        case keyID = "live_stream_key_id"
        case userID = "user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case frameRate = "frame_rate"
        case audioBitrate = "audio_bitrate"
        case currentView = "current_view"
        case totalView = "total_view"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let base = "\(apiBase)/_sandbox/live/\(streaming.id)"
        try c.encode(streaming.id, forKey: .id)
        try c.encode(streaming.keyID, forKey: .keyID)
        try c.encode(userID, forKey: .userID)
        try c.encode(streaming.title, forKey: .title)
        try c.encode(streaming.durationMilliseconds(now: now), forKey: .duration)
        try c.encode(
            [
                "hls_url": "\(base)/index.m3u8",
                "iframe":
                    "<iframe src=\"\(base)/player\" width=\"100%\" height=\"100%\" frameborder=\"0\" scrolling=\"no\" allowfullscreen=\"true\"></iframe>",
                "player_url": "\(base)/player",
                "thumbnail_url": "\(base)/thumbnail",
            ], forKey: .assets)
        try c.encode(streaming.save, forKey: .save)
        try c.encode(streaming.status, forKey: .status)
        try c.encode(type, forKey: .type)
        try c.encode(streaming.qualities.isEmpty ? nil : streaming.qualities, forKey: .qualities)
        try c.encode(video, forKey: .video)
        // The 2026 spec names the recording `media`; both are sent so either generation decodes it.
        try c.encode(video, forKey: .media)
        try c.encode(0, forKey: .frameRate)
        try c.encode(0, forKey: .audioBitrate)
        try c.encode(0, forKey: .currentView)
        try c.encode(0, forKey: .totalView)
        try c.encode(Timestamp.format(streaming.createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(streaming.updatedAt), forKey: .updatedAt)
    }
}

/// `{videos: [...], total}` / `{live_stream_keys: [...], total}` pages; an empty page is `null`.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    /// The names the items go under: one, or both generations' (`videos` and `media`) on paths they share.
    let keys: [String]
    let items: [Item]
    let total: Int

    init(key: String, items: [Item], total: Int) {
        self.init(keys: [key], items: items, total: total)
    }

    init(keys: [String], items: [Item], total: Int) {
        self.keys = keys
        self.items = items
        self.total = total
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for key in keys { try c.encode(items.isEmpty ? nil : items, forKey: AnyKey(stringValue: key)) }
        try c.encode(total, forKey: AnyKey(stringValue: "total"))
    }
}
