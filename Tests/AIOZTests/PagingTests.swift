import Testing

@testable import AIOZ

/// A listing served from an array, counting the pages asked for and how many were in flight at once.
actor FakeListing {
    var items: [String]
    let cap: Int
    var requests: [Int] = []
    var inFlight = 0
    var mostInFlight = 0
    /// Items appended to the listing after this many requests (a listing that grows while paging).
    var growth: (after: Int, items: [String])?

    init(count: Int, cap: Int = 100, growth: (after: Int, items: [String])? = nil) {
        items = (0..<count).map { "item-\($0)" }
        self.cap = cap
        self.growth = growth
    }

    func page(offset: Int, limit: Int) async -> (items: [String], total: Int) {
        requests.append(offset)
        inFlight += 1
        mostInFlight = max(mostInFlight, inFlight)
        await Task.yield()
        inFlight -= 1
        if let growth, requests.count >= growth.after {
            items += growth.items
            self.growth = nil
        }
        let end = min(items.count, offset + min(limit, cap))
        return (offset < end ? Array(items[offset..<end]) : [], items.count)
    }
}

@Suite("gathering a paged listing")
struct PagingTests {
    func gather(_ listing: FakeListing, pagesInFlight: Int = 4) async throws -> [String] {
        let fetch: @Sendable (Int, Int) async throws -> (items: [String], total: Int) = { offset, limit in
            await listing.page(offset: offset, limit: limit)
        }
        return try await AIOZClient.collectPages(id: \.self, pagesInFlight: pagesInFlight, fetch)
    }

    @Test("every item once and in order, each page asked for once, at most pagesInFlight at a time")
    func inOrder() async throws {
        let listing = FakeListing(count: 1050)
        let items = try await gather(listing)
        #expect(items == (0..<1050).map { "item-\($0)" })
        let requests = await listing.requests
        #expect(requests.sorted() == Array(stride(from: 0, to: 1050, by: 100)))
        #expect(await listing.mostInFlight <= 4)
    }

    @Test("a server that answers fewer than 100 a page is walked at its own page size")
    func cappedPages() async throws {
        let listing = FakeListing(count: 130, cap: 25)
        let items = try await gather(listing)
        #expect(items == (0..<130).map { "item-\($0)" })
        #expect(await listing.requests.sorted() == Array(stride(from: 0, to: 130, by: 25)))
    }

    @Test("items added while paging are fetched after the pages the first total announced")
    func growingListing() async throws {
        let listing = FakeListing(count: 300, growth: (after: 2, items: ["late-1", "late-2"]))
        let items = try await gather(listing, pagesInFlight: 1)
        #expect(items.count == 302 && Set(items).count == 302)
        #expect(items.suffix(2) == ["late-1", "late-2"])
    }

    @Test("an empty listing and a single short page cost one request")
    func small() async throws {
        for count in [0, 7, 100] {
            let listing = FakeListing(count: count)
            #expect(try await gather(listing).count == count)
            #expect(await listing.requests == [0])
        }
    }
}
