import Hummingbird

/// `POST /videos/create`.
struct CreateVideoBody: Decodable, Sendable {
    var title: String?
    var description: String?
    var isPublic: Bool?
    var tags: [String]?
    var metadata: [MetadataPair]?
    var qualities: [QualityRequest]?
    /// The 2026 spec's `type`: "video" or "audio".
    var type: String?
    /// `VideoWatermark` (both specs): a watermark image's id and its placement, all strings.
    var watermark: StoredWatermark?
    /// Seconds per HLS segment (both specs' `segment_duration`).
    var segmentDuration: Int?

    enum CodingKeys: String, CodingKey {
        case title, description, tags, metadata, qualities, type, watermark
        case isPublic = "is_public"
        case segmentDuration = "segment_duration"
    }
}

extension CreateVideoBody {
    /// JSON, or `application/x-www-form-urlencoded` as both documents also allow: `title`,
    /// `description`, `is_public`, `type` and `tags` (the field repeated). A form has no encoding
    /// for the objects of `metadata`, `qualities` and `watermark`: those need JSON (400).
    static func decode(_ request: Request) async throws -> CreateVideoBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return try await RequestDecoding.json(CreateVideoBody.self, from: request)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: RequestDecoding.maxJSONBody)
        return try form(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    static func form(_ text: String) throws -> CreateVideoBody {
        var body = CreateVideoBody()
        for (name, value) in FormPairs.decode(text) {
            switch name {
            case "title": body.title = value
            case "description": body.description = value
            case "type": body.type = value
            case "segment_duration":
                guard let seconds = Int(value) else { throw APIError.badRequest("segment_duration must be an integer.") }
                body.segmentDuration = seconds
            case "tags", "tags[]": body.tags = (body.tags ?? []) + [value]
            case "is_public":
                guard let flag = Bool(value.lowercased()) else { throw APIError.badRequest("is_public must be true or false.") }
                body.isPublic = flag
            case "metadata", "qualities", "watermark":
                throw APIError.badRequest("\(name) must be sent in a JSON body: a form has no encoding for its objects.")
            default: continue
            }
        }
        return body
    }
}

/// `PATCH /videos/{id}`: omitted fields stay as they are.
struct UpdateVideoBody: Decodable, Sendable {
    var title: String?
    var description: String?
    var isPublic: Bool?
    var tags: [String]?
    var metadata: [MetadataPair]?
    var playerID: String?

    enum CodingKeys: String, CodingKey {
        case title, description, tags, metadata
        case isPublic = "is_public"
        case playerID = "player_id"
    }
}

/// `POST /videos` (list). `metadata` is `[{key,value}]` per the contract; the `{"k":"v"}` form of seed 001 is accepted too.
struct VideoListBody: Decodable, Sendable {
    var offset: Int?
    var limit: Int?
    var sortBy: String?
    var orderBy: String?
    var search: String?
    /// Any of these statuses: the 2026 document's list takes an array, the 2025 one a string.
    var status: [String]?
    var tags: [String]?
    var metadata: [MetadataPair]?
    /// The 2026 list's `type` filter ("video" or "audio"); absent: every type.
    var type: String?

    enum CodingKeys: String, CodingKey {
        case offset, limit, search, status, tags, metadata, type
        case sortBy = "sort_by"
        case orderBy = "order_by"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        offset = try c.decodeIfPresent(Int.self, forKey: .offset)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        sortBy = try c.decodeIfPresent(String.self, forKey: .sortBy)
        orderBy = try c.decodeIfPresent(String.self, forKey: .orderBy)
        search = try c.decodeIfPresent(String.self, forKey: .search)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        if let one = try? c.decodeIfPresent(String.self, forKey: .status) {
            status = [one]
        } else {
            status = try c.decodeIfPresent([String].self, forKey: .status)
        }
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        if let pairs = try? c.decodeIfPresent([MetadataPair].self, forKey: .metadata) {
            metadata = pairs
        } else if let map = try? c.decodeIfPresent([String: String].self, forKey: .metadata) {
            metadata = map.sorted { $0.key < $1.key }.map { MetadataPair(key: $0.key, value: $0.value) }
        } else if c.contains(.metadata), !(try c.decodeNil(forKey: .metadata)) {
            throw APIError.badRequest("Invalid request body: metadata must be a list of {key, value} pairs.")
        }
    }
}

/// `POST /live_streams/{id}/videos` (saved recordings).
struct SavedVideoListBody: Decodable, Sendable {
    var offset: Int?
    var limit: Int?
    var sortBy: String?
    var orderBy: String?
    var search: String?
    var status: String?
    var videoStatus: String?

    enum CodingKeys: String, CodingKey {
        case offset, limit, search, status
        case sortBy = "sort_by"
        case orderBy = "order_by"
        case videoStatus = "video_status"
        case mediaStatus = "media_status"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        offset = try c.decodeIfPresent(Int.self, forKey: .offset)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        sortBy = try c.decodeIfPresent(String.self, forKey: .sortBy)
        orderBy = try c.decodeIfPresent(String.self, forKey: .orderBy)
        search = try c.decodeIfPresent(String.self, forKey: .search)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        // Seed 002 filters by `video_status`; the 2026 spec's `/live_streams/{id}/media` by `media_status`.
        videoStatus =
            try c.decodeIfPresent(String.self, forKey: .videoStatus) ?? c.decodeIfPresent(String.self, forKey: .mediaStatus)
    }
}

/// `POST /live_streams` and `PUT /live_streams/{id}`.
struct LiveStreamKeyBody: Decodable, Sendable {
    var name: String?
    var save: Bool?
    /// The 2026 spec's `type` on create: "video" or "audio".
    var type: String?
    /// `type` as a boolean: what the 2026 document's `UpdateLiveStreamKeyRequest` says (its meaning
    /// is not documented, so it is accepted and changes nothing [inferred]).
    var typeFlag: Bool?

    enum CodingKeys: String, CodingKey { case name, save, type }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        save = try c.decodeIfPresent(Bool.self, forKey: .save)
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .type) {
            typeFlag = flag
        } else {
            type = try c.decodeIfPresent(String.self, forKey: .type)
        }
    }
}

/// `POST /live_streams/{id}/streamings` and `PUT /live_streams/{id}/streamings`.
///
/// `qualities` are resolutions, as strings (the streaming reference: `["360p","720p"]`) or as objects
/// (AIOZ's SDK and the newer specs: `[{"resolution":"720p","type":"hls","container_type":"mpegts"}]`);
/// both are accepted and kept as resolutions.
struct StreamingBody: Decodable, Sendable {
    var title: String?
    var save: Bool?
    var qualities: [String]?
    /// The 2026 document's `stream_id` on update: which streaming (none: the key's newest).
    var streamID: String?

    enum CodingKeys: String, CodingKey {
        case title, save, qualities
        case streamID = "stream_id"
    }

    /// One entry of `qualities` in either form.
    struct Quality: Decodable {
        var resolution: String

        enum CodingKeys: String, CodingKey { case resolution }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                resolution = text
                return
            }
            resolution = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .resolution)
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        save = try c.decodeIfPresent(Bool.self, forKey: .save)
        qualities = try c.decodeIfPresent([Quality].self, forKey: .qualities)?.map(\.resolution)
        streamID = try c.decodeIfPresent(String.self, forKey: .streamID)
    }
}

/// Admin bodies.
struct BroadcastingBody: Codable, Sendable { var broadcasting: Bool }
struct BalanceBody: Codable, Sendable { var balance: Double }
