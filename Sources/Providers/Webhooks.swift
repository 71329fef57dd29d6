public import Manifest

/// A webhook on the service. Its `url` may carry credentials: its descriptions mask them.
public struct RemoteWebhook: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var name: String
    public var url: String
    /// The events it is called for, in the API's order.
    public var events: [WebhookEvent]
    public var createdAt: String?
    public var lastTriggeredAt: String?

    public init(
        id: String, name: String, url: String, events: [WebhookEvent], createdAt: String? = nil,
        lastTriggeredAt: String? = nil
    ) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events.sorted()
        self.createdAt = createdAt
        self.lastTriggeredAt = lastTriggeredAt
    }

    public var description: String {
        "RemoteWebhook(id: \(id), name: \(name), url: \(WebhookURL.masked(url)), events: \(events.map(\.rawValue)))"
    }
}

/// A webhook to create: every field.
public struct NewWebhook: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var url: String
    public var events: [WebhookEvent]

    public init(name: String, url: String, events: [WebhookEvent]) {
        self.name = name
        self.url = url
        self.events = events.sorted()
    }

    public var description: String {
        "NewWebhook(name: \(name), url: \(WebhookURL.masked(url)), events: \(events.map(\.rawValue)))"
    }
}

/// The fields of a webhook to change (nil: left as it is). `events` sets all five flags.
public struct WebhookPatch: Sendable, Hashable {
    public var name: String?
    public var url: String?
    public var events: [WebhookEvent]?

    public init(name: String? = nil, url: String? = nil, events: [WebhookEvent]? = nil) {
        self.name = name
        self.url = url
        self.events = events
    }

    public var isEmpty: Bool { name == nil && url == nil && events == nil }
}

extension Provider {
    public func webhook(id: String) async throws -> RemoteWebhook? {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }

    public func webhooks(named name: String) async throws -> [RemoteWebhook] {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }

    public func createWebhook(_ webhook: NewWebhook) async throws -> String {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }

    public func updateWebhook(id: String, _ patch: WebhookPatch) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }

    public func deleteWebhook(id: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }

    public func checkWebhook(id: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "webhooks")
    }
}
