import NIOHTTP1

/// Webhooks (`/webhooks`): the same paths in both generations.
extension AIOZClient {
    static func webhookResource(_ id: String) -> String { "webhook \(id)" }

    /// Creates a webhook. Like every create, never retried once it may have reached the server.
    public func createWebhook(_ request: WebhookRequest) async throws -> Webhook {
        try await requestData(
            .POST, "/webhooks", json: request, as: WebhookEnvelope.self,
            context: RequestContext("create webhook \"\(request.name ?? "")\"", idempotent: false)
        ).webhook
    }

    public func listWebhooks(_ query: WebhookListQuery = WebhookListQuery()) async throws -> WebhookPage {
        try Self.checkPage(query, "webhook")
        return try await requestData(
            .GET, "/webhooks", query: query.queryItems, as: WebhookPage.self, context: RequestContext("list webhooks"))
    }

    /// Every webhook matching `query`, 100 at a time until `total` is reached.
    public func allWebhooks(_ query: WebhookListQuery = WebhookListQuery()) async throws -> [Webhook] {
        try await Self.allPages(query) { page in
            let result = try await listWebhooks(page)
            return (result.webhooks, result.total)
        }
    }

    public func getWebhook(id: String) async throws -> Webhook {
        try await requestData(
            .GET, "/webhooks/\(Self.segment(id))", as: WebhookEnvelope.self,
            context: RequestContext("get", Self.webhookResource(id))
        ).webhook
    }

    /// Changes the fields given (the answer is a message, not the webhook).
    public func updateWebhook(id: String, _ request: WebhookRequest) async throws {
        try await requestMessage(
            .PATCH, "/webhooks/\(Self.segment(id))", json: request,
            context: RequestContext("update", Self.webhookResource(id)))
    }

    public func deleteWebhook(id: String) async throws {
        try await requestMessage(
            .DELETE, "/webhooks/\(Self.segment(id))", context: RequestContext("delete", Self.webhookResource(id)))
    }

    /// Asks the service to send a test event to the webhook's URL.
    public func checkWebhook(id: String) async throws {
        try await requestMessage(
            .POST, "/webhooks/check/\(Self.segment(id))",
            context: RequestContext("check", Self.webhookResource(id), idempotent: false))
    }
}
