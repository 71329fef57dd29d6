public import Providers

/// Player themes behind the provider protocol.
extension AIOZProvider {
    public func players(named name: String) async throws -> [RemotePlayer] {
        try await client.allPlayerThemes(search: name).filter { $0.name == name }.map(Self.remote)
    }

    public func allPlayers() async throws -> [RemotePlayer] {
        try await client.allPlayerThemes().map(Self.remote)
    }

    public func player(id: String) async throws -> RemotePlayer? {
        do {
            return Self.remote(try await client.getPlayerTheme(id: id))
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }

    public func createPlayer(_ player: PlayerWrite) async throws -> String {
        try await client.createPlayerTheme(
            PlayerThemeRequest(
                name: player.name, theme: player.theme, controls: player.controls, isDefault: player.isDefault)
        ).id
    }

    public func updatePlayer(id: String, _ player: PlayerWrite) async throws {
        try await client.updatePlayerTheme(
            id: id,
            PlayerThemeRequest(
                name: player.name, theme: player.theme, controls: player.controls, isDefault: player.isDefault))
    }

    public func deletePlayer(id: String) async throws {
        try await client.deletePlayerTheme(id: id)
    }

    public func uploadPlayerLogo(playerID: String, file: String, link: String) async throws {
        try await client.uploadPlayerLogo(id: playerID, file: file, link: link)
    }

    public func deletePlayerLogo(playerID: String) async throws {
        try await client.deletePlayerLogo(id: playerID)
    }

    public func addPlayer(playerID: String, videoID: String) async throws {
        try await client.addPlayer(playerThemeID: playerID, videoID: videoID)
    }

    public func removePlayer(playerID: String, videoID: String) async throws {
        try await client.removePlayer(playerThemeID: playerID, videoID: videoID)
    }

    static func remote(_ player: PlayerTheme) -> RemotePlayer {
        RemotePlayer(
            id: player.id, name: player.name, theme: player.theme, controls: player.controls,
            logoImageLink: player.logoImageLink, logoLink: player.logoLink, isDefault: player.isDefault,
            createdAt: player.createdAt)
    }
}
