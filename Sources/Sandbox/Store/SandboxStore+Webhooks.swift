import Foundation
import GRDB

/// A webhook as the sandbox keeps it.
struct StoredWebhook: Sendable, Hashable {
    var id: String
    var name: String
    var url: String
    var fileReceived = false
    var encodingStarted = false
    var encodingFinished = false
    var encodingFailed = false
    var partialFinished = false
    var createdAt: Double
    var updatedAt: Double
    var lastTriggeredAt: Double?
    var sequence: Int

    /// The five flags by their API names.
    static let eventNames = ["file_received", "encoding_started", "encoding_finished", "encoding_failed", "partial_finished"]

    func wants(_ event: String) -> Bool {
        switch event {
        case "file_received": fileReceived
        case "encoding_started": encodingStarted
        case "encoding_finished": encodingFinished
        case "encoding_failed": encodingFailed
        case "partial_finished": partialFinished
        default: false
        }
    }

    mutating func set(_ event: String, _ value: Bool) {
        switch event {
        case "file_received": fileReceived = value
        case "encoding_started": encodingStarted = value
        case "encoding_finished": encodingFinished = value
        case "encoding_failed": encodingFailed = value
        case "partial_finished": partialFinished = value
        default: break
        }
    }
}

/// The `webhooks` table (its own migration) and the operations on it.
enum WebhookTable {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-webhooks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhooks (
                        id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
                        sequence INTEGER NOT NULL, name TEXT NOT NULL COLLATE swift, url TEXT NOT NULL,
                        file_received INTEGER NOT NULL, encoding_started INTEGER NOT NULL,
                        encoding_finished INTEGER NOT NULL, encoding_failed INTEGER NOT NULL,
                        partial_finished INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
                        last_triggered_at REAL)
                    """)
            try db.execute(sql: "CREATE INDEX webhooks_by_sequence ON webhooks(account, sequence)")
            try db.execute(sql: "CREATE INDEX webhooks_by_name ON webhooks(account, name, sequence)")
        }
    }

    static let columns = """
        id, sequence, name, url, file_received, encoding_started, encoding_finished, encoding_failed, \
        partial_finished, created_at, updated_at, last_triggered_at
        """

    static func webhook(_ row: Row) -> StoredWebhook {
        StoredWebhook(
            id: row["id"], name: row["name"], url: row["url"], fileReceived: row["file_received"],
            encodingStarted: row["encoding_started"], encodingFinished: row["encoding_finished"],
            encodingFailed: row["encoding_failed"], partialFinished: row["partial_finished"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], lastTriggeredAt: row["last_triggered_at"], sequence: row["sequence"])
    }

    static func save(_ hook: StoredWebhook, account: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO webhooks (account, \(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, url = excluded.url,
                    file_received = excluded.file_received, encoding_started = excluded.encoding_started,
                    encoding_finished = excluded.encoding_finished, encoding_failed = excluded.encoding_failed,
                    partial_finished = excluded.partial_finished, updated_at = excluded.updated_at,
                    last_triggered_at = excluded.last_triggered_at
                """,
            arguments: [
                account, hook.id, hook.sequence, hook.name, hook.url, hook.fileReceived, hook.encodingStarted,
                hook.encodingFinished, hook.encodingFailed, hook.partialFinished, hook.createdAt, hook.updatedAt,
                hook.lastTriggeredAt,
            ])
    }
}

/// What a list of webhooks is filtered by (`GET /webhooks`).
struct WebhookFilter: Sendable {
    var search: String?
    var byName = false
    /// Event flags that must have the given value.
    var events: [String: Bool] = [:]
}

extension SandboxStore {
    func createWebhook(_ account: String, name: String, url: String, events: [String: Bool]) throws -> StoredWebhook {
        try write(account) { db in
            let now = Timestamp.now()
            var hook = StoredWebhook(
                id: UUID().uuidString.lowercased(), name: name, url: url, createdAt: now, updatedAt: now,
                sequence: try Self.takeSequence(db, account: account))
            for (event, value) in events { hook.set(event, value) }
            try WebhookTable.save(hook, account: account, db)
            return hook
        }
    }

    func webhook(_ account: String, _ id: String) throws -> StoredWebhook {
        try read(account) { db in try Self.existingWebhook(db, account, id) }
    }

    static func existingWebhook(_ db: Database, _ account: String, _ id: String) throws -> StoredWebhook {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(WebhookTable.columns) FROM webhooks WHERE id = ? AND account = ?", arguments: [id, account])
        else { throw APIError.notFound("Webhook not found.") }
        return WebhookTable.webhook(row)
    }

    func listWebhooks(_ account: String, _ filter: WebhookFilter, paging: Paging) throws -> (hooks: [StoredWebhook], total: Int) {
        var conditions = "account = ?"
        var arguments: StatementArguments = [account]
        if let search = filter.search {
            conditions += " AND swift_contains(name, ?)"
            arguments += [search]
        }
        for event in StoredWebhook.eventNames {
            guard let value = filter.events[event] else { continue }
            conditions += " AND \(event) = ?"
            arguments += [value]
        }
        let direction = paging.ascending ? "ASC" : "DESC"
        let order = filter.byName ? "name \(direction), sequence \(direction)" : "sequence \(direction)"
        return try read(account) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhooks WHERE \(conditions)", arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [paging.limit, paging.offset]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(WebhookTable.columns) FROM webhooks WHERE \(conditions) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return (rows.map(WebhookTable.webhook), total)
        }
    }

    func updateWebhook(_ account: String, _ id: String, name: String?, url: String?, events: [String: Bool]) throws
        -> StoredWebhook
    {
        try write(account) { db in
            var hook = try Self.existingWebhook(db, account, id)
            if let name { hook.name = name }
            if let url { hook.url = url }
            for (event, value) in events { hook.set(event, value) }
            hook.updatedAt = Timestamp.now()
            try WebhookTable.save(hook, account: account, db)
            return hook
        }
    }

    func deleteWebhook(_ account: String, _ id: String) throws {
        try write(account) { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND account = ?", arguments: [id, account])
            guard db.changesCount > 0 else { throw APIError.notFound("Webhook not found.") }
        }
    }

    /// The account's webhooks called for `event`, in creation order.
    nonisolated func webhooks(_ account: String, calledFor event: String) throws -> [StoredWebhook] {
        guard StoredWebhook.eventNames.contains(event) else { return [] }
        return try read(account) { db in
            try Row.fetchAll(
                db, sql: "SELECT \(WebhookTable.columns) FROM webhooks WHERE account = ? AND \(event) ORDER BY sequence",
                arguments: [account]
            ).map(WebhookTable.webhook)
        }
    }

    /// Records that the webhook was called (whatever the answer), as `last_triggered_at`.
    func markTriggered(_ account: String, _ id: String, at time: Double) throws {
        try write(account) { db in
            try db.execute(
                sql: "UPDATE webhooks SET last_triggered_at = ? WHERE id = ? AND account = ?", arguments: [time, id, account])
        }
    }
}
