import Foundation

/// The body of the metrics operations (`GetBreakdownMetricsRequest`, and the aggregate's
/// `GetAggreatedMetricsMetricsRequest`: its `from`, `to` and `filter_by` only).
struct MetricsBody: Decodable, Sendable {
    var from: Int?
    var to: Int?
    var filterBy: MetricFilterBody?
    var limit: Int?
    var offset: Int?
    var orderBy: String?
    var sortBy: String?
    var sumOthers: Bool?

    enum CodingKeys: String, CodingKey {
        case from, to, limit, offset
        case filterBy = "filter_by"
        case orderBy = "order_by"
        case sortBy = "sort_by"
        case sumOthers = "sum_others"
    }
}

/// `MetricFilter`, taken and echoed in the answer's `context.filter`.
struct MetricFilterBody: Codable, Sendable {
    var browsers: [String]?
    var continents: [String]?
    var countries: [String]?
    var deviceTypes: [String]?
    var mediaIDs: [String]?
    var mediaType: String?
    var os: [String]?
    var tags: [String]?

    enum CodingKeys: String, CodingKey {
        case browsers, continents, countries, os, tags
        case deviceTypes = "device_types"
        case mediaIDs = "media_ids"
        case mediaType = "media_type"
    }

    func encode(to encoder: any Encoder) throws {
        // Every property of the document, null when not given.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(browsers, forKey: .browsers)
        try c.encode(continents, forKey: .continents)
        try c.encode(countries, forKey: .countries)
        try c.encode(deviceTypes, forKey: .deviceTypes)
        try c.encode(mediaIDs, forKey: .mediaIDs)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(os, forKey: .os)
        try c.encode(tags, forKey: .tags)
    }
}

/// `MetricsContext`: what was asked, echoed.
struct MetricsContextView: Encodable, Sendable {
    var metric: String
    var aggregation: String?
    var breakdown: String?
    var interval: String?
    var filter: MetricFilterBody?
    var range: ClosedRange<Int>

    enum CodingKeys: String, CodingKey {
        case metric, aggregation, breakdown, interval, filter
        case timeFrame = "time_frame"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encode(aggregation, forKey: .aggregation)
        try c.encode(breakdown, forKey: .breakdown)
        try c.encode(interval, forKey: .interval)
        try c.encode(filter, forKey: .filter)
        try c.encode(
            [
                "from": Timestamp.format(Double(range.lowerBound)), "to": Timestamp.format(Double(range.upperBound)),
            ], forKey: .timeFrame)
    }
}

/// `GetAggregatedMetricsData`: the aggregate, 0.
struct AggregatedMetricsView: Encodable, Sendable {
    let context: MetricsContextView
    let data = 0.0

    enum CodingKeys: String, CodingKey { case context, data }
}

/// `MetricItem`: one bucket of a time series, 0.
struct MetricItemView: Encodable, Sendable {
    let emittedAt: Int

    enum CodingKeys: String, CodingKey {
        case dimensionValue = "dimension_value"
        case emittedAt = "emitted_at"
        case metricValue = "metric_value"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(String?.none, forKey: .dimensionValue)
        try c.encode(Timestamp.format(Double(emittedAt)), forKey: .emittedAt)
        try c.encode(0.0, forKey: .metricValue)
    }
}

/// `GetBreakdownMetricsData` / `GetOvertimeMetricsData`: the context, the items (`[]` when none) and their count.
struct MetricItemsView: Encodable, Sendable {
    let context: MetricsContextView
    let items: [MetricItemView]
    let total: Int

    enum CodingKeys: String, CodingKey { case context, data, total }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(context, forKey: .context)
        try c.encode(items, forKey: .data)
        try c.encode(total, forKey: .total)
    }
}

/// `DataUsage`: the bytes delivered in one interval, 0.
struct DataUsageView: Encodable, Sendable {
    let createdAt: Int
    let userID: String

    enum CodingKeys: String, CodingKey {
        case delivery
        case createdAt = "created_at"
        case userID = "user_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.format(Double(createdAt)), forKey: .createdAt)
        try c.encode(0, forKey: .delivery)
        try c.encode(userID, forKey: .userID)
    }
}

/// `GetDataUsageData`.
struct DataUsagePage: Encodable, Sendable {
    let data: [DataUsageView]
    let total: Int
}

/// `GetStatisticMediasData`: no media (`[]`), none having been viewed.
struct StatisticMediaPage: Encodable, Sendable {
    let media: [String] = []
    let total = 0

    enum CodingKeys: String, CodingKey { case media, total }
}
