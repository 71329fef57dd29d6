import Crypto
import Foundation
import GRDB

/// An API key made with `POST /api_keys`: another pair of keys to the account that made it.
struct StoredAPIKey: Sendable {
    var id: String
    var name: String
    var publicKey: String
    /// The first characters of the secret, which lists show in its place (the secret itself is not kept).
    var truncatedSecret: String
    var ttl: String
    var type: String
    var createdAt: Double
    var updatedAt: Double
    /// nil: never expires.
    var expiredAt: Double?
}

/// The `api_keys` table: the secret is kept only as its SHA-256, so no read of the store shows it.
enum APIKeyTable {
    static let columns = "id, name, public_key, truncated_secret, ttl, type, created_at, updated_at, expired_at"

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-api-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
                        sequence INTEGER NOT NULL, name TEXT NOT NULL COLLATE swift, public_key TEXT NOT NULL UNIQUE,
                        secret_sha256 TEXT NOT NULL, truncated_secret TEXT NOT NULL, ttl TEXT NOT NULL,
                        type TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, expired_at REAL)
                    """)
            try db.execute(sql: "CREATE INDEX api_keys_by_account ON api_keys(account, sequence)")
        }
    }

    static func key(_ row: Row) -> StoredAPIKey {
        StoredAPIKey(
            id: row["id"], name: row["name"], publicKey: row["public_key"], truncatedSecret: row["truncated_secret"],
            ttl: row["ttl"], type: row["type"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            expiredAt: row["expired_at"])
    }

    static func digest(_ secret: String) -> String { RandomToken.hexString(SHA256.hash(data: Data(secret.utf8))) }
}

extension SandboxStore {
    /// Makes a key; answers it and its secret, which is not kept and so never shown again.
    func createAPIKey(_ account: String, name: String, ttlSeconds: Int?, ttl: String, type: String) throws
        -> (key: StoredAPIKey, secret: String)
    {
        try write(account) { db in
            let now = Timestamp.now()
            let secret = "sk_" + RandomToken.hex(bytes: 24)
            let key = StoredAPIKey(
                id: UUID().uuidString.lowercased(), name: name, publicKey: "pk_" + RandomToken.hex(bytes: 12),
                truncatedSecret: String(secret.prefix(7)) + "…", ttl: ttl, type: type, createdAt: now,
                updatedAt: now, expiredAt: ttlSeconds.map { now + Double($0) })
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, account, sequence, name, public_key, secret_sha256, truncated_secret,
                        ttl, type, created_at, updated_at, expired_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, account, try Self.takeSequence(db, account: account), key.name, key.publicKey,
                    APIKeyTable.digest(secret), key.truncatedSecret, key.ttl, key.type, now, now, key.expiredAt,
                ])
            return (key, secret)
        }
    }

    /// One page of the account's keys whose name contains `search`, and how many there are.
    func listAPIKeys(_ account: String, search: String?, byName: Bool, paging: Paging) throws
        -> (keys: [StoredAPIKey], total: Int)
    {
        try read(account) { db in
            var filter = "account = ?"
            var arguments: StatementArguments = [account]
            if let search {
                filter += " AND swift_contains(name, ?)"
                arguments += [search]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys WHERE \(filter)", arguments: arguments) ?? 0
            let direction = paging.ascending ? "ASC" : "DESC"
            let order = byName ? "name \(direction), sequence \(direction)" : "sequence \(direction)"
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(APIKeyTable.columns) FROM api_keys WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: arguments + [paging.limit, paging.offset])
            return (rows.map(APIKeyTable.key), total)
        }
    }

    func renameAPIKey(_ account: String, _ id: String, name: String) throws {
        try write(account) { db in
            try db.execute(
                sql: "UPDATE api_keys SET name = ?, updated_at = ? WHERE id = ? AND account = ?",
                arguments: [name, Timestamp.now(), id, account])
            guard db.changesCount > 0 else { throw APIError.notFound("API key not found.") }
        }
    }

    func deleteAPIKey(_ account: String, _ id: String) throws {
        try write(account) { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ? AND account = ?", arguments: [id, account])
            guard db.changesCount > 0 else { throw APIError.notFound("API key not found.") }
        }
    }

    /// The served account a made key belongs to, when `secretKey` is its secret and it has not expired.
    nonisolated func apiKeyAccount(publicKey: String, secretKey: String) -> String? {
        let account = try? database.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT account FROM api_keys
                    WHERE public_key = ? AND secret_sha256 = ? AND (expired_at IS NULL OR expired_at > ?)
                    """,
                arguments: [publicKey, APIKeyTable.digest(secretKey), Timestamp.now()])
        }
        guard let account, accounts[account] != nil else { return nil }
        return account
    }
}
