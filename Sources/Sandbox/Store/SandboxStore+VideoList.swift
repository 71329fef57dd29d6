import Foundation
import GRDB

/// What `POST /videos` asks for, checked by the route.
struct VideoQuery: Sendable {
    /// Any of these statuses; nil for no filter.
    var status: [String]?
    /// Already lowercased; nil for no search.
    var search: String?
    var tags: [String]?
    var metadata: [MetadataPair]?
    /// The 2026 list's `type`: "video" or "audio"; nil: every type.
    var type: String? = nil
    /// created_at, updated_at, title or size.
    var sortBy: String
    var ascending: Bool
    var offset: Int
    var limit: Int
    var now: Double
    var transcodeSeconds: Double
}

extension SandboxStore {
    /// One page of the account's videos (recordings of live streams excepted) and the number matching.
    /// Filters and order run in SQL on the indexes; the order is the sort column, then creation order.
    ///
    /// With a metadata (else tag) filter, the first pair (tag) drives: its index rows, in creation order,
    /// join their videos by id, and the other pairs and tags are checked per video on its primary key. A
    /// list in creation order then reads its page straight from that index; other orders sort the matches.
    ///
    /// Read outside the actor: pages asked at once are read at once (a pool's readers). The cursors
    /// that let a page seek are used only when no write began since they were recorded, and kept only
    /// when none began while the page was read (`WriteGeneration`); otherwise the page is read with
    /// `OFFSET`, which is always right.
    nonisolated func listVideos(_ account: String, _ query: VideoQuery) throws -> (videos: [StoredVideo], total: Int) {
        var pairs = Set(query.metadata ?? []).sorted { ($0.key, $0.value) < ($1.key, $1.value) }
        var tags = Set(query.tags ?? []).sorted()
        var from = "videos v"
        var conditions = ["v.account = ?"]
        var arguments: StatementArguments = [account]
        var sequence = "v.sequence"
        if !pairs.isEmpty {
            let first = pairs.removeFirst()
            from = "video_metadata d CROSS JOIN videos v ON v.id = d.video_id"
            conditions = ["d.account = ?", "d.key = ?", "d.value = ?"]
            arguments = [account, first.key, first.value]
            sequence = "d.sequence"
        } else if !tags.isEmpty {
            let first = tags.removeFirst()
            from = "video_tags d CROSS JOIN videos v ON v.id = d.video_id"
            conditions = ["d.account = ?", "d.tag = ?"]
            arguments = [account, first]
            sequence = "d.sequence"
        }
        conditions.append("v.live_stream_key_id IS NULL")
        for pair in pairs {
            conditions.append("EXISTS (SELECT 1 FROM video_metadata WHERE video_id = v.id AND key = ? AND value = ?)")
            arguments += [pair.key, pair.value]
        }
        for tag in tags {
            conditions.append("EXISTS (SELECT 1 FROM video_tags WHERE video_id = v.id AND tag = ?)")
            arguments += [tag]
        }
        if let statuses = query.status {
            // The same arithmetic as `StoredVideo.status(now:transcodeSeconds:)`, so the same answer at the edge.
            var alternatives: [String] = []
            for status in statuses {
                switch status {
                case "new": alternatives.append("v.completed_at IS NULL")
                case "fail": alternatives.append("(v.completed_at IS NOT NULL AND v.failed)")
                case "done":
                    alternatives.append("(v.completed_at IS NOT NULL AND NOT v.failed AND (? - v.completed_at) >= ?)")
                    arguments += [query.now, query.transcodeSeconds]
                case "transcoding":
                    alternatives.append("(v.completed_at IS NOT NULL AND NOT v.failed AND (? - v.completed_at) < ?)")
                    arguments += [query.now, query.transcodeSeconds]
                default: alternatives.append("0")
                }
            }
            conditions.append("(" + (alternatives.isEmpty ? "0" : alternatives.joined(separator: " OR ")) + ")")
        }
        if let type = query.type {
            conditions.append("v.media_type = ?")
            arguments += [type]
        }
        if let search = query.search {
            conditions.append("(swift_contains(v.title, ?) OR swift_contains(v.description, ?))")
            arguments += [search, search]
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let order: String
        switch query.sortBy {
        case "title": order = "v.title \(direction), \(sequence) \(direction)"
        case "size": order = "v.size \(direction), \(sequence) \(direction)"
        case "updated_at": order = "v.updated_at \(direction), \(sequence) \(direction)"
        default: order = "\(sequence) \(direction)"
        }
        let filter = "FROM \(from) WHERE " + conditions.joined(separator: " AND ")
        let unfiltered = query.status == nil && query.search == nil && query.type == nil && from == "videos v"
        // A list in creation order whose rows do not depend on the clock (no status filter) can seek
        // to where its previous page ended: `OFFSET` would walk, join and check every skipped row.
        let cursorKey: String? =
            query.status == nil && order == "\(sequence) \(direction)"
            ? [
                account, "\(query.metadata.map { Set($0).sorted { ($0.key, $0.value) < ($1.key, $1.value) } } ?? [])",
                "\(Set(query.tags ?? []).sorted())", query.search ?? "", direction, query.type ?? "",
            ].joined(separator: "\u{1F}") : nil
        // With cursors only while no write is under way; a page read while a write began may have used
        // stale ones, so it is read again without them.
        if let cursorKey, let generation = writes.stable {
            let (known, after) = pageCursors.withLock { cursors in
                cursors.observe(generation: generation)
                return (cursors.total(cursorKey), query.offset > 0 ? cursors.sequence(cursorKey, endingAt: query.offset) : nil)
            }
            let page = try listPage(
                account, query, filter: filter, arguments: arguments, sequence: sequence, order: order,
                unfiltered: unfiltered, knownTotal: known, after: after)
            let kept = pageCursors.withLock { cursors in
                guard writes.unchanged(since: generation) else { return false }
                cursors.observe(generation: generation)
                if known == nil, !unfiltered { cursors.setTotal(page.total, cursorKey) }
                if let last = page.lastSequence {
                    cursors.record(cursorKey, endingAt: query.offset + page.videos.count, sequence: last)
                }
                return true
            }
            if kept { return (page.videos, page.total) }
        }
        let page = try listPage(
            account, query, filter: filter, arguments: arguments, sequence: sequence, order: order, unfiltered: unfiltered,
            knownTotal: nil, after: nil)
        return (page.videos, page.total)
    }

    /// One page: with `after`, the rows past that creation sequence (a seek), else by `OFFSET`.
    private nonisolated func listPage(
        _ account: String, _ query: VideoQuery, filter: String, arguments: StatementArguments, sequence: String,
        order: String, unfiltered: Bool, knownTotal: Int?, after: Int?
    ) throws -> (videos: [StoredVideo], total: Int, lastSequence: Int?) {
        try read(account) { db in
            let total: Int
            if unfiltered {
                total =
                    try Int.fetchOne(db, sql: "SELECT listed_videos FROM accounts WHERE public_key = ?", arguments: [account])
                    ?? 0
            } else if let knownTotal {
                total = knownTotal
            } else {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(filter)", arguments: arguments) ?? 0
            }
            var sql = "SELECT \(StoreRows.qualifiedVideoColumns), \(sequence) AS page_sequence \(filter)"
            var pageArguments = arguments
            if let after {
                sql += " AND \(sequence) \(query.ascending ? ">" : "<") ?"
                pageArguments += [after]
                pageArguments += [query.limit, 0]
            } else {
                pageArguments += [query.limit, query.offset]
            }
            let rows = try Row.fetchAll(db, sql: sql + " ORDER BY \(order) LIMIT ? OFFSET ?", arguments: pageArguments)
            let last: Int? = rows.last?["page_sequence"]
            return (try rows.map(StoreRows.video), total, last)
        }
    }
}

/// Where recent pages of each list ended (the creation sequence of their last row) and each list's
/// total, valid while nothing in the database changes: the store's count of write transactions is
/// the generation (`WriteGeneration`), so any write forgets them all. Bounded: a few hundred lists'
/// worth of entries, then it starts again.
struct PageCursors: Sendable {
    private var generation = -1
    private var ends: [String: [Int: Int]] = [:]
    private var totals: [String: Int] = [:]
    private var entries = 0
    static let maxEntries = 100_000

    mutating func observe(generation now: Int) {
        guard now != generation || entries > Self.maxEntries else { return }
        generation = now
        ends = [:]
        totals = [:]
        entries = 0
    }

    func sequence(_ key: String, endingAt offset: Int) -> Int? { ends[key]?[offset] }
    func total(_ key: String) -> Int? { totals[key] }

    mutating func record(_ key: String, endingAt offset: Int, sequence: Int) {
        ends[key, default: [:]][offset] = sequence
        entries += 1
    }

    mutating func setTotal(_ total: Int, _ key: String) {
        totals[key] = total
        entries += 1
    }
}
