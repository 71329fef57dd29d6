/// A player theme as the service holds it (AIOZ's `PlayerTheme`).
public struct RemotePlayer: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Every theme field the service returned (empty ones included).
    public var theme: [String: String]
    public var controls: [String: Bool]
    /// The uploaded logo's URL on the service; nil or empty: no logo.
    public var logoImageLink: String?
    /// The link the logo opens.
    public var logoLink: String?
    /// Whether it is the account's default player theme (at most one is).
    public var isDefault: Bool
    public var createdAt: String?

    public init(
        id: String, name: String, theme: [String: String] = [:], controls: [String: Bool] = [:],
        logoImageLink: String? = nil, logoLink: String? = nil, isDefault: Bool = false, createdAt: String? = nil
    ) {
        self.id = id
        self.name = name
        self.theme = theme
        self.controls = controls
        self.logoImageLink = logoImageLink
        self.logoLink = logoLink
        self.isDefault = isDefault
        self.createdAt = createdAt
    }

    /// Whether a logo image is set.
    public var hasLogo: Bool { !(logoImageLink ?? "").isEmpty }
}

/// What to write to a player theme: a create sends every given field; an update (PATCH) only those
/// that are not nil.
public struct PlayerWrite: Sendable, Hashable {
    public var name: String?
    public var theme: [String: String]?
    public var controls: [String: Bool]?
    /// Makes it the account's default player theme (true: the service makes the previous one not the
    /// default) or not (false).
    public var isDefault: Bool?

    public init(
        name: String? = nil, theme: [String: String]? = nil, controls: [String: Bool]? = nil, isDefault: Bool? = nil
    ) {
        self.name = name
        self.theme = theme
        self.controls = controls
        self.isDefault = isDefault
    }
}

extension Provider {
    public func players(named name: String) async throws -> [RemotePlayer] {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func player(id: String) async throws -> RemotePlayer? {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func createPlayer(_ player: PlayerWrite) async throws -> String {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func updatePlayer(id: String, _ player: PlayerWrite) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func deletePlayer(id: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func uploadPlayerLogo(playerID: String, file: String, link: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func deletePlayerLogo(playerID: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func addPlayer(playerID: String, videoID: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func removePlayer(playerID: String, videoID: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "player themes")
    }
    public func defaultPlayer() async throws -> RemotePlayer? {
        try await allPlayers().first(where: \.isDefault)
    }
}
