import Foundation
import GRDB

/// What `POST /videos` asks for, checked by the route.
struct VideoQuery: Sendable {
    var status: String?
    /// Already lowercased; nil for no search.
    var search: String?
    var tags: [String]?
    var metadata: [MetadataPair]?
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
    func listVideos(_ account: String, _ query: VideoQuery) throws -> (videos: [StoredVideo], total: Int) {
        var conditions = ["account = ?", "live_stream_key_id IS NULL"]
        var arguments: StatementArguments = [account]
        if let status = query.status {
            // The same arithmetic as `StoredVideo.status(now:transcodeSeconds:)`, so the same answer at the edge.
            switch status {
            case "new": conditions.append("completed_at IS NULL")
            case "fail": conditions.append("completed_at IS NOT NULL AND failed")
            case "done":
                conditions.append("completed_at IS NOT NULL AND NOT failed AND (? - completed_at) >= ?")
                arguments += [query.now, query.transcodeSeconds]
            case "transcoding":
                conditions.append("completed_at IS NOT NULL AND NOT failed AND (? - completed_at) < ?")
                arguments += [query.now, query.transcodeSeconds]
            default: conditions.append("0")
            }
        }
        if let search = query.search {
            conditions.append("(swift_contains(title, ?) OR swift_contains(description, ?))")
            arguments += [search, search]
        }
        for tag in Set(query.tags ?? []).sorted() {
            conditions.append("id IN (SELECT video_id FROM video_tags WHERE account = ? AND tag = ?)")
            arguments += [account, tag]
        }
        for pair in Set(query.metadata ?? []).sorted(by: { ($0.key, $0.value) < ($1.key, $1.value) }) {
            conditions.append("id IN (SELECT video_id FROM video_metadata WHERE account = ? AND key = ? AND value = ?)")
            arguments += [account, pair.key, pair.value]
        }
        let direction = query.ascending ? "ASC" : "DESC"
        let order: String
        switch query.sortBy {
        case "title": order = "title \(direction), sequence \(direction)"
        case "size": order = "size \(direction), sequence \(direction)"
        case "updated_at": order = "updated_at \(direction), sequence \(direction)"
        default: order = "sequence \(direction)"
        }
        let filter = conditions.joined(separator: " AND ")
        return try read(account) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM videos WHERE \(filter)", arguments: arguments) ?? 0
            var pageArguments = arguments
            pageArguments += [query.limit, query.offset]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(StoreRows.videoColumns) FROM videos WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return (try rows.map(StoreRows.video), total)
        }
    }
}
