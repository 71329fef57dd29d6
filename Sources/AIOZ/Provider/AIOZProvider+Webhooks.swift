public import Providers

/// Webhooks behind the provider protocol.
extension AIOZProvider {
    public func webhook(id: String) async throws -> RemoteWebhook? {
        do {
            return Self.remote(try await client.getWebhook(id: id))
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }

    public func allWebhooks() async throws -> [RemoteWebhook] {
        try await client.allWebhooks().map(Self.remote)
    }

    public func webhooks(named name: String) async throws -> [RemoteWebhook] {
        try await client.allWebhooks(WebhookListQuery(search: name)).filter { $0.name == name }.map(Self.remote)
    }

    public func createWebhook(_ webhook: NewWebhook) async throws -> String {
        try await client.createWebhook(WebhookRequest(name: webhook.name, url: webhook.url, events: webhook.events)).id
    }

    public func updateWebhook(id: String, _ patch: WebhookPatch) async throws {
        try await client.updateWebhook(id: id, WebhookRequest(name: patch.name, url: patch.url, events: patch.events))
    }

    public func deleteWebhook(id: String) async throws {
        try await client.deleteWebhook(id: id)
    }

    public func checkWebhook(id: String) async throws {
        try await client.checkWebhook(id: id)
    }

    static func remote(_ hook: Webhook) -> RemoteWebhook {
        RemoteWebhook(
            id: hook.id, name: hook.name, url: hook.url, events: hook.events, createdAt: hook.createdAt,
            lastTriggeredAt: hook.lastTriggeredAt)
    }
}
