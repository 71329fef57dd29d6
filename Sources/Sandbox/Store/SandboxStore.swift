import Foundation
import GRDB
import Synchronization

/// All accounts' state in SQLite (see `SandboxDatabase`). An actor, so requests make changes one at a
/// time as they did with the JSON store; each change is one transaction touching only the rows it needs.
/// The list of videos, which a plan walks page after page, is read outside the actor
/// (`nonisolated`), so that pages asked at once are served at once from the pool's readers.
actor SandboxStore {
    let files: FileLayout
    let database: any DatabaseWriter
    /// The accounts served, by public key: few, read on every request, so kept in memory.
    let accounts: [String: AccountRow]
    /// Where recent list pages ended, so the next page of the same list seeks instead of skipping rows.
    let pageCursors = Mutex(PageCursors())
    /// Counts the write transactions begun and ended, so that a reader outside the actor knows whether
    /// the database changed while it read (`WriteGeneration`).
    let writes = WriteGeneration()

    struct AccountRow: Sendable {
        var account: SandboxAccount
        var userID: String
        /// When the account was first served: `GET /user/me`'s `created_at` (stable across restarts).
        var createdAt: Double
    }

    /// Opens the database (importing a `store.json` left by an older release) and makes sure every configured
    /// account exists. Without `persistent`, the database is in memory.
    init(files: FileLayout, persistent: Bool, configured: [SandboxAccount], balance: Double) throws {
        self.files = files
        let database = try SandboxDatabase.open(path: persistent ? files.databasePath : nil)
        if persistent {
            try LegacyImport.importIfPresent(files: files, into: database)
            _ = try Self.recoverInterruptedCompletes(database, files: files)
        }
        self.database = database
        self.accounts = try database.write { db in
            try Self.reconcileAccounts(db, configured: configured, balance: balance)
        }
    }

    /// Serves `configured` (or, when empty, the stored accounts, or one generated account). As the JSON
    /// store did, stored accounts not configured are dropped and configured ones get their secret key updated.
    private static func reconcileAccounts(_ db: Database, configured: [SandboxAccount], balance: Double) throws
        -> [String: AccountRow]
    {
        var stored: [String: AccountRow] = [:]
        let now = Timestamp.now()
        // An account imported from an older store has no creation time yet: it gets this start's.
        try db.execute(sql: "UPDATE accounts SET created_at = ? WHERE created_at IS NULL", arguments: [now])
        for row in try Row.fetchAll(db, sql: "SELECT public_key, secret_key, user_id, created_at FROM accounts") {
            let account = SandboxAccount(publicKey: row["public_key"], secretKey: row["secret_key"])
            stored[account.publicKey] = AccountRow(account: account, userID: row["user_id"], createdAt: row["created_at"])
        }
        var wanted = configured
        if wanted.isEmpty { wanted = stored.isEmpty ? [SandboxAccount.generated()] : stored.values.map(\.account) }
        var served: [String: AccountRow] = [:]
        for account in wanted {
            if let existing = stored[account.publicKey] {
                try db.execute(
                    sql: "UPDATE accounts SET secret_key = ? WHERE public_key = ?",
                    arguments: [account.secretKey, account.publicKey])
                served[account.publicKey] = AccountRow(
                    account: account, userID: existing.userID, createdAt: existing.createdAt)
            } else {
                let userID = UUID().uuidString.lowercased()
                try db.execute(
                    sql: """
                        INSERT INTO accounts (public_key, secret_key, user_id, balance, next_sequence, created_at)
                        VALUES (?, ?, ?, ?, 0, ?)
                        """,
                    arguments: [account.publicKey, account.secretKey, userID, balance, now])
                served[account.publicKey] = AccountRow(account: account, userID: userID, createdAt: now)
            }
        }
        for publicKey in stored.keys where served[publicKey] == nil {
            try db.execute(sql: "DELETE FROM accounts WHERE public_key = ?", arguments: [publicKey])
        }
        return served
    }

    nonisolated var accountList: [SandboxAccount] { accounts.values.map(\.account).sorted { $0.publicKey < $1.publicKey } }

    /// The account whose keys these are (its own, or a pair made with `POST /api_keys`), or nil (→ 401).
    nonisolated func authenticate(publicKey: String, secretKey: String) -> String? {
        if let row = accounts[publicKey] { return row.account.secretKey == secretKey ? publicKey : nil }
        return apiKeyAccount(publicKey: publicKey, secretKey: secretKey)
    }

    nonisolated func userID(_ account: String) throws -> String {
        guard let row = accounts[account] else { throw APIError.unauthorized }
        return row.userID
    }

    /// When the account was first served (seconds since 1970).
    nonisolated func accountCreatedAt(_ account: String) throws -> Double {
        guard let row = accounts[account] else { throw APIError.unauthorized }
        return row.createdAt
    }

    /// Runs `change` in one write transaction for a served account; rolled back if it throws.
    func write<T>(_ account: String, _ change: (Database) throws -> T) throws -> T {
        guard accounts[account] != nil else { throw APIError.unauthorized }
        writes.begin()
        defer { writes.end() }
        return try database.write(change)
    }

    /// Runs `query` on a served account's data (from any task: reads need not wait for the actor).
    nonisolated func read<T>(_ account: String, _ query: (Database) throws -> T) throws -> T {
        guard accounts[account] != nil else { throw APIError.unauthorized }
        return try database.read(query)
    }

    /// The account's next sequence number (shared by its videos, keys and streamings: creation order).
    static func takeSequence(_ db: Database, account: String) throws -> Int {
        try db.cachedStatement(sql: "UPDATE accounts SET next_sequence = next_sequence + 1 WHERE public_key = ?")
            .execute(arguments: [account])
        guard
            let next = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT next_sequence FROM accounts WHERE public_key = ?"), arguments: [account])
        else { throw APIError.unauthorized }
        return next
    }

    /// Keeps `accounts.listed_videos`, the `total` of an unfiltered `POST /videos`, without counting rows.
    static func countListed(_ db: Database, account: String, by change: Int) throws {
        try db.cachedStatement(sql: "UPDATE accounts SET listed_videos = listed_videos + ? WHERE public_key = ?")
            .execute(arguments: [change, account])
    }

    func balance(_ account: String) throws -> Double {
        try read(account) { db in try Self.balance(db, account: account) }
    }

    static func balance(_ db: Database, account: String) throws -> Double {
        guard
            let balance = try Double.fetchOne(
                db, sql: "SELECT balance FROM accounts WHERE public_key = ?", arguments: [account])
        else { throw APIError.unauthorized }
        return balance
    }

    func setBalance(_ account: String, _ balance: Double) throws {
        try write(account) { db in
            try db.execute(sql: "UPDATE accounts SET balance = ? WHERE public_key = ?", arguments: [balance, account])
        }
    }

    /// Closes the database; later calls fail. Called when the server shuts down.
    func close() {
        try? database.close()
    }
}

/// The write transactions begun and ended: a reader that saw no write in flight before it read, and
/// the same count after, read a database that did not change meanwhile (a seqlock's two counters).
final class WriteGeneration: Sendable {
    private let begun = Atomic<Int>(0)
    private let ended = Atomic<Int>(0)

    func begin() { begun.add(1, ordering: .sequentiallyConsistent) }
    func end() { ended.add(1, ordering: .sequentiallyConsistent) }

    /// The generation now, or nil while a write is in flight.
    var stable: Int? {
        let done = ended.load(ordering: .sequentiallyConsistent)
        return begun.load(ordering: .sequentiallyConsistent) == done ? done : nil
    }

    /// Whether no write has begun since `generation` was `stable`.
    func unchanged(since generation: Int) -> Bool { begun.load(ordering: .sequentiallyConsistent) == generation }
}
