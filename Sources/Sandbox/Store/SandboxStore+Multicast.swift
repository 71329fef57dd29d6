import Foundation
import GRDB

/// A key's restream (multicast) destinations, as `/live_streams/multicast/{stream_key}` keeps them:
/// one record per key with its list of URLs (the 2026 document's `LiveStreamMulticast`).
struct StoredMulticast: Sendable {
    var id: String
    var keyID: String
    var urls: [String]
}

/// The `live_stream_multicasts` table (its own migration) and the operations on it.
enum MulticastTable {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("live-stream-multicasts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE live_stream_multicasts (
                        id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
                        key_id TEXT NOT NULL UNIQUE REFERENCES live_stream_keys(id) ON DELETE CASCADE,
                        urls TEXT NOT NULL)
                    """)
        }
    }

    static func multicast(_ row: Row) -> StoredMulticast {
        let text: String = row["urls"]
        let urls = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
        return StoredMulticast(id: row["id"], keyID: row["key_id"], urls: urls)
    }

    static func save(_ multicast: StoredMulticast, account: String, _ db: Database) throws {
        let urls = String(decoding: try JSONEncoder().encode(multicast.urls), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO live_stream_multicasts (id, account, key_id, urls) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET urls = excluded.urls
                """,
            arguments: [multicast.id, account, multicast.keyID, urls])
    }
}

extension SandboxStore {
    /// The account's key whose `stream_key` is `streamKey`.
    static func keyByStreamKey(_ db: Database, _ account: String, _ streamKey: String) throws -> StoredLiveStreamKey {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(StoreRows.keyColumns) FROM live_stream_keys WHERE stream_key = ? AND account = ?",
                arguments: [streamKey, account])
        else { throw APIError.notFound("Live stream key not found.") }
        return StoreRows.key(row)
    }

    static func multicast(_ db: Database, keyID: String) throws -> StoredMulticast? {
        try Row.fetchOne(
            db, sql: "SELECT id, key_id, urls FROM live_stream_multicasts WHERE key_id = ?", arguments: [keyID]
        ).map(MulticastTable.multicast)
    }

    /// The key's multicast; 404 when the stream key is unknown or has no destination [inferred].
    func multicast(_ account: String, streamKey: String) throws -> StoredMulticast {
        try read(account) { db in
            let key = try Self.keyByStreamKey(db, account, streamKey)
            guard let found = try Self.multicast(db, keyID: key.id), !found.urls.isEmpty else {
                throw APIError.notFound("Live stream multicast not found.")
            }
            return found
        }
    }

    /// Adds `urls` to the key's destinations; one already there is kept once [inferred: the 2026
    /// document calls the call "Add live stream multicast" and its body `UpsertLiveStreamMulticastInput`].
    func addMulticast(_ account: String, streamKey: String, urls: [String]) throws -> StoredMulticast {
        try write(account) { db in
            let key = try Self.keyByStreamKey(db, account, streamKey)
            var multicast =
                try Self.multicast(db, keyID: key.id)
                ?? StoredMulticast(id: UUID().uuidString.lowercased(), keyID: key.id, urls: [])
            for url in urls where !multicast.urls.contains(url) { multicast.urls.append(url) }
            guard multicast.urls.count <= Limits.multicastURLs else {
                throw APIError.badRequest("A live stream key can have at most \(Limits.multicastURLs) multicast URLs.")
            }
            try MulticastTable.save(multicast, account: account, db)
            return multicast
        }
    }

    /// Deletes every destination of the key (the call takes no body); 404 when it has none.
    func deleteMulticast(_ account: String, streamKey: String) throws {
        try write(account) { db in
            let key = try Self.keyByStreamKey(db, account, streamKey)
            try db.execute(sql: "DELETE FROM live_stream_multicasts WHERE key_id = ?", arguments: [key.id])
            guard db.changesCount > 0 else { throw APIError.notFound("Live stream multicast not found.") }
        }
    }
}
