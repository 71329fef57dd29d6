import Foundation
import GRDB

/// A playlist as stored: its fields, and its items in `position` order.
struct StoredPlaylist: Sendable, Hashable {
    var id: String
    var name: String
    var tags: [String]
    var metadata: [StoredPair]
    var type: String
    var thumbnailExtension: String?
    var createdAt: Double
    var updatedAt: Double
    var items: [StoredPlaylistItem] = []
}

struct StoredPair: Codable, Sendable, Hashable {
    var key: String
    var value: String
}

struct StoredPlaylistItem: Sendable, Hashable {
    var id: String
    var videoID: String
    var createdAt: Double
    var updatedAt: Double
}

extension SandboxDatabase {
    /// Playlists and their items (`position` orders them; deleting a video deletes its items, as
    /// AIOZ is assumed to: docs/aioz-api.md).
    static func registerPlaylists(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("playlists") { db in
            try db.execute(
                sql: """
                    CREATE TABLE playlists (
                        id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
                        sequence INTEGER NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, metadata TEXT NOT NULL,
                        playlist_type TEXT NOT NULL, thumbnail_extension TEXT,
                        created_at REAL NOT NULL, updated_at REAL NOT NULL)
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE playlist_items (
                        id TEXT PRIMARY KEY NOT NULL,
                        playlist_id TEXT NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
                        video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL)
                    """)
            try db.execute(sql: "CREATE INDEX playlist_items_by_playlist ON playlist_items(playlist_id, position)")
        }
    }
}

extension FileLayout {
    func thumbnailPath(playlist: String) -> String { "\(root)/thumbnails/playlist-\(playlist)" }
}

extension SandboxStore {
    func createPlaylist(_ account: String, name: String, tags: [String], metadata: [StoredPair], type: String) throws
        -> StoredPlaylist
    {
        try write(account) { db in
            let now = Timestamp.now()
            let playlist = StoredPlaylist(
                id: UUID().uuidString.lowercased(), name: name, tags: tags, metadata: metadata, type: type,
                thumbnailExtension: nil, createdAt: now, updatedAt: now)
            try db.execute(
                sql: """
                    INSERT INTO playlists (id, account, sequence, name, tags, metadata, playlist_type, thumbnail_extension,
                        created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                    """,
                arguments: [
                    playlist.id, account, try Self.takeSequence(db, account: account), name, try StoreRows.json(tags),
                    try StoreRows.json(metadata), type, now, now,
                ])
            return playlist
        }
    }

    func playlist(_ account: String, _ id: String) throws -> StoredPlaylist {
        try read(account) { db in try Self.existingPlaylist(db, account, id) }
    }

    /// Playlists carrying every pair of `metadata` (and every tag of `tags`), oldest first or by name.
    func listPlaylists(_ account: String, metadata: [StoredPair], tags: [String], search: String?, paging: Paging)
        throws -> (playlists: [StoredPlaylist], total: Int)
    {
        try read(account) { db in
            let direction = paging.ascending ? "ASC" : "DESC"
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM playlists WHERE account = ? ORDER BY sequence \(direction)", arguments: [account])
            var matching: [StoredPlaylist] = []
            for id in ids {
                let playlist = try Self.existingPlaylist(db, account, id)
                guard metadata.allSatisfy(playlist.metadata.contains), tags.allSatisfy(playlist.tags.contains) else { continue }
                if let search, !playlist.name.lowercased().contains(search.lowercased()) { continue }
                matching.append(playlist)
            }
            return (paging.page(matching), matching.count)
        }
    }

    func updatePlaylist(
        _ account: String, _ id: String, name: String?, tags: [String]?, metadata: [StoredPair]?, thumbnailExtension: String?
    ) throws {
        try write(account) { db in
            var playlist = try Self.existingPlaylist(db, account, id)
            if let name { playlist.name = name }
            if let tags { playlist.tags = tags }
            if let metadata { playlist.metadata = metadata }
            if let thumbnailExtension { playlist.thumbnailExtension = thumbnailExtension }
            try db.execute(
                sql: """
                    UPDATE playlists SET name = ?, tags = ?, metadata = ?, thumbnail_extension = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    playlist.name, try StoreRows.json(playlist.tags), try StoreRows.json(playlist.metadata),
                    playlist.thumbnailExtension, Timestamp.now(), id,
                ])
        }
    }

    func removePlaylistThumbnail(_ account: String, _ id: String) throws {
        try write(account) { db in
            let playlist = try Self.existingPlaylist(db, account, id)
            guard playlist.thumbnailExtension != nil else { throw APIError.notFound("This playlist has no thumbnail.") }
            try db.execute(
                sql: "UPDATE playlists SET thumbnail_extension = NULL, updated_at = ? WHERE id = ?",
                arguments: [Timestamp.now(), id])
        }
        try? FileManager.default.removeItem(atPath: files.thumbnailPath(playlist: id))
    }

    func deletePlaylist(_ account: String, _ id: String) throws {
        try write(account) { db in
            _ = try Self.existingPlaylist(db, account, id)
            try db.execute(sql: "DELETE FROM playlists WHERE id = ?", arguments: [id])
        }
        try? FileManager.default.removeItem(atPath: files.thumbnailPath(playlist: id))
    }

    /// Appends a video of the account at the end.
    func addPlaylistItem(_ account: String, _ id: String, videoID: String) throws {
        try write(account) { db in
            _ = try Self.existingPlaylist(db, account, id)
            guard try StoreRows.fetchVideo(db, account: account, id: videoID) != nil else {
                throw APIError.notFound("Video not found.")
            }
            let last = try Int.fetchOne(
                db, sql: "SELECT MAX(position) FROM playlist_items WHERE playlist_id = ?", arguments: [id])
            let now = Timestamp.now()
            try db.execute(
                sql: """
                    INSERT INTO playlist_items (id, playlist_id, video_id, position, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [UUID().uuidString.lowercased(), id, videoID, (last ?? -1) + 1, now, now])
            try db.execute(sql: "UPDATE playlists SET updated_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    /// Puts `current` right after `previous` (or, without one, right before `next`; without either,
    /// first), then numbers the items again.
    func movePlaylistItem(_ account: String, _ id: String, current: String, previous: String?, next: String?) throws {
        try write(account) { db in
            let playlist = try Self.existingPlaylist(db, account, id)
            var order = playlist.items.map(\.id)
            guard order.contains(current) else { throw APIError.notFound("Playlist item not found.") }
            for neighbour in [previous, next].compactMap({ $0 }) where !order.contains(neighbour) || neighbour == current {
                throw APIError.badRequest("'\(neighbour)' is not another item of this playlist.")
            }
            order.removeAll { $0 == current }
            if let previous, let index = order.firstIndex(of: previous) {
                order.insert(current, at: index + 1)
            } else if let next, let index = order.firstIndex(of: next) {
                order.insert(current, at: index)
            } else {
                order.insert(current, at: 0)
            }
            let now = Timestamp.now()
            for (position, item) in order.enumerated() {
                try db.execute(
                    sql: "UPDATE playlist_items SET position = ? WHERE id = ?", arguments: [position, item])
            }
            try db.execute(sql: "UPDATE playlist_items SET updated_at = ? WHERE id = ?", arguments: [now, current])
            try db.execute(sql: "UPDATE playlists SET updated_at = ? WHERE id = ?", arguments: [now, id])
        }
    }

    func removePlaylistItem(_ account: String, _ id: String, itemID: String) throws {
        try write(account) { db in
            _ = try Self.existingPlaylist(db, account, id)
            try db.execute(
                sql: "DELETE FROM playlist_items WHERE id = ? AND playlist_id = ?", arguments: [itemID, id])
            guard db.changesCount > 0 else { throw APIError.notFound("Playlist item not found.") }
            try db.execute(sql: "UPDATE playlists SET updated_at = ? WHERE id = ?", arguments: [Timestamp.now(), id])
        }
    }

    static func existingPlaylist(_ db: Database, _ account: String, _ id: String) throws -> StoredPlaylist {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, name, tags, metadata, playlist_type, thumbnail_extension, created_at, updated_at
                    FROM playlists WHERE id = ? AND account = ?
                    """,
                arguments: [id, account])
        else { throw APIError.notFound("Playlist not found.") }
        var playlist = StoredPlaylist(
            id: row["id"], name: row["name"], tags: try StoreRows.decode([String].self, row["tags"], column: "tags"),
            metadata: try StoreRows.decode([StoredPair].self, row["metadata"], column: "metadata"),
            type: row["playlist_type"], thumbnailExtension: row["thumbnail_extension"], createdAt: row["created_at"],
            updatedAt: row["updated_at"])
        playlist.items = try Row.fetchAll(
            db,
            sql: """
                SELECT id, video_id, created_at, updated_at FROM playlist_items
                WHERE playlist_id = ? ORDER BY position, created_at
                """,
            arguments: [id]
        ).map {
            StoredPlaylistItem(id: $0["id"], videoID: $0["video_id"], createdAt: $0["created_at"], updatedAt: $0["updated_at"])
        }
        return playlist
    }
}
