import Foundation
import GRDB

/// Opens the sandbox's SQLite database and creates its schema: a file in WAL mode under `--data`,
/// opened as a GRDB `DatabasePool` (one writer, and readers that run side by side, so list pages
/// are served at once, as a real service would), else one connection in memory (`DatabaseQueue`). Every connection gets the `swift` collation and the `swift_contains` function, so that
/// ordering and search in SQL are exactly Swift's `String` `<` and `lowercased().contains`.
enum SandboxDatabase {
    static func open(path: String?) throws -> any DatabaseWriter {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "streamplan.sandbox"
        configuration.prepareDatabase { db in
            db.add(collation: swiftOrder)
            db.add(function: swiftContains)
            // A pool's readers are read-only connections: the journal mode is the writer's to set.
            if path != nil, !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // WAL + NORMAL: a killed process loses nothing committed; only a power cut may lose the last commits.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        let database: any DatabaseWriter
        do {
            if let path {
                database = try DatabasePool(path: path, configuration: configuration)
            } else {
                database = try DatabaseQueue(configuration: configuration)
            }
            try migrator.migrate(database)
        } catch {
            throw SandboxError.corruptStore(path: path ?? "(in memory)", reason: "\(error)")
        }
        return database
    }

    /// Swift's `String` ordering (Unicode canonical equivalence), the order the JSON store sorted titles by.
    static let swiftOrder = DatabaseCollation("swift") { (lhs: String, rhs: String) -> ComparisonResult in
        lhs == rhs ? .orderedSame : (lhs < rhs ? .orderedAscending : .orderedDescending)
    }

    /// `swift_contains(haystack, needle)`: `haystack.lowercased().contains(needle)`; `needle` is already lowercased.
    static let swiftContains = DatabaseFunction("swift_contains", argumentCount: 2, pure: true) { values in
        guard let haystack = String.fromDatabaseValue(values[0]), let needle = String.fromDatabaseValue(values[1]) else {
            return false
        }
        return haystack.lowercased().contains(needle)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in schema { try db.execute(sql: statement) }
        }
        // The 2026 spec's `type` of a media and of a live stream key: "video" or "audio".
        migrator.registerMigration("v2-media-type") { db in
            try db.execute(sql: "ALTER TABLE videos ADD COLUMN media_type TEXT NOT NULL DEFAULT 'video'")
            try db.execute(sql: "ALTER TABLE live_stream_keys ADD COLUMN media_type TEXT NOT NULL DEFAULT 'video'")
        }
        SandboxStore.registerTextTrackMigration(&migrator)
        WebhookTable.register(in: &migrator)
        registerPlaylists(&migrator)
        registerPlayers(&migrator)
        MulticastTable.register(in: &migrator)
        registerCreateOptions(&migrator)
        registerAccountCreation(&migrator)
        APIKeyTable.register(in: &migrator)
        return migrator
    }

    /// One row per account, video, part, metadata pair, tag, key and streaming. JSON columns keep lists
    /// whose order the API shows (tags, metadata, qualities); the side tables index them for filters.
    static let schema = [
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)
        """,
        """
        CREATE TABLE accounts (
            public_key TEXT PRIMARY KEY NOT NULL, secret_key TEXT NOT NULL, user_id TEXT NOT NULL,
            balance REAL NOT NULL, next_sequence INTEGER NOT NULL, listed_videos INTEGER NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE videos (
            id TEXT PRIMARY KEY NOT NULL,
            account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
            sequence INTEGER NOT NULL, title TEXT NOT NULL COLLATE swift, description TEXT NOT NULL,
            is_public INTEGER NOT NULL, tags TEXT NOT NULL, metadata TEXT NOT NULL, qualities TEXT NOT NULL,
            player_theme_id TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            upload_total INTEGER, completed_at REAL, failed INTEGER NOT NULL, assembling INTEGER NOT NULL,
            size INTEGER NOT NULL, duration REAL NOT NULL, thumbnail_extension TEXT, live_stream_key_id TEXT)
        """,
        // The list's orders, over listed videos only (recordings of live streams are not in `POST /videos`).
        "CREATE INDEX videos_by_sequence ON videos(account, sequence) WHERE live_stream_key_id IS NULL",
        "CREATE INDEX videos_by_title ON videos(account, title, sequence) WHERE live_stream_key_id IS NULL",
        "CREATE INDEX videos_by_size ON videos(account, size, sequence) WHERE live_stream_key_id IS NULL",
        "CREATE INDEX videos_by_updated ON videos(account, updated_at, sequence) WHERE live_stream_key_id IS NULL",
        // Filter rows: each distinct pair or tag of a video once, with the video's (fixed) sequence so that a
        // filtered list in creation order reads its page straight from the index.
        """
        CREATE TABLE video_metadata (
            video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,
            account TEXT NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (video_id, key, value))
        """,
        "CREATE INDEX video_metadata_by_pair ON video_metadata(account, key, value, sequence)",
        """
        CREATE TABLE video_tags (
            video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE, tag TEXT NOT NULL,
            account TEXT NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (video_id, tag))
        """,
        "CREATE INDEX video_tags_by_tag ON video_tags(account, tag, sequence)",
        """
        CREATE TABLE parts (
            video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE, part_index INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, PRIMARY KEY (video_id, part_index))
        """,
        """
        CREATE TABLE live_stream_keys (
            id TEXT PRIMARY KEY NOT NULL,
            account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
            sequence INTEGER NOT NULL, name TEXT NOT NULL COLLATE swift, save INTEGER NOT NULL,
            stream_key TEXT NOT NULL, rtmp_url TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            broadcasting INTEGER NOT NULL)
        """,
        "CREATE INDEX keys_by_sequence ON live_stream_keys(account, sequence)",
        "CREATE INDEX keys_by_name ON live_stream_keys(account, name, sequence)",
        """
        CREATE TABLE streamings (
            id TEXT PRIMARY KEY NOT NULL,
            account TEXT NOT NULL REFERENCES accounts(public_key) ON DELETE CASCADE,
            key_id TEXT NOT NULL REFERENCES live_stream_keys(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL, title TEXT NOT NULL, save INTEGER NOT NULL, qualities TEXT NOT NULL,
            status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, started_at REAL,
            ended_at REAL, video_id TEXT)
        """,
        "CREATE INDEX streamings_by_key ON streamings(key_id, sequence)",
    ]
}

extension SandboxDatabase {
    /// A media's create-time `watermark` (JSON) and `segment_duration` (seconds); NULL: not given.
    static func registerCreateOptions(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-media-create-options") { db in
            try db.execute(sql: "ALTER TABLE videos ADD COLUMN watermark TEXT")
            try db.execute(sql: "ALTER TABLE videos ADD COLUMN segment_duration INTEGER")
        }
    }

    /// When an account was first served (`GET /user/me`'s `created_at`); accounts stored before this
    /// column existed take the time of the migration.
    static func registerAccountCreation(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-account-created-at") { db in
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN created_at REAL")
            try db.execute(sql: "UPDATE accounts SET created_at = ?", arguments: [Timestamp.now()])
        }
    }
}
