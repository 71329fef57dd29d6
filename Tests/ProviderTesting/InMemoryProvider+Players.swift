import Foundation
public import Providers

/// Player themes in memory: logos are recorded by the file's path, links as given.
extension InMemoryProvider {
    public var allPlayers: [RemotePlayer] { players.values.sorted { $0.id < $1.id } }

    /// Sets a video's player as a hand edit would (no call logged).
    public func setPlayerOfVideo(_ videoID: String, _ playerID: String?) {
        videos[videoID]?.video.playerID = playerID
    }

    /// As AIOZ does: one default player theme at most.
    func clearDefaultPlayer(except id: String) {
        for (other, player) in players where other != id && player.isDefault { players[other]?.isDefault = false }
    }

    /// Makes a player the default as a hand edit would (no call logged).
    public func setDefaultPlayer(_ id: String) {
        players[id]?.isDefault = true
        clearDefaultPlayer(except: id)
    }

    public func defaultPlayer() async throws -> RemotePlayer? {
        _ = try enter(.listPlayers, "default")
        return allPlayers.first(where: \.isDefault)
    }

    public func players(named name: String) async throws -> [RemotePlayer] {
        _ = try enter(.listPlayers, name)
        return allPlayers.filter { $0.name == name }
    }

    public func player(id: String) async throws -> RemotePlayer? {
        _ = try enter(.getPlayer, id)
        return players[id]
    }

    public func createPlayer(_ player: PlayerWrite) async throws -> String {
        let failure = try enter(.createPlayer, player.name ?? "")
        let id = nextID("p")
        players[id] = RemotePlayer(
            id: id, name: player.name ?? "", theme: player.theme ?? [:], controls: player.controls ?? [:],
            isDefault: player.isDefault ?? false, createdAt: timestamp())
        if player.isDefault == true { clearDefaultPlayer(except: id) }
        return try answer(failure, id, "creating player \(player.name ?? "")")
    }

    public func updatePlayer(id: String, _ write: PlayerWrite) async throws {
        let failure = try enter(.updatePlayer, id)
        playerUpdates.append(write)
        guard var player = players[id] else { throw Self.notFound("player \(id)") }
        if let name = write.name { player.name = name }
        for (key, value) in write.theme ?? [:] { player.theme[key] = value }
        for (key, value) in write.controls ?? [:] { player.controls[key] = value }
        if let isDefault = write.isDefault { player.isDefault = isDefault }
        players[id] = player
        if write.isDefault == true { clearDefaultPlayer(except: id) }
        _ = try answer(failure, (), "updating player \(id)")
    }

    public func deletePlayer(id: String) async throws {
        let failure = try enter(.deletePlayer, id)
        guard players.removeValue(forKey: id) != nil else { throw Self.notFound("player \(id)") }
        for (videoID, stored) in videos where stored.video.playerID == id { videos[videoID]?.video.playerID = nil }
        _ = try answer(failure, (), "deleting player \(id)")
    }

    public func uploadPlayerLogo(playerID: String, file: String, link: String) async throws {
        let failure = try enter(.uploadLogo, playerID)
        guard players[playerID] != nil else { throw Self.notFound("player \(playerID)") }
        players[playerID]?.logoImageLink = "memory://logo/\(playerID)/\((file as NSString).lastPathComponent)"
        players[playerID]?.logoLink = link
        _ = try answer(failure, (), "uploading the logo of player \(playerID)")
    }

    public func deletePlayerLogo(playerID: String) async throws {
        let failure = try enter(.deleteLogo, playerID)
        guard players[playerID] != nil else { throw Self.notFound("player \(playerID)") }
        players[playerID]?.logoImageLink = nil
        players[playerID]?.logoLink = nil
        _ = try answer(failure, (), "deleting the logo of player \(playerID)")
    }

    public func addPlayer(playerID: String, videoID: String) async throws {
        let failure = try enter(.addPlayer, "\(playerID) \(videoID)")
        guard players[playerID] != nil else { throw Self.notFound("player \(playerID)") }
        guard videos[videoID] != nil else { throw Self.notFound("video \(videoID)") }
        videos[videoID]?.video.playerID = playerID
        _ = try answer(failure, (), "adding player \(playerID) to video \(videoID)")
    }

    public func removePlayer(playerID: String, videoID: String) async throws {
        let failure = try enter(.removePlayer, "\(playerID) \(videoID)")
        guard videos[videoID]?.video.playerID == playerID else {
            throw FakeError(failure: .other, description: "video \(videoID) does not use player \(playerID)")
        }
        videos[videoID]?.video.playerID = nil
        _ = try answer(failure, (), "removing player \(playerID) from video \(videoID)")
    }
}
