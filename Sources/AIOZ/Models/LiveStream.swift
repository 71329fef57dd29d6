/// A live stream key. `streamKey` and `rtmpURL` are secrets: every textual form masks them.
public struct LiveStreamKey: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var userID: String?
    public var name: String
    public var save: Bool
    public var streamKey: String
    public var rtmpURL: String
    public var createdAt: String?
    public var updatedAt: String?
    /// `video` or `audio` (the 2026 document); nil when the answer has none.
    public var type: String?

    enum CodingKeys: String, CodingKey {
        case id, name, save, type
        case userID = "user_id"
        case streamKey = "stream_key"
        case rtmpURL = "rtmp_url"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        save = try c.decodeIfPresent(Bool.self, forKey: .save) ?? false
        streamKey = try c.decodeIfPresent(String.self, forKey: .streamKey) ?? ""
        rtmpURL = try c.decodeIfPresent(String.self, forKey: .rtmpURL) ?? ""
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        type = try c.decodeIfPresent(String.self, forKey: .type)
    }
}

extension LiveStreamKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "LiveStreamKey(id: \(id), name: \(name), save: \(save), streamKey: \(Masking.mask(streamKey)), rtmpURL: \(Masking.maskURL(rtmpURL)))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "name": name, "save": save,
                "streamKey": Masking.mask(streamKey), "rtmpURL": Masking.maskURL(rtmpURL),
                "createdAt": createdAt as Any, "updatedAt": updatedAt as Any,
            ], displayStyle: .struct)
    }
}

extension Masking {
    /// Keeps scheme and host of an ingest URL and hides the rest, which may embed the stream key.
    static func maskURL(_ url: String) -> String {
        guard !url.isEmpty else { return "" }
        guard let schemeEnd = url.range(of: "://") else { return "****" }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" }
        return url[..<schemeEnd.upperBound] + host + "/****"
    }
}

/// The body of `POST /live_streams`.
public struct LiveStreamKeyCreateRequest: Encodable, Sendable, Hashable {
    public var name: String
    public var save: Bool?
    /// `video` or `audio` (the 2026 document); sent only when given.
    public var type: String?
    public init(name: String, save: Bool? = nil, type: String? = nil) {
        self.name = name
        self.save = save
        self.type = type
    }
}

/// The body of `PUT /live_streams/{id}`; nil fields are unchanged.
public struct LiveStreamKeyUpdateRequest: Encodable, Sendable, Hashable {
    public var name: String?
    public var save: Bool?
    public init(name: String? = nil, save: Bool? = nil) {
        self.name = name
        self.save = save
    }
}

/// Query parameters of `GET /live_streams`.
public struct LiveStreamKeyListQuery: Sendable, Hashable {
    public var search: String?
    /// created_at or name.
    public var sortBy: String
    public var orderBy: SortOrder
    public var offset: Int
    public var limit: Int

    public init(
        search: String? = nil, sortBy: String = "created_at", orderBy: SortOrder = .ascending, offset: Int = 0, limit: Int = 25
    ) {
        self.search = search
        self.sortBy = sortBy
        self.orderBy = orderBy
        self.offset = offset
        self.limit = limit
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let search, !search.isEmpty { items.append(("search", search)) }
        items.append(("sort_by", sortBy))
        items.append(("order_by", orderBy.rawValue))
        items.append(("offset", String(offset)))
        items.append(("limit", String(limit)))
        return items
    }
}

/// One page of `GET /live_streams`.
public struct LiveStreamKeyPage: Decodable, Sendable {
    public var liveStreamKeys: [LiveStreamKey]
    public var total: Int

    enum CodingKeys: String, CodingKey {
        case total
        case liveStreamKeys = "live_stream_keys"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        liveStreamKeys = try c.decodeIfPresent([LiveStreamKey].self, forKey: .liveStreamKeys) ?? []
        total = try c.decodeLenientInt(forKey: .total) ?? liveStreamKeys.count
    }
}

/// Where a live streaming can be watched.
public struct StreamingAssets: Decodable, Sendable, Hashable {
    public var hlsURL: String?
    public var iframe: String?
    public var playerURL: String?
    public var thumbnailURL: String?

    enum CodingKeys: String, CodingKey {
        case iframe
        case hlsURL = "hls_url"
        case playerURL = "player_url"
        case thumbnailURL = "thumbnail_url"
    }
}

/// A live streaming under a key (seed 004); saved recordings have the same shape plus the saved `video`.
public struct Streaming: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var liveStreamKeyID: String?
    public var userID: String?
    public var title: String
    public var save: Bool
    public var status: String?
    public var qualities: [String]
    public var assets: StreamingAssets?
    /// Milliseconds.
    public var duration: Double?
    public var createdAt: String?
    public var updatedAt: String?
    /// The recorded video, for saved recordings.
    public var video: Video?

    enum CodingKeys: String, CodingKey {
        case id, title, save, status, qualities, assets, duration, video, media
        case liveStreamKeyID = "live_stream_key_id"
        case userID = "user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        liveStreamKeyID = try c.decodeIfPresent(String.self, forKey: .liveStreamKeyID)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        save = try c.decodeIfPresent(Bool.self, forKey: .save) ?? false
        status = try c.decodeIfPresent(String.self, forKey: .status)
        qualities = try c.decodeIfPresent([String].self, forKey: .qualities) ?? []
        assets = try c.decodeIfPresent(StreamingAssets.self, forKey: .assets)
        duration = try c.decodeLenientDouble(forKey: .duration)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        // `video` in the 2025 API, `media` in the 2026 one.
        video = try c.decodeIfPresent(Video.self, forKey: .video) ?? c.decodeIfPresent(Video.self, forKey: .media)
    }
}

/// A recording kept from a live streaming (seed 002): the streaming plus its saved `video`.
public typealias SavedRecording = Streaming

/// One page of streamings or saved recordings (`data: {videos, total}`).
public typealias StreamingPage = ListPage<Streaming>

extension ListPage where Item == Streaming {
    public var streamings: [Streaming] { items }
}

/// The body of `POST /live_streams/{id}/streamings`.
public struct StreamingCreateRequest: Encodable, Sendable, Hashable {
    public var title: String
    public var save: Bool?
    /// Resolutions, e.g. `["720p", "1080p"]`.
    public var qualities: [String]?
    /// Sends each quality as an object (the 2026 spec's `QualityObject`, as AIOZ's SDK does) rather
    /// than as a string (seed 002's form).
    var qualitiesAsObjects = false

    public init(title: String, save: Bool? = nil, qualities: [String]? = nil) {
        self.title = title
        self.save = save
        self.qualities = qualities
    }

    /// This request in the form `generation` documents.
    func forGeneration(_ generation: APIGeneration) -> StreamingCreateRequest {
        var request = self
        request.qualitiesAsObjects = generation == .media
        return request
    }

    enum CodingKeys: String, CodingKey { case title, save, qualities }

    /// One live quality in the 2026 form: `{"resolution": "720p", "type": "hls", "container_type": "mpegts"}`.
    struct QualityObject: Encodable {
        var resolution: String
        var type = "hls"
        var containerType = "mpegts"

        enum CodingKeys: String, CodingKey {
            case resolution, type
            case containerType = "container_type"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(save, forKey: .save)
        if let qualities {
            if qualitiesAsObjects {
                try c.encode(qualities.map { QualityObject(resolution: $0) }, forKey: .qualities)
            } else {
                try c.encode(qualities, forKey: .qualities)
            }
        }
    }
}

/// The body of `PUT /live_streams/{id}/streamings`: seed 004's `title` and `save`, and the 2026
/// document's `stream_id` (which streaming; without it the service updates the key's newest) and
/// `qualities` (sent only to change them, in the generation's form as on create).
public struct StreamingUpdateRequest: Encodable, Sendable, Hashable {
    public var title: String
    public var save: Bool?
    public var streamID: String?
    public var qualities: [String]?
    var qualitiesAsObjects = false

    public init(title: String, save: Bool? = nil, streamID: String? = nil, qualities: [String]? = nil) {
        self.title = title
        self.save = save
        self.streamID = streamID
        self.qualities = qualities
    }

    /// This request in the form `generation` documents.
    func forGeneration(_ generation: APIGeneration) -> StreamingUpdateRequest {
        var request = self
        request.qualitiesAsObjects = generation == .media
        return request
    }

    enum CodingKeys: String, CodingKey {
        case title, save, qualities
        case streamID = "stream_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(save, forKey: .save)
        try c.encodeIfPresent(streamID, forKey: .streamID)
        if let qualities {
            if qualitiesAsObjects {
                try c.encode(qualities.map { StreamingCreateRequest.QualityObject(resolution: $0) }, forKey: .qualities)
            } else {
                try c.encode(qualities, forKey: .qualities)
            }
        }
    }
}

/// Filters and paging for `POST /live_streams/{id}/videos`; a filter is sent only when it has a value.
public struct SavedRecordingQuery: Encodable, Sendable, Hashable {
    public var offset: Int
    public var limit: Int
    public var sortBy: String
    public var orderBy: SortOrder
    public var search: String?
    public var status: String?
    public var videoStatus: String?
    /// Sends `videoStatus` as `media_status` (the 2026 spec's name) rather than `video_status`.
    var statusKeyIsMedia = false

    /// This query as `generation` names its filters.
    func forGeneration(_ generation: APIGeneration) -> SavedRecordingQuery {
        var query = self
        query.statusKeyIsMedia = generation == .media
        return query
    }

    public init(
        offset: Int = 0, limit: Int = 25, sortBy: String = "created_at", orderBy: SortOrder = .ascending,
        search: String? = nil, status: String? = nil, videoStatus: String? = nil
    ) {
        self.offset = offset
        self.limit = limit
        self.sortBy = sortBy
        self.orderBy = orderBy
        self.search = search
        self.status = status
        self.videoStatus = videoStatus
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, search, status
        case sortBy = "sort_by"
        case orderBy = "order_by"
        case videoStatus = "video_status"
        case mediaStatus = "media_status"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(offset, forKey: .offset)
        try c.encode(limit, forKey: .limit)
        try c.encode(sortBy, forKey: .sortBy)
        try c.encode(orderBy, forKey: .orderBy)
        if let search, !search.isEmpty { try c.encode(search, forKey: .search) }
        if let status, !status.isEmpty { try c.encode(status, forKey: .status) }
        if let videoStatus, !videoStatus.isEmpty {
            try c.encode(videoStatus, forKey: statusKeyIsMedia ? .mediaStatus : .videoStatus)
        }
    }
}
