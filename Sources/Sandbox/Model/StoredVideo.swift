/// A video as the store keeps it; the API view is computed from it at read time.
struct StoredVideo: Codable, Sendable {
    var id: String
    var title: String
    var description: String
    var isPublic: Bool
    var tags: [String]
    var metadata: [MetadataPair]
    var qualities: [QualityRequest]
    var playerThemeID: String
    var createdAt: Double
    var updatedAt: Double
    var sequence: Int
    /// TOTAL from the first accepted `Content-Range`; later parts must agree.
    var uploadTotal: Int?
    /// Accepted parts by index: filled only when imported from `store.json` (the database keeps parts in
    /// their own table and loads them at `complete`).
    var parts: [Int: StoredPart] = [:]
    /// When `complete` succeeded; transcoding runs from here.
    var completedAt: Double?
    var failed = false
    /// True while `complete` assembles the parts.
    var assembling = false
    var size = 0
    var duration = 0.0
    var thumbnailExtension: String?
    /// Set for recordings of a live stream.
    var liveStreamKeyID: String?
    /// "video" or "audio" (the 2026 spec's `type`); "video" when the client did not say.
    var mediaType = "video"
    /// The create's `watermark` (the 2026 media read does not show it; the page and admin views do).
    var watermark: StoredWatermark?
    /// The create's `segment_duration`, in seconds; nil: the default.
    var segmentDuration: Int?

    /// The fields a 0.1.0 `store.json` has (it is imported once); `mediaType` lives only in the database.
    enum CodingKeys: String, CodingKey {
        case id, title, description, isPublic, tags, metadata, qualities, playerThemeID, createdAt, updatedAt, sequence
        case uploadTotal, parts, completedAt, failed, assembling, size, duration, thumbnailExtension, liveStreamKeyID
    }

    /// Status at `now`: transcoding is a pure function of time, so it survives restarts.
    func status(now: Double, transcodeSeconds: Double) -> String {
        guard let completedAt else { return "new" }
        if failed { return "fail" }
        return now - completedAt >= transcodeSeconds ? "done" : "transcoding"
    }
}

/// One accepted part: its byte range in the whole file. The bytes are in the part file.
struct StoredPart: Codable, Sendable {
    var index: Int
    var start: Int
    var end: Int
    var length: Int { end - start + 1 }
}

/// `VideoWatermark` as a create sent it: a watermark image's id and its placement, every field a string.
struct StoredWatermark: Codable, Sendable, Equatable {
    var id: String?
    var top: String?
    var bottom: String?
    var left: String?
    var right: String?
    var width: String?
    var height: String?
    var opacity: String?

    /// For the page: `id logo · top 10px · right 5% · opacity 80%`.
    var summary: String {
        let fields: [(String, String?)] = [
            ("id", id), ("top", top), ("bottom", bottom), ("left", left), ("right", right), ("width", width),
            ("height", height), ("opacity", opacity),
        ]
        return fields.compactMap { name, value in value.map { "\(name) \($0)" } }.joined(separator: " · ")
    }
}
