import Planning
import Providers

/// Streamings under a live stream key: created with a pending registry entry, updated in place
/// (named by id; qualities only while live), replaced create-first (the old one deleted only once the new one is
/// proven another streaming under the key: issue 26), deleted unless broadcasting.
public struct StreamingExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .streaming }

    /// Nothing of its own: keys are read with their streamings.
    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {}

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await LiveKeyExecutor.reobserveKeys(changes, into: &observation, context)
    }

    /// One at a time: deletes first, then imports and updates, then replaces and creates.
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
                            return try await replace(change, keyID: keyID, context)
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
        return try await RegisteredCreate(address: change.address, context: context, afterCreate: .streamingAfterCreate).run(
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
            lostAnswer: "the answer to creating \(change.address) was lost and no such streaming is visible yet; run apply again")
    }

    /// Creates the replacement first; the old streaming is deleted only once the new one is proven
    /// another streaming under the key (`ReplaceGuard`), and the registry names the old one until
    /// then. A lost create is resolved only to a streaming that was not under the key just before
    /// it (`RegisteredCreate.replacing`), never to the old one. After a crash between the create and
    /// the registry's update, the next plan sees the new streaming as unclaimed (an untracked delete)
    /// and the old one still registered (replaced again): nothing is lost or left unaccounted for.
    func replace(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let old = change.remoteID, let want = change.desired?.streaming else {
            throw ApplyError("no streaming id to replace")
        }
        let provider = context.provider
        // A broadcasting streaming is refused before anything is made.
        try await refuseIfBroadcasting(old, keyID: keyID, context, "not replaced")
        let id = try await RegisteredCreate(address: change.address, context: context).replacing(
            old,
            candidates: {
                try await provider.streamings(keyID: keyID).filter { $0.title == want.title }.map { ($0.id, $0.createdAt) }
            },
            create: {
                try await provider.createStreaming(
                    keyID: keyID, NewStreaming(title: want.title, save: want.save, qualities: want.qualities))
            },
            lostAnswer: "the answer to creating the replacement of \(change.address) was lost and no new streaming is "
                + "visible yet; the old one (\(old)) was not deleted; run apply again")
        await CrashPoint.streamingReplaceBeforeDelete.reach()
        try await ReplaceGuard.check(address: change.address, old: old, new: id) {
            try await provider.streamings(keyID: keyID).contains { $0.id == id }
        }
        try await refuseIfBroadcasting(old, keyID: keyID, context)
        do {
            try await provider.deleteStreaming(keyID: keyID, id: old)
        } catch  where error.remoteFailure == .notFound {}
        await CrashPoint.streamingReplaceAfterDelete.reach()
        try await (try context.registry.registry()).set(change.address, id)
        return id
    }

    private func refuseIfBroadcasting(_ id: String, keyID: String, _ context: ApplyContext, _ outcome: String = "not deleted")
        async throws
    {
        guard !context.options.forceLive else { return }
        if let now = try await context.provider.streamings(keyID: keyID).first(where: { $0.id == id }), now.isBroadcasting {
            throw ApplyError("the streaming is broadcasting now; \(outcome) (use --force-live to do it anyway)")
        }
    }

    /// Updates the streaming in place, named by its id. Its qualities are sent only when the plan
    /// changes them, which it does only for a live streaming: the service changes them only then, so
    /// a streaming that stopped broadcasting since the plan is refused with what to do.
    func update(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.streaming else {
            throw ApplyError("no streaming id to update")
        }
        var update = StreamingUpdate(title: want.title, save: want.save)
        if change.fields.contains(.qualities) {
            let now = try await context.provider.streamings(keyID: keyID).first { $0.id == id }
            guard let now, now.isBroadcasting else {
                throw ApplyError(
                    "the streaming is no longer live streaming, and \(context.provider.serviceName) changes a streaming's "
                        + "qualities in place only while it is; not updated (plan again: it will be a replace)")
            }
            update.qualities = want.qualities
        }
        try await context.provider.updateStreaming(keyID: keyID, id: id, update)
        await CrashPoint.streamingAfterUpdate.reach()
        return id
    }

    /// Records the imported streaming in the registry, after updating its title and save flag in
    /// place when the plan says they differ.
    func adopt(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID else { throw ApplyError("no streaming id to import") }
        if !change.fields.isEmpty { _ = try await update(change, keyID: keyID, context) }
        try await context.registry.registry().set(change.address, id)
        return id
    }

    func delete(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws {
        // A mark-only delete (no id: the streaming is gone) removes the registry's entry only.
        if let id = change.remoteID {
            try await refuseIfBroadcasting(id, keyID: keyID, context)
            do {
                try await context.provider.deleteStreaming(keyID: keyID, id: id)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.streamingAfterDelete.reach()
        }
        // An untracked streaming was never in the registry; the managed one of its address stays there.
        guard !change.untracked else { return }
        try await (try context.registry.registry()).set(change.address, nil)
    }
}
