import Manifest

/// A webhook (`/webhooks`). `url` may carry a credential: every textual form masks it.
public struct Webhook: Decodable, Sendable, Hashable, Identifiable {
    public var id: String
    public var userID: String?
    public var name: String
    public var url: String
    public var fileReceived: Bool
    public var encodingStarted: Bool
    public var encodingFinished: Bool
    public var encodingFailed: Bool
    public var partialFinished: Bool
    public var createdAt: String?
    public var updatedAt: String?
    public var lastTriggeredAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, url
        case userID = "user_id"
        case fileReceived = "file_received"
        case encodingStarted = "encoding_started"
        case encodingFinished = "encoding_finished"
        case encodingFailed = "encoding_failed"
        case partialFinished = "partial_finished"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastTriggeredAt = "last_triggered_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? ""
        fileReceived = try c.decodeIfPresent(Bool.self, forKey: .fileReceived) ?? false
        encodingStarted = try c.decodeIfPresent(Bool.self, forKey: .encodingStarted) ?? false
        encodingFinished = try c.decodeIfPresent(Bool.self, forKey: .encodingFinished) ?? false
        encodingFailed = try c.decodeIfPresent(Bool.self, forKey: .encodingFailed) ?? false
        partialFinished = try c.decodeIfPresent(Bool.self, forKey: .partialFinished) ?? false
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        lastTriggeredAt = try c.decodeIfPresent(String.self, forKey: .lastTriggeredAt)
    }

    /// The events whose flag is set, in the API's order.
    public var events: [WebhookEvent] {
        var events: [WebhookEvent] = []
        if fileReceived { events.append(.fileReceived) }
        if encodingStarted { events.append(.encodingStarted) }
        if encodingFinished { events.append(.encodingFinished) }
        if encodingFailed { events.append(.encodingFailed) }
        if partialFinished { events.append(.partialFinished) }
        return events
    }
}

extension Webhook: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "Webhook(id: \(id), name: \(name), url: \(WebhookURL.masked(url)), events: \(events.map(\.rawValue)))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "name": name, "url": WebhookURL.masked(url), "events": events], displayStyle: .struct)
    }
}

/// The body of `POST /webhooks` and `PATCH /webhooks/{id}`: only the fields given are sent; `events`
/// sets all five flags (true for those listed, false for the others).
public struct WebhookRequest: Encodable, Sendable, Hashable {
    public var name: String?
    public var url: String?
    public var events: [WebhookEvent]?

    public init(name: String? = nil, url: String? = nil, events: [WebhookEvent]? = nil) {
        self.name = name
        self.url = url
        self.events = events
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        if let name { try c.encode(name, forKey: Key(stringValue: "name")) }
        if let url { try c.encode(url, forKey: Key(stringValue: "url")) }
        if let events {
            for event in WebhookEvent.allCases { try c.encode(events.contains(event), forKey: Key(stringValue: event.rawValue)) }
        }
    }
}

/// `GET /webhooks` filters and paging.
public struct WebhookListQuery: Sendable, Hashable {
    public var search: String?
    /// created_at or name.
    public var sortBy: String
    public var orderBy: SortOrder
    public var offset: Int
    public var limit: Int
    /// The documented event filters (`file_received`, `encoding_started`, `encoding_finished`).
    public var eventFilters: [WebhookEvent: Bool]

    public init(
        search: String? = nil, sortBy: String = "created_at", orderBy: SortOrder = .ascending, offset: Int = 0,
        limit: Int = 25, eventFilters: [WebhookEvent: Bool] = [:]
    ) {
        self.search = search
        self.sortBy = sortBy
        self.orderBy = orderBy
        self.offset = offset
        self.limit = limit
        self.eventFilters = eventFilters
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let search, !search.isEmpty { items.append(("search", search)) }
        items.append(("sort_by", sortBy))
        items.append(("order_by", orderBy.rawValue))
        items.append(("offset", String(offset)))
        items.append(("limit", String(limit)))
        for event in WebhookEvent.allCases {
            if let value = eventFilters[event] { items.append((event.rawValue, String(value))) }
        }
        return items
    }
}

/// One page of `GET /webhooks`.
public struct WebhookPage: Decodable, Sendable {
    public var webhooks: [Webhook]
    public var total: Int

    enum CodingKeys: String, CodingKey {
        case webhooks, total
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try c.decodeIfPresent([Webhook].self, forKey: .webhooks) ?? []
        total = try c.decodeLenientInt(forKey: .total) ?? webhooks.count
    }
}

/// `data` of `POST /webhooks` and `GET /webhooks/{id}`: `{webhook: {...}}`.
struct WebhookEnvelope: Decodable, Sendable {
    var webhook: Webhook
}
