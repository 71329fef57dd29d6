/// Offset/limit/order checks shared by every list.
struct Paging: Sendable {
    var offset: Int
    var limit: Int
    var ascending: Bool

    init(offset: Int?, limit: Int?, orderBy: String?, defaultAscending: Bool) throws {
        let offset = offset ?? 0
        let limit = limit ?? Limits.defaultPageLimit
        guard offset >= 0 else { throw APIError.badRequest("offset must be 0 or more.") }
        guard Limits.pageLimit.contains(limit) else { throw APIError.badRequest("limit must be between 1 and 100.") }
        switch orderBy {
        case nil: ascending = defaultAscending
        case "asc": ascending = true
        case "desc": ascending = false
        default: throw APIError.badRequest("order_by must be asc or desc.")
        }
        self.offset = offset
        self.limit = limit
    }

    func page<T>(_ items: [T]) -> [T] {
        guard offset < items.count else { return [] }
        return Array(items[offset..<min(items.count, offset + limit)])
    }

    /// Empty-string filters are rejected, as AIOZ does for saved videos [inferred for other lists].
    static func filter(_ value: String?, named name: String) throws -> String? {
        if let value, value.isEmpty {
            throw APIError.badRequest("\(name) must not be empty; leave it out to not filter.")
        }
        return value
    }
}
