import Planning
import Providers

/// Streamings under a live stream key: created with a pending registry entry, updated only while
/// they are the key's newest, replaced by delete-then-create, deleted unless broadcasting.
public struct StreamingExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .streaming }

    /// Nothing of its own: keys are read with their streamings.
    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {}

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await LiveKeyExecutor.reobserveKeys(changes, into: &observation, context)
    }

    /// One at a time: deletes first, then imports and the update of the newest, then replaces and creates.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for action in [ChangeAction.delete, .import, .update, .replace, .create] {
            for change in changes where change.action == action {
                outcomes.append(
                    await context.outcome(change) {
                        let keyID = try await context.parentID(of: change)
                        switch action {
                        case .delete:
                            try await delete(change, keyID: keyID, context)
                            return nil
                        case .update:
                            return try await update(change, keyID: keyID, context)
                        case .import:
                            return try await adopt(change, keyID: keyID, context)
                        case .replace:
                            try await delete(change, keyID: keyID, context)
                            return try await create(change, keyID: keyID, context)
                        default:
                            return try await create(change, keyID: keyID, context)
                        }
                    })
            }
        }
        return outcomes
    }

    func create(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.streaming else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        return try await RegisteredCreate(address: change.address, context: context).run(
            candidates: {
                try await provider.streamings(keyID: keyID).filter { $0.title == want.title }.map { ($0.id, $0.createdAt) }
            },
            create: {
                try await provider.createStreaming(
                    keyID: keyID,
                    NewStreaming(
                        title: want.title, save: want.save,
                        qualities: want.qualities))
            },
            lostAnswer: "the answer to creating \(change.address) was lost and no such streaming is visible yet; run apply again",
            // A replace's old streaming (deleted first) is never taken for the new one.
            known: change.action == .replace ? Set([change.remoteID].compactMap { $0 }) : [])
    }

    /// The service's update names no streaming and changes the newest one, so the update goes ahead
    /// only while the planned streaming is still the newest.
    func update(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.streaming else {
            throw ApplyError("no streaming id to update")
        }
        guard try await context.provider.streamings(keyID: keyID).last?.id == id else {
            throw ApplyError(
                "another streaming is now the key's newest, and \(context.provider.serviceName) updates only the newest; "
                    + "not updated (plan again: it will be a replace)")
        }
        try await context.provider.updateNewestStreaming(keyID: keyID, title: want.title, save: want.save)
        return id
    }

    /// Records the imported streaming in the registry, after updating its title and save flag when
    /// the plan says they differ (only ever for the key's newest: the planner blocks the others).
    func adopt(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID else { throw ApplyError("no streaming id to import") }
        if !change.fields.isEmpty { _ = try await update(change, keyID: keyID, context) }
        try await context.registry.registry().set(change.address, id)
        return id
    }

    func delete(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws {
        guard let id = change.remoteID else { return }
        let current = try await context.provider.streamings(keyID: keyID)
        if !context.options.forceLive, let now = current.first(where: { $0.id == id }), now.isBroadcasting {
            throw ApplyError("the streaming is broadcasting now; not deleted (use --force-live to do it anyway)")
        }
        do {
            try await context.provider.deleteStreaming(keyID: keyID, id: id)
        } catch  where error.remoteFailure == .notFound {}
        // An untracked streaming was never in the registry; the managed one of its address stays there.
        guard !change.untracked else { return }
        try await (try context.registry.registry()).set(change.address, nil)
    }
}
