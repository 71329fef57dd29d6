public import Manifest

/// One metadata key/value pair, as AIOZ spells it (`{key, value}`): the manifest's own type.
public typealias MetadataPair = MetadataEntry

/// A video's lifecycle state as AIOZ reports it; unknown values are kept as-is.
public struct VideoStatus: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public static let new = VideoStatus(rawValue: "new")
    public static let transcoding = VideoStatus(rawValue: "transcoding")
    public static let done = VideoStatus(rawValue: "done")
    public static let fail = VideoStatus(rawValue: "fail")
    public static let deleted = VideoStatus(rawValue: "deleted")
    public var description: String { rawValue }
}

/// One transcoded output of a video, as read back (container, channels etc. are not reported).
public struct VideoQuality: Codable, Sendable, Hashable {
    public var name: String
    public var status: String?
    public var type: String?
    public var videoCodec: String?
    public var videoBitrate: Int?
    public var audioCodec: String?
    public var audioBitrate: Int?

    enum CodingKeys: String, CodingKey {
        case name, status, type
        case videoCodec = "video_codec"
        case videoBitrate = "video_bitrate"
        case audioCodec = "audio_codec"
        case audioBitrate = "audio_bitrate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        status = try c.decodeIfPresent(String.self, forKey: .status)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        videoCodec = try c.decodeIfPresent(String.self, forKey: .videoCodec)
        videoBitrate = try c.decodeLenientInt(forKey: .videoBitrate)
        audioCodec = try c.decodeIfPresent(String.self, forKey: .audioCodec)
        audioBitrate = try c.decodeLenientInt(forKey: .audioBitrate)
    }
}

/// Where a video can be fetched or played.
public struct VideoAssets: Codable, Sendable, Hashable {
    public var sourceURL: String?
    public var thumbnailURL: String?
    public var mp4URL: String?
    public var hlsURL: String?
    public var hlsPlayerURL: String?
    public var hlsIframe: String?
    public var dashURL: String?
    public var dashPlayerURL: String?
    public var dashIframe: String?

    enum CodingKeys: String, CodingKey {
        case sourceURL = "source_url"
        case thumbnailURL = "thumbnail_url"
        case mp4URL = "mp4_url"
        case hlsURL = "hls_url"
        case hlsPlayerURL = "hls_player_url"
        case hlsIframe = "hls_iframe"
        case dashURL = "dash_url"
        case dashPlayerURL = "dash_player_url"
        case dashIframe = "dash_iframe"
    }
}

/// A video object as AIOZ Stream returns it. Missing or `null` fields decode as empty or nil.
public struct Video: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var userID: String?
    public var title: String
    public var description: String
    public var metadata: [MetadataPair]
    public var tags: [String]
    public var qualities: [VideoQuality]
    public var status: VideoStatus
    /// Seconds.
    public var duration: Double?
    /// Bytes.
    public var size: Int64?
    public var isPublic: Bool
    public var playerThemeID: String?
    public var assets: VideoAssets?
    public var createdAt: String?
    public var updatedAt: String?
    /// The 2026 `type`: "video" or "audio"; nil from a server that does not say (the 2025 API).
    public var type: String?

    enum CodingKeys: String, CodingKey {
        case id, title, description, metadata, tags, qualities, status, duration, size, assets, type
        case userID = "user_id"
        case isPublic = "is_public"
        case playerThemeID = "player_theme_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        metadata = try c.decodeIfPresent([MetadataPair].self, forKey: .metadata) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        qualities = try c.decodeIfPresent([VideoQuality].self, forKey: .qualities) ?? []
        status = try c.decodeIfPresent(VideoStatus.self, forKey: .status) ?? VideoStatus(rawValue: "")
        duration = try c.decodeLenientDouble(forKey: .duration)
        size = try c.decodeLenientInt(forKey: .size).map(Int64.init)
        isPublic = try c.decodeIfPresent(Bool.self, forKey: .isPublic) ?? true
        playerThemeID = try c.decodeIfPresent(String.self, forKey: .playerThemeID)
        assets = try c.decodeIfPresent(VideoAssets.self, forKey: .assets)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
    }
}

/// One page of a listing whose items AIOZ puts under `videos` (2025, the seeds) or `media` (2026):
/// videos (`POST /videos`, `POST /media`), a key's streamings and its saved recordings
/// (`data: {videos|media, total}`). Either name is read; `videos` wins when both are present.
public struct ListPage<Item: Decodable & Sendable>: Decodable, Sendable {
    public var items: [Item]
    public var total: Int

    enum CodingKeys: String, CodingKey { case videos, media, total }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items =
            try c.decodeIfPresent([Item].self, forKey: .videos) ?? c.decodeIfPresent([Item].self, forKey: .media) ?? []
        total = try c.decodeLenientInt(forKey: .total) ?? items.count
    }
}

/// One page of `POST /videos`.
public typealias VideoPage = ListPage<Video>

extension ListPage where Item == Video {
    public var videos: [Video] { items }
}

extension KeyedDecodingContainer {
    /// An integer that may arrive as a JSON number (possibly with a fraction) or a numeric string.
    func decodeLenientInt(forKey key: Key) throws -> Int? {
        if try !contains(key) || decodeNil(forKey: key) { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let value = try? decode(Double.self, forKey: key), value.isFinite { return Int(value) }
        if let text = try? decode(String.self, forKey: key), let value = Int(text) { return value }
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: codingPath + [key], debugDescription: "expected a number"))
    }

    /// A number that may arrive as a JSON number or a numeric string.
    func decodeLenientDouble(forKey key: Key) throws -> Double? {
        if try !contains(key) || decodeNil(forKey: key) { return nil }
        if let value = try? decode(Double.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key), let value = Double(text) { return value }
        throw DecodingError.typeMismatch(
            Double.self, .init(codingPath: codingPath + [key], debugDescription: "expected a number"))
    }
}
