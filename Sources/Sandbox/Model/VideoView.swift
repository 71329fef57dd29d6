/// The Video object as the API returns it, with `null` for empty collections.
struct VideoView: Encodable, Sendable {
    let video: StoredVideo
    let status: String
    let apiBase: String

    init(_ video: StoredVideo, now: Double, transcodeSeconds: Double, apiBase: String) {
        self.video = video
        self.status = video.status(now: now, transcodeSeconds: transcodeSeconds)
        self.apiBase = apiBase
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, metadata, tags, qualities, subtitles, captions, chapters, duration, size, status, assets
        case type, view
        case userID = "user_id"
        case playerTheme = "player_theme"
        case isMP4 = "is_mp4"
        case isPublic = "is_public"
        case isPanoramic = "is_panoramic"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case playerThemeID = "player_theme_id"
    }

    var userID = ""
    /// The video's captions and chapters (`VideoCaption`/`MediaCaption`, `VideoChapter`/`MediaChapter`),
    /// as their own routes list them; none is `null`, as Go encodes an empty list (seed 002).
    var captions: [TrackView] = []
    var chapters: [TrackView] = []
    /// The player theme assigned, shown by `player.json` only (a media read answers `null`).
    var playerTheme: PlayerThemeView?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(video.id, forKey: .id)
        try c.encode(userID, forKey: .userID)
        try c.encode(video.title, forKey: .title)
        try c.encode(video.description, forKey: .description)
        try c.encode(video.metadata.isEmpty ? nil : video.metadata, forKey: .metadata)
        try c.encode(video.tags.isEmpty ? nil : video.tags, forKey: .tags)
        try c.encode(video.qualities.map { QualityView(quality: $0, videoStatus: status) }, forKey: .qualities)
        try c.encodeNil(forKey: .subtitles)
        try c.encode(captions.isEmpty ? nil : captions, forKey: .captions)
        try c.encode(video.mediaType, forKey: .type)
        try c.encode(0, forKey: .view)
        try c.encode(chapters.isEmpty ? nil : chapters, forKey: .chapters)
        try c.encode(playerTheme, forKey: .playerTheme)
        try c.encode(video.duration, forKey: .duration)
        try c.encode(video.size, forKey: .size)
        try c.encode(false, forKey: .isMP4)
        try c.encode(video.isPublic, forKey: .isPublic)
        try c.encode(false, forKey: .isPanoramic)
        try c.encode(status, forKey: .status)
        try c.encode(Timestamp.format(video.createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(video.updatedAt), forKey: .updatedAt)
        try c.encode(assets, forKey: .assets)
        try c.encode(video.playerThemeID, forKey: .playerThemeID)
    }

    /// URLs appear as the video progresses: source once complete, the rest once done [inferred].
    var assets: [String: String] {
        let base = "\(apiBase)/videos/\(video.id)"
        let embed = "\(apiBase)/_sandbox/embed/\(video.id)"
        let sourceReady = video.completedAt != nil
        let done = status == "done"
        func iframe(_ url: String) -> String {
            "<iframe src=\"\(url)\" width=\"100%\" height=\"100%\" frameborder=\"0\" scrolling=\"no\" allowfullscreen=\"true\"></iframe>"
        }
        return [
            "source_url": sourceReady ? "\(base)/source" : "",
            "thumbnail_url": (done || video.thumbnailExtension != nil) ? "\(base)/thumbnail?resolution=original" : "",
            "hls_url": done ? "\(base)/m3u8" : "",
            "hls_player_url": done ? "\(embed)/hls" : "",
            "hls_iframe": done ? iframe("\(embed)/hls") : "",
            "dash_url": done ? "\(base)/manifest" : "",
            "dash_player_url": done ? "\(embed)/dash" : "",
            "dash_iframe": done ? iframe("\(embed)/dash") : "",
            "mp4_url": done ? "\(base)/mp4" : "",
        ]
    }
}

/// One entry of `qualities[]` in a Video: per-quality status follows the video's.
struct QualityView: Encodable, Sendable {
    let quality: QualityRequest
    let videoStatus: String

    enum CodingKeys: String, CodingKey {
        case name, status, type
        case videoCodec = "video_codec"
        case videoBitrate = "video_bitrate"
        case audioCodec = "audio_codec"
        case audioBitrate = "audio_bitrate"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(quality.name, forKey: .name)
        try c.encode(videoStatus == "new" ? "new" : videoStatus, forKey: .status)
        try c.encode(quality.type ?? "hls", forKey: .type)
        let hasVideo = quality.videoConfig != nil || quality.audioConfig == nil
        let hasAudio = quality.audioConfig != nil || quality.videoConfig == nil
        try c.encode(hasVideo ? (quality.videoConfig?.codec ?? "h264") : "", forKey: .videoCodec)
        try c.encode(
            hasVideo ? (quality.videoConfig?.bitrate ?? Limits.defaultVideoBitrate(quality.name)) : 0, forKey: .videoBitrate)
        try c.encode(hasAudio ? (quality.audioConfig?.codec ?? "aac") : "", forKey: .audioCodec)
        try c.encode(hasAudio ? (quality.audioConfig?.bitrate ?? 128_000) : 0, forKey: .audioBitrate)
    }
}
