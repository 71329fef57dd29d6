import Planning
import Providers

/// Webhooks: read by the ids the registry names, created with a pending registry entry (see
/// `RegisteredCreate`), changed with a PATCH of the changed fields, deleted only when registered.
public struct WebhookExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .webhook }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        for address in entries.addresses(of: .webhook) {
            guard let id = entries.id(address) else { continue }
            if let hook = try await context.provider.webhook(id: id) { observation.webhooks[id] = hook }
        }
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        var ids = Set<String>()
        for change in changes {
            if let id = entries.id(change.address) { ids.insert(id) }
            if let id = change.remoteID { ids.insert(id) }
        }
        for id in ids.sorted() where observation.webhooks[id] == nil {
            if let hook = try await context.provider.webhook(id: id) { observation.webhooks[id] = hook }
        }
    }

    /// One at a time, in plan order.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes {
            outcomes.append(
                await context.outcome(change) {
                    switch change.action {
                    case .create: return try await create(change, context)
                    case .update: return try await update(change, context)
                    case .delete:
                        try await delete(change, context)
                        return nil
                    case .replace, .resume, .import:
                        throw ApplyError("a webhook is never \(change.action.rawValue)ed")
                    }
                })
        }
        return outcomes
    }

    func create(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.webhook else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        let new = NewWebhook(name: want.name, url: want.url, events: want.events)
        return try await RegisteredCreate(address: change.address, context: context).run(
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
        guard let id = change.remoteID else { return }
        do {
            try await context.provider.deleteWebhook(id: id)
        } catch  where error.remoteFailure == .notFound {}
        try await context.registry.registry().set(change.address, nil)
    }
}
