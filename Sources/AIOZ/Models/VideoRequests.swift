import Foundation

/// One requested output of a transcode (`qualities[]` in create).
public struct QualityRequest: Codable, Sendable, Hashable {
    /// Video encoding settings of one output.
    public struct VideoConfig: Codable, Sendable, Hashable {
        public var codec: String?
        /// Bits per second.
        public var bitrate: Int?
        public var index: Int?
        public init(codec: String? = nil, bitrate: Int? = nil, index: Int? = nil) {
            self.codec = codec
            self.bitrate = bitrate
            self.index = index
        }
    }

    /// Audio encoding settings of one output.
    public struct AudioConfig: Codable, Sendable, Hashable {
        public var codec: String?
        public var bitrate: Int?
        /// "1" or "2".
        public var channels: String?
        public var sampleRate: Int?
        public var language: String?
        public var index: Int?

        enum CodingKeys: String, CodingKey {
            case codec, bitrate, channels, language, index
            case sampleRate = "sample_rate"
        }

        public init(
            codec: String? = nil, bitrate: Int? = nil, channels: String? = nil, sampleRate: Int? = nil,
            language: String? = nil, index: Int? = nil
        ) {
            self.codec = codec
            self.bitrate = bitrate
            self.channels = channels
            self.sampleRate = sampleRate
            self.language = language
            self.index = index
        }
    }

    public var resolution: String
    /// "hls" or "dash".
    public var type: String
    /// hls: "mpegts" or "mp4"; dash: "fmp4".
    public var containerType: String?
    public var videoConfig: VideoConfig?
    public var audioConfig: AudioConfig?

    enum CodingKeys: String, CodingKey {
        case resolution, type
        case containerType = "container_type"
        case videoConfig = "video_config"
        case audioConfig = "audio_config"
    }

    public init(
        resolution: String, type: String = "hls", containerType: String? = nil,
        videoConfig: VideoConfig? = nil, audioConfig: AudioConfig? = nil
    ) {
        self.resolution = resolution
        self.type = type
        self.containerType = containerType
        self.videoConfig = videoConfig
        self.audioConfig = audioConfig
    }
}

/// The body of `POST /videos/create`. Nil fields are omitted, so the server applies its defaults.
public struct VideoCreateRequest: Encodable, Sendable, Hashable {
    public var title: String
    public var description: String?
    public var isPublic: Bool?
    public var tags: [String]?
    public var metadata: [MetadataPair]?
    public var qualities: [QualityRequest]?
    /// `video` or `audio`: the 2026 `/media` API asks for it; omitted for `/videos`.
    public var type: String?
    /// A watermark image of the account over the picture (both documents' `VideoWatermark`).
    public var watermark: WatermarkRequest?
    /// Seconds per HLS segment (both documents' `segment_duration`); omitted: the service's default.
    public var segmentDuration: Int?

    enum CodingKeys: String, CodingKey {
        case title, description, tags, metadata, qualities, type, watermark
        case isPublic = "is_public"
        case segmentDuration = "segment_duration"
    }

    public init(
        title: String, description: String? = nil, isPublic: Bool? = nil, tags: [String]? = nil,
        metadata: [MetadataPair]? = nil, qualities: [QualityRequest]? = nil
    ) {
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.qualities = qualities
    }
}

/// `VideoWatermark`: the id of a watermark image on the account and its placement, every field a
/// string (lengths such as `10px` or `5%`; opacity a percentage). Nil fields are omitted.
public struct WatermarkRequest: Codable, Sendable, Hashable {
    public var id: String?
    public var top: String?
    public var bottom: String?
    public var left: String?
    public var right: String?
    public var width: String?
    public var height: String?
    public var opacity: String?

    public init(
        id: String?, top: String? = nil, bottom: String? = nil, left: String? = nil, right: String? = nil,
        width: String? = nil, height: String? = nil, opacity: String? = nil
    ) {
        self.id = id
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
        self.width = width
        self.height = height
        self.opacity = opacity
    }
}

/// The body of `PATCH /videos/{id}`: nil means unchanged; a given array replaces the whole set.
public struct VideoUpdateRequest: Encodable, Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var isPublic: Bool?
    public var tags: [String]?
    public var metadata: [MetadataPair]?
    public var playerID: String?

    enum CodingKeys: String, CodingKey {
        case title, description, tags, metadata
        case isPublic = "is_public"
        case playerID = "player_id"
    }

    public init(
        title: String? = nil, description: String? = nil, isPublic: Bool? = nil, tags: [String]? = nil,
        metadata: [MetadataPair]? = nil, playerID: String? = nil
    ) {
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.playerID = playerID
    }

    /// Whether the request would change nothing.
    public var isEmpty: Bool {
        title == nil && description == nil && isPublic == nil && tags == nil && metadata == nil && playerID == nil
    }
}

/// Sort direction; always sent explicitly.
public enum SortOrder: String, Codable, Sendable {
    case ascending = "asc"
    case descending = "desc"
}

/// Filters and paging for `POST /videos`. Empty filters are not sent.
public struct VideoListQuery: Encodable, Sendable, Hashable {
    public var offset: Int
    /// 1...100.
    public var limit: Int
    /// created_at, updated_at, title or size.
    public var sortBy: String
    public var orderBy: SortOrder
    public var search: String?
    public var status: VideoStatus?
    public var tags: [String]?
    public var metadata: [MetadataPair]?
    /// The 2026 list's `type` filter (`video` or `audio`); nil: not sent.
    public var type: String?

    public init(
        offset: Int = 0, limit: Int = 25, sortBy: String = "created_at", orderBy: SortOrder = .ascending,
        search: String? = nil, status: VideoStatus? = nil, tags: [String]? = nil, metadata: [MetadataPair]? = nil
    ) {
        self.offset = offset
        self.limit = limit
        self.sortBy = sortBy
        self.orderBy = orderBy
        self.search = search
        self.status = status
        self.tags = tags
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, search, status, tags, metadata, type
        case sortBy = "sort_by"
        case orderBy = "order_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(offset, forKey: .offset)
        try c.encode(limit, forKey: .limit)
        try c.encode(sortBy, forKey: .sortBy)
        try c.encode(orderBy, forKey: .orderBy)
        if let search, !search.isEmpty { try c.encode(search, forKey: .search) }
        if let status, !status.rawValue.isEmpty { try c.encode(status, forKey: .status) }
        if let tags, !tags.isEmpty { try c.encode(tags, forKey: .tags) }
        if let metadata, !metadata.isEmpty { try c.encode(metadata, forKey: .metadata) }
        if let type { try c.encode(type, forKey: .type) }
    }
}

/// The answer of `GET /videos/cost`. `price` arrives as a string or a number; it is kept as text.
public struct Cost: Decodable, Sendable, Hashable {
    public var price: String
    public var isEnough: Bool

    enum CodingKeys: String, CodingKey {
        case price
        case isEnough = "is_enough"
    }

    public init(price: String, isEnough: Bool) {
        self.price = price
        self.isEnough = isEnough
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? c.decode(String.self, forKey: .price) {
            price = text
        } else if let number = try? c.decode(Double.self, forKey: .price) {
            price = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        } else {
            price = ""
        }
        isEnough = try c.decodeIfPresent(Bool.self, forKey: .isEnough) ?? false
    }

    /// The price as a number, when it parses.
    public var priceValue: Double? { Double(price) }
    /// The price as an exact decimal, when it parses.
    public var priceDecimal: Decimal? { AmountText.decimal(price) }
}
