import Foundation
import Sandbox
import SandboxTesting
import Testing

/// `/analytics…`, as AIOZ's Go SDK calls them: zero counts shaped by the document, the requests
/// checked. Every answer is also checked against AIOZ's documents.
@Suite("analytics")
struct AnalyticsTests {
    /// 2025-12-01T00:00:00Z and three days and an hour later.
    static let from = 1_764_547_200
    static let to = from + 3 * 86_400 + 3_600

    @Test("metrics: the aggregate is 0, a breakdown has no buckets, a time series a 0 per interval; the context echoes")
    func metrics() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let body = #"{"from":\#(Self.from),"to":\#(Self.to),"filter_by":{"media_type":"video","countries":["VN"]}}"#
            let aggregate = try await client.send(.POST, "/analytics/metrics/data/view/count", json: body)
            #expect(aggregate.status == 200, "\(aggregate.json)")
            #expect(aggregate.data["data"] as? Double == 0)
            let context = aggregate.data["context"] as? [String: Any] ?? [:]
            #expect(context["metric"] as? String == "view" && context["aggregation"] as? String == "count")
            #expect((context["filter"] as? [String: Any])?["countries"] as? [String] == ["VN"])
            #expect((context["time_frame"] as? [String: Any])?["from"] as? String == "2025-12-01T00:00:00.000000Z")

            let bucket = try await client.send(.POST, "/analytics/metrics/bucket/view/country", json: body)
            #expect(bucket.status == 200, "\(bucket.json)")
            #expect((bucket.data["data"] as? [Any])?.isEmpty == true && bucket.data["total"] as? Int == 0)
            #expect((bucket.data["context"] as? [String: Any])?["breakdown"] as? String == "country")

            let series = try await client.send(.POST, "/analytics/metrics/timeseries/view/day", json: body)
            #expect(series.status == 200, "\(series.json)")
            let items = series.data["data"] as? [[String: Any]] ?? []
            #expect(series.data["total"] as? Int == 4 && items.count == 4, "four days touched: \(series.json)")
            #expect(items.first?["emitted_at"] as? String == "2025-12-01T00:00:00.000000Z")
            #expect(items.allSatisfy { $0["metric_value"] as? Double == 0 })
            #expect((series.data["context"] as? [String: Any])?["interval"] as? String == "day")
            let paged = try await client.send(
                .POST, "/analytics/metrics/timeseries/view/hour",
                json: #"{"from":\#(Self.from),"to":\#(Self.to),"limit":2,"offset":1,"order_by":"desc"}"#)
            #expect(paged.data["total"] as? Int == 74)
            #expect(
                (paged.data["data"] as? [[String: Any]])?.compactMap { $0["emitted_at"] as? String } == [
                    "2025-12-04T00:00:00.000000Z", "2025-12-03T23:00:00.000000Z",
                ])

            for (path, json) in [
                ("timeseries/view/fortnight", body),
                ("data/view/count", #"{"from":\#(Self.to),"to":\#(Self.from)}"#),
                ("bucket/view/country", #"{"limit":0}"#),
                ("bucket/view/country", #"{"order_by":"up"}"#),
                ("data/view/count", #"{"filter_by":{"media_type":"image"}}"#),
                ("data/view/count", ""),
            ] {
                let refused = try await client.send(.POST, "/analytics/metrics/\(path)", json: json)
                #expect(refused.status == 400, "\(path) \(json): \(refused.json)")
            }
            #expect(try await client.send(.POST, "/analytics/metrics/data/view/count", json: body, auth: .none).status == 401)
        }
    }

    @Test("GET /analytics/data: a 0 delivery per interval, from, to and interval required; GET /analytics/media: none")
    func dataUsageAndMedia() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let usage = try await client.send(
                .GET, "/analytics/data?from=\(Self.from)&to=\(Self.to)&interval=day&limit=2&offset=0")
            #expect(usage.status == 200, "\(usage.json)")
            let rows = usage.data["data"] as? [[String: Any]] ?? []
            #expect(usage.data["total"] as? Int == 4 && rows.count == 2)
            #expect(rows.allSatisfy { $0["delivery"] as? Int == 0 && ($0["user_id"] as? String)?.isEmpty == false })
            for query in [
                "to=\(Self.to)&interval=day", "from=\(Self.from)&to=\(Self.to)", "from=x&to=\(Self.to)&interval=day",
                "from=\(Self.from)&to=\(Self.to)&interval=day&limit=101",
            ] {
                #expect(try await client.send(.GET, "/analytics/data?\(query)").status == 400, "\(query)")
            }

            let media = try await client.send(.GET, "/analytics/media?from=\(Self.from)&to=\(Self.to)&type=video&limit=10")
            #expect(media.status == 200, "\(media.json)")
            #expect((media.data["media"] as? [Any])?.isEmpty == true && media.data["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/analytics/media?type=image").status == 400)
            #expect(try await client.send(.GET, "/analytics/media?offset=-1").status == 400)
        }
    }
}
