public import Manifest
public import Providers

/// Webhooks, as the sandbox keeps them.
extension InMemoryProvider {
    /// Every webhook, by id.
    public var allWebhooks: [RemoteWebhook] { hooks.values.sorted { $0.id < $1.id } }

    /// Puts a webhook on the account as someone else would (not through streamplan).
    public func addWebhook(name: String, url: String, events: [WebhookEvent]) -> String {
        let id = nextID("w")
        hooks[id] = RemoteWebhook(id: id, name: name, url: url, events: events, createdAt: timestamp())
        return id
    }

    public func webhook(id: String) async throws -> RemoteWebhook? {
        _ = try enter(.getWebhook, id)
        return hooks[id]
    }

    public func webhooks(named name: String) async throws -> [RemoteWebhook] {
        _ = try enter(.listWebhooks, name)
        return allWebhooks.filter { $0.name == name }
    }

    public func createWebhook(_ webhook: NewWebhook) async throws -> String {
        let failure = try enter(.createWebhook, webhook.name)
        let id = nextID("w")
        hooks[id] = RemoteWebhook(
            id: id, name: webhook.name, url: webhook.url, events: webhook.events, createdAt: timestamp())
        return try answer(failure, id, "creating webhook \(webhook.name)")
    }

    public func updateWebhook(id: String, _ patch: WebhookPatch) async throws {
        let failure = try enter(.updateWebhook, id)
        webhookPatches.append(patch)
        guard hooks[id] != nil else { throw Self.notFound("webhook \(id)") }
        if let name = patch.name { hooks[id]!.name = name }
        if let url = patch.url { hooks[id]!.url = url }
        if let events = patch.events { hooks[id]!.events = events.sorted() }
        _ = try answer(failure, (), "updating webhook \(id)")
    }

    public func deleteWebhook(id: String) async throws {
        let failure = try enter(.deleteWebhook, id)
        guard hooks.removeValue(forKey: id) != nil else { throw Self.notFound("webhook \(id)") }
        _ = try answer(failure, (), "deleting webhook \(id)")
    }

    public func checkWebhook(id: String) async throws {
        _ = try enter(.checkWebhook, id)
        guard hooks[id] != nil else { throw Self.notFound("webhook \(id)") }
        checkedWebhooks.append(id)
    }
}
