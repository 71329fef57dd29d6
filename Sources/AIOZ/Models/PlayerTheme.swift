/// A player theme (`PlayerTheme` in both API generations).
public struct PlayerTheme: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var theme: [String: String]
    public var controls: [String: Bool]
    public var logoLink: String?
    public var logoImageLink: String?
    public var isDefault: Bool
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, theme, controls, asset
        case isDefault = "is_default"
        case createdAt = "created_at"
    }

    enum AssetKeys: String, CodingKey {
        case logoLink = "logo_link"
        case logoImageLink = "logo_image_link"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        theme = (try c.decodeIfPresent([String: String?].self, forKey: .theme) ?? [:]).compactMapValues { $0 }
        controls = (try c.decodeIfPresent([String: Bool?].self, forKey: .controls) ?? [:]).compactMapValues { $0 }
        isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        if c.contains(.asset), try !c.decodeNil(forKey: .asset) {
            let asset = try c.nestedContainer(keyedBy: AssetKeys.self, forKey: .asset)
            logoLink = try asset.decodeIfPresent(String.self, forKey: .logoLink)
            logoImageLink = try asset.decodeIfPresent(String.self, forKey: .logoImageLink)
        }
    }
}

/// `POST /players` and `PATCH /players/{id}`: only the fields given are sent.
public struct PlayerThemeRequest: Encodable, Sendable, Hashable {
    public var name: String?
    public var theme: [String: String]?
    public var controls: [String: Bool]?
    /// `is_default`: the account's default player theme (the service keeps one at most).
    public var isDefault: Bool?

    enum CodingKeys: String, CodingKey {
        case name, theme, controls
        case isDefault = "is_default"
    }

    public init(
        name: String? = nil, theme: [String: String]? = nil, controls: [String: Bool]? = nil, isDefault: Bool? = nil
    ) {
        self.name = name
        self.theme = theme
        self.controls = controls
        self.isDefault = isDefault
    }
}

/// `POST /players/add-player` and `/players/remove-player`: the video is `video_id` in the 2025 API
/// and `media_id` in the 2026 one.
struct PlayerAssignment: Encodable, Sendable {
    var playerThemeID: String
    var videoID: String
    var generation: APIGeneration

    enum CodingKeys: String, CodingKey {
        case playerThemeID = "player_theme_id"
        case videoID = "video_id"
        case mediaID = "media_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(playerThemeID, forKey: .playerThemeID)
        try c.encode(videoID, forKey: generation == .media ? .mediaID : .videoID)
    }
}

/// `GET /players`.
public struct PlayerThemePage: Decodable, Sendable {
    public var playerThemes: [PlayerTheme]
    public var total: Int

    enum CodingKeys: String, CodingKey {
        case playerThemes = "player_themes"
        case total
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        playerThemes = try c.decodeIfPresent([PlayerTheme].self, forKey: .playerThemes) ?? []
        total = try c.decodeIfPresent(Int.self, forKey: .total) ?? playerThemes.count
    }
}

/// `{"player_theme": …}`, the `data` of a create and of a get.
struct PlayerThemeEnvelope: Decodable, Sendable {
    var playerTheme: PlayerTheme

    enum CodingKeys: String, CodingKey {
        case playerTheme = "player_theme"
    }
}

/// `GET /players` query: a name search, 100 at a time.
public struct PlayerThemeListQuery: Sendable, Hashable {
    public var search: String?
    public var offset: Int
    public var limit: Int

    public init(search: String? = nil, offset: Int = 0, limit: Int = 100) {
        self.search = search
        self.offset = offset
        self.limit = limit
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let search, !search.isEmpty { items.append(("search", search)) }
        items.append(("sort_by", "created_at"))
        items.append(("order_by", "asc"))
        items.append(("offset", String(offset)))
        items.append(("limit", String(limit)))
        return items
    }
}
