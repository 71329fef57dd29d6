import Foundation
import Hummingbird

/// `/analytics…` (the 2026 document; not in the 2025 one). The sandbox has no viewers and delivers no
/// bytes, so every count is 0: an aggregate is 0, a breakdown has no buckets, a time series and the
/// data usage have one bucket of 0 per interval of the range asked, and no media has statistics.
/// The requests are checked as the document and the sandbox's other lists do: its required query
/// parameters, `limit` 1..100, `offset` ≥ 0, `order_by` asc or desc, `from` ≤ `to`, `type` video or audio.
struct AnalyticsRoutes {
    let env: SandboxEnvironment
    /// The intervals a time series and the data usage are counted by [inferred: the document names none;
    /// AIOZ's SDK examples and dashboard use `day`].
    static let intervals = ["hour", "day", "week", "month"]
    /// A range split into more buckets than this is refused rather than answered [inferred].
    static let maxBuckets = 10_000
    /// A range not given in a metrics body: the 30 days before now [inferred].
    static let defaultRangeSeconds = 30 * 86_400

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/analytics")
        group.post("metrics/data/:metric/:aggregation") { request, context in
            _ = try context.requireAccount()
            let body = try await RequestDecoding.json(MetricsBody.self, from: request)
            let range = try Self.range(from: body.from, to: body.to)
            try Self.validate(body.filterBy)
            let metricsContext = MetricsContextView(
                metric: try context.parameters.require("metric"),
                aggregation: try context.parameters.require("aggregation"), filter: body.filterBy, range: range)
            return try JSONResponse.data(AggregatedMetricsView(context: metricsContext))
        }
        group.post("metrics/bucket/:metric/:breakdown") { request, context in
            _ = try context.requireAccount()
            let body = try await RequestDecoding.json(MetricsBody.self, from: request)
            let range = try Self.range(from: body.from, to: body.to)
            try Self.validate(body.filterBy)
            _ = try Paging(offset: body.offset, limit: body.limit, orderBy: body.orderBy, defaultAscending: false)
            _ = try Paging.filter(body.sortBy, named: "sort_by")
            let metricsContext = MetricsContextView(
                metric: try context.parameters.require("metric"),
                breakdown: try context.parameters.require("breakdown"), filter: body.filterBy, range: range)
            // No views, so no value of the dimension has any: no buckets.
            return try JSONResponse.data(MetricItemsView(context: metricsContext, items: [], total: 0))
        }
        group.post("metrics/timeseries/:metric/:interval") { request, context in
            _ = try context.requireAccount()
            let body = try await RequestDecoding.json(MetricsBody.self, from: request)
            let range = try Self.range(from: body.from, to: body.to)
            try Self.validate(body.filterBy)
            let paging = try Paging(offset: body.offset, limit: body.limit, orderBy: body.orderBy, defaultAscending: true)
            _ = try Paging.filter(body.sortBy, named: "sort_by")
            let interval = try context.parameters.require("interval")
            let starts = try Self.buckets(range, interval: interval)
            let items = paging.page(paging.ascending ? starts : starts.reversed()).map { MetricItemView(emittedAt: $0) }
            let metricsContext = MetricsContextView(
                metric: try context.parameters.require("metric"), interval: interval, filter: body.filterBy,
                range: range)
            return try JSONResponse.data(MetricItemsView(context: metricsContext, items: items, total: starts.count))
        }
        group.get("data") { request, context in
            let account = try context.requireAccount()
            let query = request.uri.queryParameters
            func required(_ name: String) throws -> String {
                guard let value = query[name[...]], !value.isEmpty else { throw APIError.badRequest("\(name) is required.") }
                return String(value)
            }
            let from = try Self.integer(try required("from"), named: "from")
            let to = try Self.integer(try required("to"), named: "to")
            let interval = try required("interval")
            let range = try Self.range(from: from, to: to)
            let paging = try Paging(
                offset: try query["offset"].map { try Self.integer(String($0), named: "offset") },
                limit: try query["limit"].map { try Self.integer(String($0), named: "limit") }, orderBy: nil,
                defaultAscending: true)
            let starts = try Self.buckets(range, interval: interval)
            let userID = try env.store.userID(account)
            let usage = paging.page(starts).map { DataUsageView(createdAt: $0, userID: userID) }
            return try JSONResponse.data(DataUsagePage(data: usage, total: starts.count))
        }
        group.get("media") { request, context in
            _ = try context.requireAccount()
            let query = request.uri.queryParameters
            func int(_ name: String) throws -> Int? {
                try query[name[...]].map { try Self.integer(String($0), named: name) }
            }
            _ = try Self.range(from: try int("from"), to: try int("to"))
            if let type = try Paging.filter(query["type"].map(String.init), named: "type") {
                try VideoValidation.mediaType(type)
            }
            _ = try Paging(offset: try int("offset"), limit: try int("limit"), orderBy: nil, defaultAscending: true)
            // No media was viewed: none has statistics.
            return try JSONResponse.data(StatisticMediaPage())
        }
    }

    static func integer(_ text: String, named name: String) throws -> Int {
        guard let value = Int(text) else {
            throw APIError.badRequest("\(name) must be an integer (a Unix time for from and to).")
        }
        return value
    }

    /// The range asked, in Unix seconds: `to` defaults to now and `from` to 30 days before `to`.
    static func range(from: Int?, to: Int?) throws -> ClosedRange<Int> {
        let to = to ?? Int(Timestamp.now())
        let from = from ?? (to - defaultRangeSeconds)
        guard from >= 0, to >= 0 else { throw APIError.badRequest("from and to must be Unix times (0 or more).") }
        guard from <= to else { throw APIError.badRequest("from must not be after to.") }
        return from...to
    }

    static func validate(_ filter: MetricFilterBody?) throws {
        if let type = filter?.mediaType, !type.isEmpty { try VideoValidation.mediaType(type) }
    }

    /// The start of each interval (UTC) that the range touches, the first the one holding `from`.
    static func buckets(_ range: ClosedRange<Int>, interval: String) throws -> [Int] {
        let components: [String: Calendar.Component] = [
            "hour": .hour, "day": .day, "week": .weekOfYear, "month": .month,
        ]
        guard let component = components[interval] else {
            throw APIError.badRequest("interval must be one of \(intervals.joined(separator: ", ")).")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = Date(timeIntervalSince1970: Double(range.lowerBound))
        guard var start = calendar.dateInterval(of: component, for: first)?.start else { return [] }
        var starts: [Int] = []
        while Int(start.timeIntervalSince1970) <= range.upperBound {
            guard starts.count < maxBuckets else {
                throw APIError.badRequest("The range has more than \(maxBuckets) intervals of a \(interval); ask for less.")
            }
            starts.append(Int(start.timeIntervalSince1970))
            guard let next = calendar.date(byAdding: component, value: 1, to: start) else { break }
            start = next
        }
        return starts
    }
}
