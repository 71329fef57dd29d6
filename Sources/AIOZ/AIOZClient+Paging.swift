extension AIOZClient {
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
