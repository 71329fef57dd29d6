import Foundation
import GRDB

/// Live stream keys, streamings and recordings.
extension SandboxStore {
    func createKey(_ account: String, name: String, save: Bool, type: String = "video", rtmpHost: String) throws
        -> StoredLiveStreamKey
    {
        try write(account) { db in
            let now = Timestamp.now()
            let streamKey = RandomToken.hex(bytes: 16)
            let key = StoredLiveStreamKey(
                id: UUID().uuidString.lowercased(), name: name, save: save, streamKey: streamKey,
                rtmpURL: "rtmp://\(rtmpHost):1935/live/\(streamKey)", createdAt: now, updatedAt: now,
                sequence: try Self.takeSequence(db, account: account), mediaType: type
            )
            try StoreRows.save(key, account: account, db)
            return key
        }
    }

    func key(_ account: String, _ id: String) throws -> StoredLiveStreamKey {
        try read(account) { db in try Self.existingKey(db, account, id) }
    }

    static func existingKey(_ db: Database, _ account: String, _ id: String) throws -> StoredLiveStreamKey {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(StoreRows.keyColumns) FROM live_stream_keys WHERE id = ? AND account = ?",
                arguments: [id, account])
        else { throw APIError.notFound("Live stream key not found.") }
        return StoreRows.key(row)
    }

    /// One page of keys, by name (then creation) or by creation, with the number matching `search` and `type`.
    func listKeys(_ account: String, search: String?, type: String? = nil, byName: Bool, paging: Paging) throws
        -> (keys: [StoredLiveStreamKey], total: Int)
    {
        var filter = "account = ?"
        var arguments: StatementArguments = [account]
        if let search {
            filter += " AND swift_contains(name, ?)"
            arguments += [search]
        }
        if let type {
            filter += " AND media_type = ?"
            arguments += [type]
        }
        let direction = paging.ascending ? "ASC" : "DESC"
        let order = byName ? "name \(direction), sequence \(direction)" : "sequence \(direction)"
        return try read(account) { db in
            let total =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM live_stream_keys WHERE \(filter)", arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [paging.limit, paging.offset]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(StoreRows.keyColumns) FROM live_stream_keys WHERE \(filter)
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """,
                arguments: pageArguments)
            return (rows.map(StoreRows.key), total)
        }
    }

    func updateKey(_ account: String, _ id: String, name: String?, save: Bool?) throws -> StoredLiveStreamKey {
        try write(account) { db in
            var key = try Self.existingKey(db, account, id)
            if let name { key.name = name }
            if let save { key.save = save }
            key.updatedAt = Timestamp.now()
            try StoreRows.save(key, account: account, db)
            return key
        }
    }

    /// Deletes the key and (by cascade) its streamings; recorded videos stay.
    func deleteKey(_ account: String, _ id: String) throws {
        try write(account) { db in
            try db.execute(sql: "DELETE FROM live_stream_keys WHERE id = ? AND account = ?", arguments: [id, account])
            guard db.changesCount > 0 else { throw APIError.notFound("Live stream key not found.") }
        }
    }

    func createStreaming(_ account: String, keyID: String, title: String, save: Bool, qualities: [String]) throws
        -> StoredStreaming
    {
        try write(account) { db in
            _ = try Self.existingKey(db, account, keyID)
            let now = Timestamp.now()
            let streaming = StoredStreaming(
                id: UUID().uuidString.lowercased(), keyID: keyID, title: title, save: save, qualities: qualities,
                status: "created", createdAt: now, updatedAt: now, sequence: try Self.takeSequence(db, account: account)
            )
            try StoreRows.save(streaming, account: account, db)
            return streaming
        }
    }

    /// The key's streamings in creation order.
    func streamings(_ account: String, keyID: String) throws -> [StoredStreaming] {
        try read(account) { db in
            _ = try Self.existingKey(db, account, keyID)
            return try Self.streamings(db, keyID: keyID)
        }
    }

    static func streamings(_ db: Database, keyID: String) throws -> [StoredStreaming] {
        try Row.fetchAll(
            db, sql: "SELECT \(StoreRows.streamingColumns) FROM streamings WHERE key_id = ? ORDER BY sequence",
            arguments: [keyID]
        ).map(StoreRows.streaming)
    }

    func streaming(_ account: String, keyID: String, id: String) throws -> StoredStreaming {
        guard let streaming = try streamings(account, keyID: keyID).first(where: { $0.id == id }) else {
            throw APIError.notFound("Streaming not found.")
        }
        return streaming
    }

    /// `PUT /live_streams/{id}/streamings`: the streaming `stream_id` names, or without it the key's
    /// latest one [inferred]. Title and save change whatever its status; its qualities only while it
    /// is live (`streaming`), as the 2026 document says of the update [inferred: for the qualities only].
    func updateStreaming(
        _ account: String, keyID: String, id: String?, title: String?, save: Bool?, qualities: [String]?
    ) throws {
        try write(account) { db in
            _ = try Self.existingKey(db, account, keyID)
            let mine = try Self.streamings(db, keyID: keyID)
            let found: StoredStreaming?
            if let id {
                guard let named = mine.first(where: { $0.id == id }) else {
                    throw APIError.notFound("Streaming not found.")
                }
                found = named
            } else {
                found = mine.last
            }
            guard var streaming = found else {
                throw APIError.notFound("This live stream key has no streaming to update.")
            }
            if let qualities, Set(qualities) != Set(streaming.qualities) || qualities.count != streaming.qualities.count {
                guard streaming.status == "streaming" else {
                    throw APIError.badRequest(
                        "qualities can only be updated while live streaming; this streaming's status is \(streaming.status).")
                }
                streaming.qualities = qualities
            }
            if let title { streaming.title = title }
            if let save { streaming.save = save }
            streaming.updatedAt = Timestamp.now()
            try StoreRows.save(streaming, account: account, db)
        }
    }

    /// Deletes a streaming and its recorded video's record (its files stay, as with the JSON store).
    func deleteStreaming(_ account: String, keyID: String, id: String) throws {
        try write(account) { db in
            _ = try Self.existingKey(db, account, keyID)
            guard let streaming = try Self.streamings(db, keyID: keyID).first(where: { $0.id == id }) else {
                throw APIError.notFound("Streaming not found.")
            }
            try db.execute(sql: "DELETE FROM streamings WHERE id = ?", arguments: [id])
            if let videoID = streaming.videoID {
                try db.execute(sql: "DELETE FROM videos WHERE id = ? AND account = ?", arguments: [videoID, account])
            }
        }
    }

    /// Admin: an encoder starts or stops pushing to the key. Starting moves the latest `created` streaming
    /// (or a new one) to `streaming`; stopping ends it and, when saved, records a video.
    func setBroadcasting(_ account: String, keyID: String, _ on: Bool) throws -> StoredLiveStreamKey {
        try write(account) { db in
            var key = try Self.existingKey(db, account, keyID)
            let now = Timestamp.now()
            let mine = try Self.streamings(db, keyID: keyID)
            if on, !key.broadcasting {
                var streaming =
                    try mine.last { $0.status == "created" }
                    ?? StoredStreaming(
                        id: UUID().uuidString.lowercased(), keyID: keyID, title: key.name, save: key.save,
                        qualities: ["360p", "720p", "1080p"], status: "created", createdAt: now,
                        updatedAt: now, sequence: try Self.takeSequence(db, account: account))
                streaming.status = "streaming"
                streaming.startedAt = now
                streaming.updatedAt = now
                try StoreRows.save(streaming, account: account, db)
            } else if !on {
                for var streaming in mine where streaming.status == "streaming" {
                    streaming.status = "ended"
                    streaming.endedAt = now
                    streaming.updatedAt = now
                    if streaming.save {
                        let video = StoredVideo(
                            id: UUID().uuidString.lowercased(), title: streaming.title, description: "", isPublic: true,
                            tags: [], metadata: [MetadataPair(key: "live_stream_id", value: keyID)],
                            qualities: streaming.qualities.map {
                                QualityRequest(
                                    resolution: $0, type: "hls", containerType: "mpegts", videoConfig: nil, audioConfig: nil)
                            },
                            playerThemeID: "", createdAt: now, updatedAt: now,
                            sequence: try Self.takeSequence(db, account: account),
                            completedAt: now, duration: Double(streaming.durationMilliseconds(now: now)) / 1000,
                            liveStreamKeyID: keyID
                        )
                        try StoreRows.save(video, account: account, db)
                        try StoreRows.saveFilterRows(video, account: account, db)
                        streaming.videoID = video.id
                    }
                    try StoreRows.save(streaming, account: account, db)
                }
            }
            key.broadcasting = on
            try StoreRows.save(key, account: account, db)
            return key
        }
    }
}
