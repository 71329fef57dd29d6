import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Listings answered by SQL: the same answers as the JSON store's filters and sorts in Swift.
@Suite("Listings in SQL: ties, Unicode, status, changed and deleted filters", .gated)
struct StoreQueryTests {
    static func titles(_ client: APIClient, _ body: String) async throws -> [String] {
        let result = try await client.send(.POST, "/videos", json: body)
        #expect(result.status == 200, "\(body)")
        return (result.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    /// A sandbox in memory (one connection) and one on disk (a `DatabasePool`, its list pages read
    /// outside the store's actor, side by side).
    static func configuration(persistent: Bool) -> (SandboxConfiguration, String?) {
        guard persistent else { return (SandboxConfiguration(), nil) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-query-\(UUID().uuidString)").path
        return (SandboxConfiguration(dataDirectory: directory), directory)
    }

    @Test(
        "pages walked in order (which seek from where the last page ended) equal offset pages, also after writes between pages",
        arguments: [false, true])
    func pageWalks(persistent: Bool) async throws {
        let (configuration, directory) = Self.configuration(persistent: persistent)
        defer { directory.map { try? FileManager.default.removeItem(atPath: $0) } }
        try await SandboxServer.withSandbox(configuration) { server throws in
            let client = await APIClient(server)
            var tagged: [String] = []
            for index in 0..<23 {
                let metadata = index % 3 == 0 ? "" : #","metadata":[{"key":"k","value":"v"}]"#
                let id = try await client.createVideo("{\"title\":\"v\(index)\",\"tags\":[\"t\"]\(metadata)}")
                if index % 3 != 0 { tagged.append(id) }
            }
            func page(_ filter: String, _ order: String, _ offset: Int, _ limit: Int) async throws -> (ids: [String], total: Int)
            {
                let body = "{\(filter)\"order_by\":\"\(order)\",\"offset\":\(offset),\"limit\":\(limit)}"
                let result = try await client.send(.POST, "/videos", json: body)
                #expect(result.status == 200, "\(body)")
                let ids = (result.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                let total = result.data["total"] as? Int ?? -1
                return (ids, total)
            }
            for filter in ["", #""metadata":[{"key":"k","value":"v"}],"#, #""tags":["t"],"#] {
                for order in ["desc", "asc"] {
                    // The whole list in one page: what every walk must reproduce.
                    let whole = try await page(filter, order, 0, 100)
                    var walked: [String] = []
                    var offset = 0
                    while offset < whole.ids.count {
                        let next = try await page(filter, order, offset, 4)
                        #expect(next.total == whole.total, "\(filter) \(order) at \(offset)")
                        walked += next.ids
                        offset += 4
                    }
                    #expect(walked == whole.ids, "\(filter) \(order)")
                    // A page asked again, out of order, and one not on a page boundary.
                    #expect(try await page(filter, order, 8, 4).ids == Array(whole.ids[8..<12]))
                    #expect(try await page(filter, order, 5, 3).ids == Array(whole.ids[5..<8]))
                }
            }
            // A write between pages: the next page is the offset page of the list as it is now.
            let filter = #""metadata":[{"key":"k","value":"v"}],"#
            _ = try await page(filter, "desc", 0, 4)
            _ = try await page(filter, "desc", 4, 4)
            let newest = try await client.createVideo(#"{"title":"new","metadata":[{"key":"k","value":"v"}]}"#)
            let after = try await page(filter, "desc", 8, 4)
            let now = try await page(filter, "desc", 0, 100)
            #expect(now.ids.first == newest && now.total == tagged.count + 1)
            #expect(after.ids == Array(now.ids[8..<12]) && after.total == now.total)
            #expect(try await client.send(.DELETE, "/videos/\(tagged[5])").status == 200)
            let afterDelete = try await page(filter, "desc", 12, 4)
            let whole = try await page(filter, "desc", 0, 100)
            #expect(afterDelete.ids == Array(whole.ids[12...].prefix(4)) && afterDelete.total == tagged.count)
        }
    }

    /// Issue 25, item 1: pages asked at once are read at once; each is still the offset page, and a
    /// write between two concurrent walks shows in the second (the cursors are forgotten).
    @Test("on disk, list pages asked at once (the plan asks 4 at a time) equal the offset pages, before and after a write")
    func concurrentPages() async throws {
        let (configuration, directory) = Self.configuration(persistent: true)
        defer { directory.map { try? FileManager.default.removeItem(atPath: $0) } }
        try await SandboxServer.withSandbox(configuration) { server throws in
            let client = await APIClient(server)
            for index in 0..<60 {
                _ = try await client.createVideo("{\"title\":\"v\(index)\",\"metadata\":[{\"key\":\"k\",\"value\":\"v\"}]}")
            }
            let filter = #""metadata":[{"key":"k","value":"v"}],"#
            func page(_ offset: Int, _ limit: Int) async throws -> [String] {
                let result = try await client.send(.POST, "/videos", json: "{\(filter)\"offset\":\(offset),\"limit\":\(limit)}")
                #expect(result.status == 200)
                return (result.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            func walkAtOnce() async throws -> [String] {
                try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
                    for offset in stride(from: 0, to: 80, by: 5) {
                        group.addTask { (offset, try await page(offset, 5)) }
                    }
                    var pages: [Int: [String]] = [:]
                    for try await (offset, ids) in group { pages[offset] = ids }
                    return pages.keys.sorted().flatMap { pages[$0]! }
                }
            }
            for _ in 0..<3 {
                let whole = try await page(0, 100)
                #expect(whole.count == 60)
                #expect(try await walkAtOnce() == whole)
            }
            let newest = try await client.createVideo(#"{"title":"new","metadata":[{"key":"k","value":"v"}]}"#)
            let after = try await walkAtOnce()
            #expect(after.first == newest && after.count == 61)
            #expect(after == (try await page(0, 100)))
        }
    }

    @Test("equal titles keep creation order, reversed when descending; Unicode order and case-insensitive search")
    func orderAndSearch() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            for title in ["b 1", "Émile", "a", "b 2", "zebra", "École"] {
                let id = try await client.createVideo("{\"title\":\"\(title)\"}")
                if title.hasPrefix("b ") {
                    #expect(try await client.send(.PATCH, "/videos/\(id)", json: #"{"title":"b"}"#).status == 200)
                }
            }
            // Swift's String order: "É" (U+00C9) after every ASCII letter.
            #expect(
                try await Self.titles(client, #"{"sort_by":"title","order_by":"asc"}"#) == [
                    "a", "b", "b", "zebra", "École", "Émile",
                ])
            #expect(
                try await Self.titles(client, #"{"sort_by":"title","order_by":"desc"}"#) == [
                    "Émile", "École", "zebra", "b", "b", "a",
                ])
            // lowercased() is Unicode-aware: "ÉCOLE" finds "École" (SQLite's LIKE would not).
            #expect(try await Self.titles(client, #"{"search":"ÉCOLE"}"#) == ["École"])
            #expect(try await Self.titles(client, #"{"search":"é","sort_by":"title","order_by":"asc"}"#) == ["École", "Émile"])
        }
    }

    @Test("status filters follow time; size and updated_at sorts; offset past the end keeps the total")
    func statusAndSorts() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(transcodeSeconds: 60)) { server throws in
            let client = await APIClient(server)
            let big = try await LifecycleTests.uploaded(client, size: 3000)
            let small = try await LifecycleTests.uploaded(client, size: 1000)
            let failed = try await LifecycleTests.uploaded(client, size: 2000)
            _ = try await client.createVideo(#"{"title":"fresh"}"#)
            for id in [big, small, failed] { #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200) }
            #expect(try await client.send(.POST, "/_sandbox/videos/\(failed)/fail").status == 200)
            func ids(_ body: String) async throws -> [String] {
                let result = try await client.send(.POST, "/videos", json: body)
                return (result.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await ids(#"{"status":"transcoding","sort_by":"size","order_by":"asc"}"#) == [small, big])
            #expect(try await ids(#"{"status":"fail"}"#) == [failed])
            #expect(try await ids(#"{"status":"new"}"#).count == 1)
            #expect(try await ids(#"{"status":"done"}"#).isEmpty)
            #expect(try await ids(#"{"status":"deleted"}"#).isEmpty)
            #expect(try await ids(#"{"sort_by":"size","order_by":"desc","limit":3}"#) == [big, failed, small])
            #expect(try await ids(#"{"sort_by":"updated_at","order_by":"desc","limit":1}"#) == [failed])
            let past = try await client.send(.POST, "/videos", json: #"{"offset":10}"#)
            #expect(past.data["videos"] is NSNull)
            #expect(past.data["total"] as? Int == 4)
        }
    }

    @Test("a patched or deleted video leaves the tag and metadata filters; recordings are not listed")
    func filtersFollowChanges() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let a = try await client.createVideo(#"{"title":"a","tags":["x","y"],"metadata":[{"key":"k","value":"1"}]}"#)
            let b = try await client.createVideo(#"{"title":"b","tags":["x"],"metadata":[{"key":"k","value":"1"}]}"#)
            let byPair = #"{"metadata":[{"key":"k","value":"1"},{"key":"k","value":"1"}],"order_by":"asc"}"#
            #expect(try await Self.titles(client, byPair) == ["a", "b"])
            #expect(try await Self.titles(client, #"{"tags":["x"],"order_by":"asc"}"#) == ["a", "b"])
            #expect(try await client.send(.PATCH, "/videos/\(a)", json: #"{"metadata":[{"key":"k","value":"2"}]}"#).status == 200)
            #expect(try await Self.titles(client, byPair) == ["b"])
            #expect(try await Self.titles(client, #"{"metadata":[{"key":"k","value":"2"}]}"#) == ["a"])
            #expect(try await client.send(.DELETE, "/videos/\(b)").status == 200)
            #expect(try await Self.titles(client, #"{"tags":["x"]}"#) == ["a"])
            #expect(try await Self.titles(client, #"{"tags":[]}"#) == ["a"])

            let key = try await client.send(.POST, "/live_streams", json: #"{"name":"k","save":true}"#).data["id"] as? String
            let keyID = try #require(key)
            #expect(
                try await client.send(.POST, "/_sandbox/live_streams/\(keyID)/broadcasting", json: #"{"broadcasting":true}"#)
                    .status == 200)
            #expect(
                try await client.send(.POST, "/_sandbox/live_streams/\(keyID)/broadcasting", json: #"{"broadcasting":false}"#)
                    .status == 200)
            #expect(try await client.send(.POST, "/live_streams/\(keyID)/videos", json: "{}").data["total"] as? Int == 1)
            #expect(try await Self.titles(client, "{}") == ["a"])
            #expect(try await client.send(.POST, "/videos", json: "{}").data["total"] as? Int == 1)
        }
    }

    @Test("concurrent creates and deletes: every id distinct, creation order and totals consistent")
    func concurrentWrites() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<40 { group.addTask { try await client.createVideo("{\"title\":\"v\(index)\"}") } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ids).count == 40)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids.prefix(10) {
                    group.addTask {
                        let status = try await client.send(.DELETE, "/videos/\(id)").status
                        #expect(status == 200)
                    }
                }
                try await group.waitForAll()
            }
            var listed: [String] = []
            for offset in stride(from: 0, to: 30, by: 7) {
                let page = try await client.send(
                    .POST, "/videos", json: "{\"limit\":7,\"offset\":\(offset),\"order_by\":\"asc\"}")
                #expect(page.data["total"] as? Int == 30)
                listed += (page.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(Set(listed) == Set(ids.dropFirst(10)))
            #expect(listed.count == 30)
            let filtered = try await client.send(.POST, "/videos", json: #"{"search":"v","limit":1}"#)
            #expect(filtered.data["total"] as? Int == 30)
        }
    }

    @Test("key lists sort by name then creation, search names case-insensitively, count before paging")
    func keyList() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            for name in ["beta", "Alpha", "beta", "gamma"] {
                #expect(try await client.send(.POST, "/live_streams", json: "{\"name\":\"\(name)\"}").status == 200)
            }
            func names(_ query: String) async throws -> (names: [String], total: Int?) {
                let result = try await client.send(.GET, "/live_streams?" + query)
                let keys = result.data["live_stream_keys"] as? [[String: Any]] ?? []
                return (keys.compactMap { $0["name"] as? String }, result.data["total"] as? Int)
            }
            #expect(try await names("sort_by=name").names == ["Alpha", "beta", "beta", "gamma"])
            #expect(try await names("sort_by=name&order_by=desc&limit=2").names == ["gamma", "beta"])
            let searched = try await names("search=BET&offset=1")
            #expect(searched.names == ["beta"])
            #expect(searched.total == 2)
        }
    }
}
