import Foundation
import GRDB

/// A player theme as the sandbox keeps it.
struct StoredPlayer: Sendable, Hashable {
    var id: String
    var sequence: Int
    var name: String
    var theme: [String: String]
    var controls: [String: Bool]
    var isDefault: Bool
    var logoLink: String
    /// `png` or `jpg` once a logo is uploaded.
    var logoExtension: String?
    var createdAt: Double
    var updatedAt: Double
}

extension SandboxDatabase {
    /// Player themes (`/players`), and the videos' `player_theme_id` they are assigned through.
    static func registerPlayers(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-players") { db in
            try db.execute(
                sql: """
                    CREATE TABLE players (
                        id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
                        sequence INTEGER NOT NULL, name TEXT NOT NULL COLLATE swift, theme TEXT NOT NULL,
                        controls TEXT NOT NULL, is_default INTEGER NOT NULL, logo_link TEXT NOT NULL,
                        logo_extension TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL)
                    """)
            try db.execute(sql: "CREATE INDEX players_by_sequence ON players(account, sequence)")
        }
    }
}

extension SandboxStore {
    static let playerColumns =
        "id, sequence, name, theme, controls, is_default, logo_link, logo_extension, created_at, updated_at"

    static func playerRow(_ row: Row) -> StoredPlayer {
        func decode<T: Decodable>(_ text: String, _ type: T.Type) -> T? { try? JSONDecoder().decode(type, from: Data(text.utf8)) }
        return StoredPlayer(
            id: row["id"], sequence: row["sequence"], name: row["name"],
            theme: decode(row["theme"], [String: String].self) ?? [:],
            controls: decode(row["controls"], [String: Bool].self) ?? [:], isDefault: row["is_default"],
            logoLink: row["logo_link"], logoExtension: row["logo_extension"], createdAt: row["created_at"],
            updatedAt: row["updated_at"])
    }

    static func savePlayer(_ player: StoredPlayer, account: String, _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let theme = String(decoding: try encoder.encode(player.theme), as: UTF8.self)
        let controls = String(decoding: try encoder.encode(player.controls), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO players (id, account, \(Self.playerColumns.dropFirst(4)))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                player.id, account, player.sequence, player.name, theme, controls, player.isDefault, player.logoLink,
                player.logoExtension, player.createdAt, player.updatedAt,
            ])
    }

    static func existingPlayer(_ db: Database, _ account: String, _ id: String) throws -> StoredPlayer {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.playerColumns) FROM players WHERE id = ? AND account = ?", arguments: [id, account])
        else { throw APIError.notFound("Player theme not found.") }
        return playerRow(row)
    }

    func createPlayer(
        _ account: String, name: String, theme: [String: String], controls: [String: Bool], isDefault: Bool
    ) throws -> StoredPlayer {
        try write(account) { db in
            let now = Timestamp.now()
            let player = StoredPlayer(
                id: UUID().uuidString.lowercased(), sequence: try Self.takeSequence(db, account: account), name: name,
                theme: theme, controls: controls, isDefault: isDefault, logoLink: "", logoExtension: nil, createdAt: now,
                updatedAt: now)
            if isDefault { try Self.clearDefault(db, account, except: player.id) }
            try Self.savePlayer(player, account: account, db)
            return player
        }
    }

    /// The account has at most one default player theme: making one the default makes the others not.
    static func clearDefault(_ db: Database, _ account: String, except id: String) throws {
        try db.execute(
            sql: "UPDATE players SET is_default = 0 WHERE account = ? AND id != ? AND is_default != 0",
            arguments: [account, id])
    }

    nonisolated func player(_ account: String, _ id: String) throws -> StoredPlayer {
        try read(account) { db in try Self.existingPlayer(db, account, id) }
    }

    /// One page of player themes in creation (or name) order, with the number matching `search`.
    func listPlayers(_ account: String, search: String?, byName: Bool, paging: Paging) throws
        -> (players: [StoredPlayer], total: Int)
    {
        var filter = "account = ?"
        var arguments: StatementArguments = [account]
        if let search {
            filter += " AND swift_contains(name, ?)"
            arguments += [search]
        }
        let direction = paging.ascending ? "ASC" : "DESC"
        let order = byName ? "name \(direction), sequence \(direction)" : "sequence \(direction)"
        return try read(account) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM players WHERE \(filter)", arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [paging.limit, paging.offset]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(Self.playerColumns) FROM players WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return (rows.map(Self.playerRow), total)
        }
    }

    /// Changes the given fields; theme and controls are merged key by key. Making it the default makes
    /// the account's other default player theme (if any) not the default.
    func updatePlayer(
        _ account: String, _ id: String, name: String?, theme: [String: String]?, controls: [String: Bool]?,
        isDefault: Bool?
    ) throws -> StoredPlayer {
        try write(account) { db in
            var player = try Self.existingPlayer(db, account, id)
            if let name { player.name = name }
            for (key, value) in theme ?? [:] { player.theme[key] = value }
            for (key, value) in controls ?? [:] { player.controls[key] = value }
            if let isDefault { player.isDefault = isDefault }
            if isDefault == true { try Self.clearDefault(db, account, except: id) }
            player.updatedAt = Timestamp.now()
            try Self.savePlayer(player, account: account, db)
            return player
        }
    }

    /// Records (or, with nil, forgets) the player's logo.
    func setPlayerLogo(_ account: String, _ id: String, link: String, fileExtension: String?) throws -> StoredPlayer {
        try write(account) { db in
            var player = try Self.existingPlayer(db, account, id)
            player.logoLink = link
            player.logoExtension = fileExtension
            player.updatedAt = Timestamp.now()
            try Self.savePlayer(player, account: account, db)
            return player
        }
    }

    /// Deletes the player; the videos that used it are left without a player.
    func deletePlayer(_ account: String, _ id: String) throws {
        try write(account) { db in
            try db.execute(sql: "DELETE FROM players WHERE id = ? AND account = ?", arguments: [id, account])
            guard db.changesCount > 0 else { throw APIError.notFound("Player theme not found.") }
            try db.execute(
                sql: "UPDATE videos SET player_theme_id = '' WHERE player_theme_id = ? AND account = ?",
                arguments: [id, account])
        }
    }

    /// Gives the video the player (`nil`: takes `playerID` off it, which must be the video's player).
    func assignPlayer(_ account: String, videoID: String, playerID: String, assign: Bool) throws {
        try write(account) { db in
            _ = try Self.existingPlayer(db, account, playerID)
            let video = try Self.existingVideo(db, account, videoID)
            if !assign && video.playerThemeID != playerID {
                throw APIError.badRequest("This video does not use player theme \(playerID).")
            }
            try db.execute(
                sql: "UPDATE videos SET player_theme_id = ? WHERE id = ? AND account = ?",
                arguments: [assign ? playerID : "", videoID, account])
        }
    }
}
