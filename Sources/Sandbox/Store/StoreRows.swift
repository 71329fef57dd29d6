import Foundation
import GRDB

/// Reading and writing the model types as rows. Lists whose order the API shows are JSON columns.
enum StoreRows {
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw SandboxError.io("the database column \(column) holds JSON that cannot be read (\(error))")
        }
    }

    // MARK: Videos

    static let videoColumns = """
        id, sequence, title, description, is_public, tags, metadata, qualities, player_theme_id, created_at,
        updated_at, upload_total, completed_at, failed, assembling, size, duration, thumbnail_extension,
        live_stream_key_id, media_type, watermark, segment_duration
        """

    /// `videoColumns` of the table aliased `v`, for joins.
    static let qualifiedVideoColumns = videoColumns.split(separator: ",")
        .map { "v." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    static func video(_ row: Row) throws -> StoredVideo {
        StoredVideo(
            id: row["id"], title: row["title"], description: row["description"], isPublic: row["is_public"],
            tags: try decode([String].self, row["tags"], column: "videos.tags"),
            metadata: try decode([MetadataPair].self, row["metadata"], column: "videos.metadata"),
            qualities: try decode([QualityRequest].self, row["qualities"], column: "videos.qualities"),
            playerThemeID: row["player_theme_id"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            sequence: row["sequence"], uploadTotal: row["upload_total"], completedAt: row["completed_at"],
            failed: row["failed"], assembling: row["assembling"], size: row["size"], duration: row["duration"],
            thumbnailExtension: row["thumbnail_extension"], liveStreamKeyID: row["live_stream_key_id"],
            mediaType: row["media_type"],
            watermark: try (row["watermark"] as String?).map {
                try decode(StoredWatermark.self, $0, column: "videos.watermark")
            },
            segmentDuration: row["segment_duration"]
        )
    }

    /// `ON CONFLICT(id) DO UPDATE SET` every column but the id: an upsert, never `REPLACE`, which would
    /// delete the row first and cascade to its parts, metadata or streamings.
    static func upsert(_ columns: String) -> String {
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let updates = names.filter { $0 != "id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return "ON CONFLICT(id) DO UPDATE SET \(updates)"
    }

    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    static let upsertVideo = """
        INSERT INTO videos (account, \(videoColumns)) VALUES \(placeholders(23)) \(upsert(videoColumns))
        """

    /// Inserts or updates the video's row (not its parts, metadata or tag rows).
    static func save(_ video: StoredVideo, account: String, _ db: Database) throws {
        try db.cachedStatement(sql: upsertVideo).execute(
            arguments: [
                account, video.id, video.sequence, video.title, video.description, video.isPublic, try json(video.tags),
                try json(video.metadata), try json(video.qualities), video.playerThemeID, video.createdAt,
                video.updatedAt, video.uploadTotal, video.completedAt, video.failed, video.assembling, video.size,
                video.duration, video.thumbnailExtension, video.liveStreamKeyID, video.mediaType,
                try video.watermark.map(json), video.segmentDuration,
            ])
    }

    /// Rewrites the side tables the list filters use (after create, import or a change of tags/metadata).
    static func saveFilterRows(_ video: StoredVideo, account: String, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM video_metadata WHERE video_id = ?").execute(arguments: [video.id])
        try db.cachedStatement(sql: "DELETE FROM video_tags WHERE video_id = ?").execute(arguments: [video.id])
        let metadataRow = try db.cachedStatement(
            sql: "INSERT INTO video_metadata (video_id, key, value, account, sequence) VALUES (?, ?, ?, ?, ?)")
        for pair in Set(video.metadata) {
            try metadataRow.execute(arguments: [video.id, pair.key, pair.value, account, video.sequence])
        }
        let tagRow = try db.cachedStatement(
            sql: "INSERT INTO video_tags (video_id, tag, account, sequence) VALUES (?, ?, ?, ?)")
        for tag in Set(video.tags) {
            try tagRow.execute(arguments: [video.id, tag, account, video.sequence])
        }
    }

    static func fetchVideo(_ db: Database, account: String, id: String) throws -> StoredVideo? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(videoColumns) FROM videos WHERE id = ? AND account = ?"),
            arguments: [id, account]
        ).map(video)
    }

    static func parts(_ db: Database, video: String) throws -> [Int: StoredPart] {
        var parts: [Int: StoredPart] = [:]
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT part_index, start, \"end\" FROM parts WHERE video_id = ?"), arguments: [video])
        for row in rows {
            let part = StoredPart(index: row["part_index"], start: row["start"], end: row["end"])
            parts[part.index] = part
        }
        return parts
    }

    static func savePart(_ part: StoredPart, video: String, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO parts (video_id, part_index, start, \"end\") VALUES (?, ?, ?, ?)"
        ).execute(arguments: [video, part.index, part.start, part.end])
    }

    // MARK: Live

    static let keyColumns = "id, sequence, name, save, stream_key, rtmp_url, created_at, updated_at, broadcasting, media_type"

    static func key(_ row: Row) -> StoredLiveStreamKey {
        StoredLiveStreamKey(
            id: row["id"], name: row["name"], save: row["save"], streamKey: row["stream_key"], rtmpURL: row["rtmp_url"],
            createdAt: row["created_at"], updatedAt: row["updated_at"], sequence: row["sequence"],
            broadcasting: row["broadcasting"], mediaType: row["media_type"])
    }

    static func save(_ key: StoredLiveStreamKey, account: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO live_stream_keys (account, \(keyColumns)) VALUES \(placeholders(11)) \(upsert(keyColumns))",
            arguments: [
                account, key.id, key.sequence, key.name, key.save, key.streamKey, key.rtmpURL, key.createdAt,
                key.updatedAt, key.broadcasting, key.mediaType,
            ])
    }

    static let streamingColumns = """
        id, key_id, sequence, title, save, qualities, status, created_at, updated_at, started_at, ended_at, video_id
        """

    static func streaming(_ row: Row) throws -> StoredStreaming {
        StoredStreaming(
            id: row["id"], keyID: row["key_id"], title: row["title"], save: row["save"],
            qualities: try decode([String].self, row["qualities"], column: "streamings.qualities"), status: row["status"],
            createdAt: row["created_at"], updatedAt: row["updated_at"], sequence: row["sequence"],
            startedAt: row["started_at"], endedAt: row["ended_at"], videoID: row["video_id"])
    }

    static func save(_ streaming: StoredStreaming, account: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO streamings (account, \(streamingColumns)) VALUES \(placeholders(13)) \(upsert(streamingColumns))",
            arguments: [
                account, streaming.id, streaming.keyID, streaming.sequence, streaming.title, streaming.save,
                try json(streaming.qualities), streaming.status, streaming.createdAt, streaming.updatedAt,
                streaming.startedAt, streaming.endedAt, streaming.videoID,
            ])
    }
}
