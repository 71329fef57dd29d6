import Foundation
import GRDB

/// Video operations. Each takes the authenticated account's public key and touches only that video's rows.
extension SandboxStore {
    func createVideo(_ account: String, _ body: CreateVideoBody) throws -> StoredVideo {
        try write(account) { db in
            let now = Timestamp.now()
            let video = StoredVideo(
                id: UUID().uuidString.lowercased(), title: body.title ?? "", description: body.description ?? "",
                isPublic: body.isPublic ?? true, tags: body.tags ?? [], metadata: body.metadata ?? [],
                qualities: body.qualities ?? (body.type == "audio" ? QualityRequest.audioDefaults : QualityRequest.defaults),
                playerThemeID: "", createdAt: now, updatedAt: now, sequence: try Self.takeSequence(db, account: account),
                mediaType: body.type ?? "video", watermark: body.watermark, segmentDuration: body.segmentDuration
            )
            try StoreRows.save(video, account: account, db)
            try StoreRows.saveFilterRows(video, account: account, db)
            try Self.countListed(db, account: account, by: 1)
            return video
        }
    }

    /// Reads need not wait for the actor: the pool's readers serve them beside the one writer.
    nonisolated func video(_ account: String, _ id: String) throws -> StoredVideo {
        guard let video = try videoIfPresent(account, id) else { throw APIError.notFound("Video not found.") }
        return video
    }

    nonisolated func videoIfPresent(_ account: String, _ id: String) throws -> StoredVideo? {
        try read(account) { db in try StoreRows.fetchVideo(db, account: account, id: id) }
    }

    /// Loads a video for a change inside a write transaction; 404 when absent.
    static func existingVideo(_ db: Database, _ account: String, _ id: String) throws -> StoredVideo {
        guard let video = try StoreRows.fetchVideo(db, account: account, id: id) else {
            throw APIError.notFound("Video not found.")
        }
        return video
    }

    func updateVideo(_ account: String, _ id: String, _ body: UpdateVideoBody, keepingClearedValues: Bool = false) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            if let title = body.title { video.title = title }
            if let description = body.description, !(keepingClearedValues && description.isEmpty) {
                video.description = description
            }
            if let isPublic = body.isPublic { video.isPublic = isPublic }
            if let tags = body.tags, !(keepingClearedValues && tags.isEmpty) { video.tags = tags }
            if let metadata = body.metadata {
                if keepingClearedValues {
                    // Merged: given keys take the new value, keys not given stay.
                    let given = Set(metadata.map(\.key))
                    video.metadata = video.metadata.filter { !given.contains($0.key) } + metadata
                } else {
                    video.metadata = metadata
                }
            }
            if let player = body.playerID { video.playerThemeID = player }
            video.updatedAt = Timestamp.now()
            try StoreRows.save(video, account: account, db)
            if body.tags != nil || body.metadata != nil { try StoreRows.saveFilterRows(video, account: account, db) }
        }
    }

    func deleteVideo(_ account: String, _ id: String) throws {
        try write(account) { db in
            let video = try Self.existingVideo(db, account, id)
            try db.execute(sql: "DELETE FROM videos WHERE id = ?", arguments: [id])
            if video.liveStreamKeyID == nil { try Self.countListed(db, account: account, by: -1) }
        }
        files.removeVideo(id)
    }

    /// Records a part whose bytes are already checked and sit at `temporaryFile`; moves them into place.
    func acceptPart(_ account: String, _ id: String, part: StoredPart, total: Int, temporaryFile: String) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            guard video.completedAt == nil, !video.assembling else {
                throw APIError.badRequest("The upload of this video is already complete; parts can no longer be sent.")
            }
            if let known = video.uploadTotal, known != total {
                throw APIError.badRequest("Content-Range total \(total) differs from the total \(known) of earlier parts.")
            }
            try FileManager.default.createDirectory(atPath: files.partsDirectory(video: id), withIntermediateDirectories: true)
            try AtomicFile.move(temporaryFile, to: files.partPath(video: id, index: part.index))
            video.uploadTotal = total
            video.updatedAt = Timestamp.now()
            try StoreRows.savePart(part, video: id, db)
            try StoreRows.save(video, account: account, db)
        }
    }

    /// Records progressive part `number` (`Content-Range: part N/*`, or `part N/N` when `isLast`):
    /// its bytes start where part `number - 1` ends, so parts 1…N-1 must all be here and follow each
    /// other from byte 0; the last part sets the total. Checked and recorded in one transaction.
    func acceptProgressivePart(
        _ account: String, _ id: String, number: Int, size: Int, isLast: Bool, temporaryFile: String
    ) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            guard video.completedAt == nil, !video.assembling else {
                throw APIError.badRequest("The upload of this video is already complete; parts can no longer be sent.")
            }
            let stored = try StoreRows.parts(db, video: id)
            let missing = (1..<number).filter { stored[$0] == nil }
            guard missing.isEmpty else {
                let list = missing.map(String.init).joined(separator: ", ")
                throw APIError.badRequest(
                    "Part \(number) starts where parts 1…\(number - 1) end, but part\(missing.count == 1 ? "" : "s") \(list) "
                        + "\(missing.count == 1 ? "has" : "have") not been sent: send part 1/* first, then each next part.")
            }
            var start = 0
            for earlier in 1..<number {
                guard let part = stored[earlier], part.start == start else {
                    throw APIError.badRequest(
                        "Parts 1…\(number - 1) do not follow each other from byte 0 (part \(earlier) was sent with a bytes "
                            + "Content-Range elsewhere): a progressive part cannot be placed after them.")
                }
                start = part.end + 1
            }
            let part = StoredPart(index: number, start: start, end: start + size - 1)
            if let next = stored[number + 1] {
                guard !isLast else {
                    throw APIError.badRequest("Part \(number)/\(number) says it is the last, but part \(number + 1) was sent.")
                }
                guard next.start == part.end + 1 else {
                    throw APIError.badRequest(
                        "Part \(number) would end at byte \(part.end), but part \(number + 1) was sent starting at byte \(next.start)."
                    )
                }
            }
            if let known = video.uploadTotal {
                if isLast, known != part.end + 1 {
                    throw APIError.badRequest(
                        "The last part was already sent: the upload is \(known) bytes; part \(number)/\(number) would make it \(part.end + 1)."
                    )
                }
                if !isLast, part.end + 1 >= known {
                    throw APIError.badRequest(
                        "Part \(number)/* would end at byte \(part.end), but the last part already sent ends the upload at \(known) bytes."
                    )
                }
            }
            try FileManager.default.createDirectory(atPath: files.partsDirectory(video: id), withIntermediateDirectories: true)
            try AtomicFile.move(temporaryFile, to: files.partPath(video: id, index: number))
            if isLast { video.uploadTotal = part.end + 1 }
            video.updatedAt = Timestamp.now()
            try StoreRows.savePart(part, video: id, db)
            try StoreRows.save(video, account: account, db)
        }
    }

    /// Checks that the parts cover the file and the balance suffices, then marks the video as assembling.
    func beginComplete(_ account: String, _ id: String) throws -> (parts: [StoredPart], total: Int) {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            guard video.completedAt == nil, !video.assembling else {
                throw APIError.badRequest("This video's upload is already complete.")
            }
            let stored = try StoreRows.parts(db, video: id)
            guard !stored.isEmpty else { throw APIError.badRequest("No part has been uploaded for this video.") }
            guard let total = video.uploadTotal else {
                throw APIError.badRequest(
                    "The last part has not been sent: a progressive upload ends with Content-Range part N/N.")
            }
            let parts = try PartCoverage.check(Array(stored.values), total: total)
            let duration = Pricing.duration(files: files, video: id, parts: parts, total: total)
            let price = Pricing.price(durationSeconds: duration, qualities: video.qualities.map(\.name))
            let balance = try Self.balance(db, account: account)
            guard price <= balance else {
                throw APIError.badRequest(
                    "Insufficient balance: transcoding costs \(Pricing.format(price)), the balance is \(Pricing.format(balance))."
                )
            }
            video.assembling = true
            // Kept until `finishComplete` charges for it (the parts are gone by then).
            video.duration = duration
            try StoreRows.save(video, account: account, db)
            return (parts, total)
        }
    }

    /// Ends `complete`: charges the account and starts transcoding (or clears the flag after a failure).
    func finishComplete(_ account: String, _ id: String, succeeded: Bool) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            try Self.finish(db, account, &video, succeeded: succeeded)
        }
    }

    /// A `complete` cut short by the process's end (between `beginComplete` and `finishComplete`) left
    /// its video `assembling`, refusing every later `complete`. At start: a video whose source is in
    /// place (its parts were linked) is finished as `complete` would have; any other gets its flag
    /// cleared, its parts still where they were, so `complete` can be sent again. Returns the ids of
    /// the finished videos and of the cleared ones.
    static func recoverInterruptedCompletes(_ database: any DatabaseWriter, files: FileLayout) throws
        -> (finished: [String], cleared: [String])
    {
        try database.write { db in
            var finished: [String] = []
            var cleared: [String] = []
            let rows = try Row.fetchAll(
                db, sql: "SELECT account, \(StoreRows.videoColumns) FROM videos WHERE assembling ORDER BY sequence")
            for row in rows {
                var video = try StoreRows.video(row)
                let account: String = row["account"]
                let linked = LinkedSource.pieces(video: video.id, files: files) != nil
                try finish(db, account, &video, succeeded: linked)
                if linked { finished.append(video.id) } else { cleared.append(video.id) }
            }
            return (finished, cleared)
        }
    }

    private static func finish(_ db: Database, _ account: String, _ video: inout StoredVideo, succeeded: Bool) throws {
        video.assembling = false
        if succeeded, let total = video.uploadTotal {
            let now = Timestamp.now()
            video.size = total
            if video.duration <= 0 { video.duration = Pricing.duration(forSize: total) }
            video.completedAt = now
            video.updatedAt = now
            let price = Pricing.price(durationSeconds: video.duration, qualities: video.qualities.map(\.name))
            try db.execute(
                sql: "UPDATE accounts SET balance = balance - ? WHERE public_key = ?", arguments: [price, account])
            try db.execute(sql: "DELETE FROM parts WHERE video_id = ?", arguments: [video.id])
        } else if !succeeded {
            video.duration = 0
        }
        try StoreRows.save(video, account: account, db)
    }

    func setThumbnail(_ account: String, _ id: String, fileExtension: String?) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            video.thumbnailExtension = fileExtension
            video.updatedAt = Timestamp.now()
            try StoreRows.save(video, account: account, db)
        }
    }

    func failVideo(_ account: String, _ id: String) throws {
        try write(account) { db in
            var video = try Self.existingVideo(db, account, id)
            video.failed = true
            if video.completedAt == nil { video.completedAt = Timestamp.now() }
            video.updatedAt = Timestamp.now()
            try StoreRows.save(video, account: account, db)
        }
    }

    /// Finds a video by id in any served account, for the unauthenticated asset URLs.
    nonisolated func anyVideo(_ id: String) -> StoredVideo? {
        let row = try? database.read { db in
            try Row.fetchOne(db, sql: "SELECT account, \(StoreRows.videoColumns) FROM videos WHERE id = ?", arguments: [id])
        }
        guard let row, accounts[row["account"] as String] != nil else { return nil }
        return try? StoreRows.video(row)
    }
}
