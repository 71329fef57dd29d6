import Foundation
import GRDB

/// A caption or chapter list of a video, per language.
struct StoredTextTrack: Sendable, Hashable {
    var videoID: String
    /// `caption` or `chapter`.
    var kind: String
    var language: String
    var isDefault: Bool
    var content: Data
}

/// Captions and chapters: one row per video, kind and language; the WebVTT bytes in the row (they
/// are small). Deleting the video deletes them.
extension SandboxStore {
    static func registerTextTrackMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-text-tracks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE text_tracks (
                        video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE, kind TEXT NOT NULL,
                        language TEXT NOT NULL, is_default INTEGER NOT NULL, content BLOB NOT NULL,
                        created_at REAL NOT NULL, PRIMARY KEY (video_id, kind, language))
                    """)
        }
    }

    /// A video's tracks of `kind`, by language.
    func textTracks(_ account: String, videoID: String, kind: String) throws -> [StoredTextTrack] {
        try read(account) { db in
            _ = try Self.existingVideo(db, account, videoID)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT video_id, kind, language, is_default, content FROM text_tracks
                    WHERE video_id = ? AND kind = ? ORDER BY language
                    """,
                arguments: [videoID, kind]
            ).map(Self.textTrack)
        }
    }

    /// The tracks of every video of `videoIDs` (without their bytes), by video id, each video's by kind
    /// and language: what a video read embeds as `captions` and `chapters`. One query for a page.
    nonisolated func trackSummaries(_ account: String, videoIDs: [String]) throws -> [String: [StoredTextTrack]] {
        guard !videoIDs.isEmpty else { return [:] }
        return try read(account) { db in
            let marks = Array(repeating: "?", count: videoIDs.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.video_id, t.kind, t.language, t.is_default FROM text_tracks t
                    JOIN videos v ON v.id = t.video_id AND v.account = ?
                    WHERE t.video_id IN (\(marks)) ORDER BY t.video_id, t.kind, t.language
                    """,
                arguments: StatementArguments([account] + videoIDs))
            var tracks: [String: [StoredTextTrack]] = [:]
            for row in rows {
                let track = StoredTextTrack(
                    videoID: row["video_id"], kind: row["kind"], language: row["language"], isDefault: row["is_default"],
                    content: Data())
                tracks[track.videoID, default: []].append(track)
            }
            return tracks
        }
    }

    /// Stores (or replaces) a track; a replaced caption keeps being the default [inferred].
    func putTextTrack(_ account: String, videoID: String, kind: String, language: String, content: Data) throws
        -> StoredTextTrack
    {
        try write(account) { db in
            _ = try Self.existingVideo(db, account, videoID)
            let wasDefault =
                try Bool.fetchOne(
                    db, sql: "SELECT is_default FROM text_tracks WHERE video_id = ? AND kind = ? AND language = ?",
                    arguments: [videoID, kind, language]) ?? false
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO text_tracks (video_id, kind, language, is_default, content, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [videoID, kind, language, wasDefault, content, Timestamp.now()])
            return StoredTextTrack(videoID: videoID, kind: kind, language: language, isDefault: wasDefault, content: content)
        }
    }

    func deleteTextTrack(_ account: String, videoID: String, kind: String, language: String) throws {
        try write(account) { db in
            _ = try Self.existingVideo(db, account, videoID)
            try db.execute(
                sql: "DELETE FROM text_tracks WHERE video_id = ? AND kind = ? AND language = ?",
                arguments: [videoID, kind, language])
            guard db.changesCount > 0 else {
                throw APIError.notFound("The \(kind) in '\(language)' was not found.")
            }
        }
    }

    /// Makes one caption the default (the others stop being it) or, with `false`, no longer the default.
    func setDefaultCaption(_ account: String, videoID: String, language: String, isDefault: Bool) throws {
        try write(account) { db in
            _ = try Self.existingVideo(db, account, videoID)
            guard
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM text_tracks WHERE video_id = ? AND kind = 'caption' AND language = ?",
                    arguments: [videoID, language]) == 1
            else { throw APIError.notFound("The caption in '\(language)' was not found.") }
            if isDefault {
                try db.execute(
                    sql: "UPDATE text_tracks SET is_default = 0 WHERE video_id = ? AND kind = 'caption'", arguments: [videoID])
            }
            try db.execute(
                sql: "UPDATE text_tracks SET is_default = ? WHERE video_id = ? AND kind = 'caption' AND language = ?",
                arguments: [isDefault, videoID, language])
        }
    }

    static func textTrack(_ row: Row) -> StoredTextTrack {
        StoredTextTrack(
            videoID: row["video_id"], kind: row["kind"], language: row["language"], isDefault: row["is_default"],
            content: row["content"])
    }
}
