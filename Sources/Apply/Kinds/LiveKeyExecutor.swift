import Planning
import Providers

/// Live stream keys: read by the ids the registry names, created with a pending registry entry
/// (see `RegisteredCreate`) with their type, renamed in place, given (or relieved of) their thumbnail
/// (LiveKeyExecutor+Thumbnail.swift), deleted with their streamings.
public struct LiveKeyExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .liveStream }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        for address in entries.addresses(of: .liveStream) {
            guard let id = entries.id(address) else { continue }
            if let key = try await Self.read(id, context) { observation.liveKeys[id] = key }
        }
        // Keys to import: read by their ids.
        for (address, id) in desired.imports.sorted(by: { $0.key < $1.key })
        where address.kind == .liveStream && observation.liveKeys[id] == nil {
            if let key = try await Self.read(id, context) {
                observation.liveKeys[id] = key
            } else {
                await ImportProbe.record(id, expected: .liveStream, into: &observation, context)
            }
        }
        // Keys named like a desired key that the registry does not claim: left by an interrupted or
        // concurrent apply, or made by hand. The planner decides which to show (LiveKeyPlanner).
        let claimed = entries.claimedIDs
        for name in Set(desired.liveKeys.map(\.name)).sorted() {
            for key in try await context.provider.liveKeys(named: name) where !claimed.contains(key.id) {
                observation.liveKeys[key.id] = ObservedLiveKey(
                    key, streamings: try await context.provider.streamings(keyID: key.id))
            }
        }
    }

    /// The registry, and the keys the changes name (by registry or id), with their streamings.
    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await Self.reobserveKeys(changes, into: &observation, context)
    }

    static func reobserveKeys(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext)
        async throws
    {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        var ids = Set<String>()
        for change in changes {
            if let id = entries.id(change.address.root) { ids.insert(id) }
            if change.kind == .liveStream, let id = change.remoteID { ids.insert(id) }
            if change.kind.parent == .liveStream, let id = change.parentID { ids.insert(id) }
        }
        for id in ids.sorted() where observation.liveKeys[id] == nil {
            if let key = try await read(id, context) { observation.liveKeys[id] = key }
        }
    }

    /// The key and its streamings, or nil when the key no longer exists.
    static func read(_ id: String, _ context: ApplyContext) async throws -> ObservedLiveKey? {
        guard let key = try await context.provider.liveKey(id: id) else { return nil }
        return ObservedLiveKey(key, streamings: try await context.provider.streamings(keyID: id))
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
                    case .import: return try await adopt(change, context)
                    case .delete:
                        try await delete(change, context)
                        return nil
                    case .replace, .resume: throw ApplyError("a live stream key is never \(change.action.pastTense)")
                    case .move, .protect, .unprotect:
                        throw ApplyError("\(change.action.rawValue) is not a live stream key's change")
                    }
                })
        }
        return outcomes
    }

    func create(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.liveKey else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        let id = try await RegisteredCreate(address: change.address, context: context, afterCreate: .keyAfterCreate).run(
            candidates: { try await provider.liveKeys(named: want.name).map { ($0.id, $0.createdAt) } },
            create: { try await provider.createLiveKey(NewLiveKey(name: want.name, save: want.save, type: want.type)) },
            lostAnswer: "the answer to creating the key of \(change.address) was lost and no such key is visible yet; "
                + "run apply again: it adopts the key if \(provider.serviceName) made it, and creates it otherwise",
            adopted: { id in
                if let found = try await provider.liveKey(id: id), found.name != want.name || found.save != want.save {
                    try await provider.updateLiveKey(id: id, NewLiveKey(name: want.name, save: want.save))
                }
            })
        try await thumbnailAfterCreate(change, keyID: id, context)
        return id
    }

    /// Records the imported key in the registry (after making it match the manifests).
    func adopt(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.liveKey else { throw ApplyError("no key id to import") }
        if !change.fields.subtracting([.thumbnail]).isEmpty {
            try await context.provider.updateLiveKey(id: id, NewLiveKey(name: want.name, save: want.save))
        }
        try await context.registry.registry().set(change.address, id)
        try await applyThumbnail(change, keyID: id, context)
        return id
    }

    func update(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.liveKey else { throw ApplyError("no key id to update") }
        // The whole updatable object, not only what changed: were the API to replace the object on PUT,
        // a field left out would be reset (docs/aioz-api.md).
        if !change.fields.subtracting([.thumbnail]).isEmpty {
            try await context.provider.updateLiveKey(id: id, NewLiveKey(name: want.name, save: want.save))
        }
        try await applyThumbnail(change, keyID: id, context)
        return id
    }

    func delete(_ change: ResourceChange, _ context: ApplyContext) async throws {
        // A mark-only delete (no id: the key is gone) removes the registry's entries only.
        if let id = change.remoteID {
            // Broadcasting may have started since the plan: look again.
            if !context.options.forceLive, let key = try await Self.read(id, context), key.isBroadcasting {
                throw ApplyError("the key is broadcasting now; not deleted (use --force-live to delete it anyway)")
            }
            do {
                try await context.provider.deleteLiveKey(id: id)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.keyAfterDelete.reach()
        }
        // An untracked key was never in the registry; the managed key of its address stays there.
        guard !change.untracked else { return }
        let registry = try await context.registry.registry()
        // Its streamings and restream destinations went with it.
        let entries = await registry.entries
        for child in entries.addresses(of: .streaming, under: change.address)
            + entries.addresses(of: .restream, under: change.address)
        {
            try await registry.set(child, nil)
        }
        try await registry.set(DesiredLiveKey.thumbnailEntry(change.address), nil)
        try await registry.set(change.address, nil)
    }
}
