import Planning
import Providers

/// Webhooks: read by the ids the registry names, created with a pending registry entry (see
/// `RegisteredCreate`), changed with a PATCH of the changed fields, deleted only when registered.
public struct WebhookExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .webhook }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        try await RegisteredObjects.observe(kind, into: &observation, store: \.webhooks, desired: desired, context) {
            try await context.provider.webhook(id: $0)
        }
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await RegisteredObjects.reobserve(changes, into: &observation, store: \.webhooks, context) {
            try await context.provider.webhook(id: $0)
        }
    }

    /// One at a time, in plan order.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        await RegisteredObjects.execute(
            changes, context, noun: "webhook", create: { try await create($0, context) },
            update: { try await update($0, context) },
            adopt: { change in try await RegisteredObjects.adopt(change, context) { try await update($0, context) } },
            delete: { try await delete($0, context) })
    }

    func create(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.webhook else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        let new = NewWebhook(name: want.name, url: want.url, events: want.events)
        return try await RegisteredCreate(address: change.address, context: context, afterCreate: .webhookAfterCreate).run(
            candidates: { try await provider.webhooks(named: want.name).map { ($0.id, $0.createdAt) } },
            create: { try await provider.createWebhook(new) },
            lostAnswer: "the answer to creating the webhook of \(change.address) was lost and no such webhook is visible yet; "
                + "run apply again: it adopts the webhook if \(provider.serviceName) made it, and creates it otherwise",
            adopted: { id in
                guard let found = try await provider.webhook(id: id) else { return }
                let patch = Self.patch(from: found, to: want)
                if !patch.isEmpty { try await provider.updateWebhook(id: id, patch) }
            })
    }

    /// The fields of `have` that differ from `want`.
    static func patch(from have: RemoteWebhook, to want: DesiredWebhook) -> WebhookPatch {
        WebhookPatch(
            name: have.name == want.name ? nil : want.name, url: have.url == want.url ? nil : want.url,
            events: have.events == want.events ? nil : want.events)
    }

    func update(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.webhook else {
            throw ApplyError("no webhook id to update")
        }
        let patch = WebhookPatch(
            name: change.fields.contains(.name) ? want.name : nil, url: change.fields.contains(.url) ? want.url : nil,
            events: change.fields.contains(.events) ? want.events : nil)
        if !patch.isEmpty { try await context.provider.updateWebhook(id: id, patch) }
        return id
    }

    func delete(_ change: ResourceChange, _ context: ApplyContext) async throws {
        // A mark-only delete (no id: the webhook is gone) removes the registry's entry only.
        if let id = change.remoteID {
            do {
                try await context.provider.deleteWebhook(id: id)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.webhookAfterDelete.reach()
        }
        try await context.registry.registry().set(change.address, nil)
    }
}
