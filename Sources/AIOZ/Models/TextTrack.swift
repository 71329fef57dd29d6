/// A caption or chapter list as AIOZ lists it (`VideoCaption`/`MediaCaption`, `VideoChapter`/`MediaChapter`).
public struct TextTrackWire: Decodable, Sendable, Hashable {
    public var language: String
    public var isDefault: Bool?
    public var url: String?
    public var status: String?
    public var description: String?

    enum CodingKeys: String, CodingKey {
        case language, url, status, description
        case isDefault = "is_default"
    }
}

/// One page of `GET /videos/{id}/captions` (items under `video_captions`) or `/media/{id}/captions`
/// (`media_captions`); chapters likewise. The client reads whichever key is present.
struct TextTrackPage: Decodable, Sendable {
    var items: [TextTrackWire]
    var total: Int

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        var found: [TextTrackWire]?
        for name in ["video_captions", "media_captions", "video_chapters", "media_chapters"] {
            let key = Key(stringValue: name)
            if c.contains(key), try !c.decodeNil(forKey: key) {
                found = try c.decode([TextTrackWire].self, forKey: key)
                break
            }
        }
        items = found ?? []
        total = try c.decodeLenientInt(forKey: Key(stringValue: "total")) ?? items.count
    }
}
