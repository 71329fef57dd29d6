/// A listing query that pages with `offset` and `limit`.
protocol PagedQuery {
    var offset: Int { get set }
    var limit: Int { get set }
}

extension VideoListQuery: PagedQuery {}
extension LiveStreamKeyListQuery: PagedQuery {}
extension WebhookListQuery: PagedQuery {}

extension AIOZClient {
    /// A page request AIOZ accepts: 0 ≤ offset and 1 ≤ limit ≤ 100; `what` names the listing.
    static func checkPage(_ query: some PagedQuery, _ what: String) throws {
        guard (1...100).contains(query.limit), query.offset >= 0 else {
            throw AIOZError(
                code: .invalidRequest,
                operation:
                    "A \(what) list needs 0 ≤ offset and 1 ≤ limit ≤ 100 (got offset \(query.offset), limit \(query.limit))")
        }
    }

    /// Every item `list` finds for `query`, 100 a page (see `collectPages`).
    static func allPages<Query: PagedQuery, Item: Identifiable>(
        _ query: Query, _ list: (Query) async throws -> (items: [Item], total: Int)
    ) async throws -> [Item] where Item.ID == String {
        var page = query
        return try await collectPages(id: \.id) { offset, limit in
            page.offset = offset
            page.limit = limit
            return try await list(page)
        }
    }

    /// Fetches every page of a listing, 100 items at a time, until `total` is reached or a page is
    /// empty; an item seen twice (the listing shifted while paging) is kept once.
    static func collectPages<Item>(
        id: (Item) -> String,
        _ fetch: (_ offset: Int, _ limit: Int) async throws -> (items: [Item], total: Int)
    ) async throws -> [Item] {
        var items: [Item] = []
        var seen = Set<String>()
        var offset = 0
        while true {
            let page = try await fetch(offset, 100)
            for item in page.items where seen.insert(id(item)).inserted { items.append(item) }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return items }
        }
    }
}
