import Planning
import Providers

/// What the executors of top-level kinds owned through the registry (player themes, webhooks) share:
/// reading exactly the ids the registry names, and applying changes one at a time in plan order.
/// Each kind keeps its own create (through `RegisteredCreate`), update and delete.
enum RegisteredObjects {
    /// Reads every object of `kind` the registry names (never one it does not) into `store`.
    /// Objects of `kind` that `import:` blocks name are read by their ids (they are in no registry
    /// yet); an id that is not one is probed for the kind it is (`ImportProbe`).
    static func observe<Object>(
        _ kind: ResourceKind, into observation: inout Observation, store: WritableKeyPath<Observation, [String: Object]>,
        desired: DesiredState, _ context: ApplyContext, get: (String) async throws -> Object?
    ) async throws {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        for address in entries.addresses(of: kind) {
            guard let id = entries.id(address) else { continue }
            if let object = try await get(id) { observation[keyPath: store][id] = object }
        }
        for (address, id) in desired.imports.sorted(by: { $0.key < $1.key })
        where address.kind == kind && observation[keyPath: store][id] == nil {
            if let object = try await get(id) {
                observation[keyPath: store][id] = object
            } else {
                await ImportProbe.record(id, expected: kind, into: &observation, context)
            }
        }
    }

    /// Reads only the objects `changes` touch (by registry entry or planned id), for a saved plan.
    static func reobserve<Object>(
        _ changes: [ResourceChange], into observation: inout Observation, store: WritableKeyPath<Observation, [String: Object]>,
        _ context: ApplyContext, get: (String) async throws -> Object?
    ) async throws {
        let entries = await (try context.registry.registry()).entries
        observation.registry = entries
        var ids = Set<String>()
        for change in changes {
            if let id = entries.id(change.address) { ids.insert(id) }
            if let id = change.remoteID { ids.insert(id) }
        }
        for id in ids.sorted() where observation[keyPath: store][id] == nil {
            if let object = try await get(id) { observation[keyPath: store][id] = object }
        }
    }

    /// Creates, updates, imports (`adopt`) and deletes one at a time, in plan order; any other
    /// action is refused with a sentence naming `noun`.
    static func execute(
        _ changes: [ResourceChange], _ context: ApplyContext, noun: String,
        create: (ResourceChange) async throws -> String, update: (ResourceChange) async throws -> String,
        adopt: (ResourceChange) async throws -> String, delete: (ResourceChange) async throws -> Void
    ) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes {
            outcomes.append(
                await context.outcome(change) {
                    switch change.action {
                    case .create: return try await create(change)
                    case .update: return try await update(change)
                    case .delete:
                        try await delete(change)
                        return nil
                    case .import: return try await adopt(change)
                    case .replace, .resume, .move, .protect, .unprotect:
                        throw ApplyError("a \(noun) is never \(change.action.rawValue)ed by streamplan")
                    }
                })
        }
        return outcomes
    }
}

extension RegisteredObjects {
    /// An import of a registry kind: the fields that differ are written first (`update`), then the
    /// registry records the id. A crash in between leaves the object unrecorded: the next plan shows
    /// the same import, with nothing left to change.
    static func adopt(_ change: ResourceChange, _ context: ApplyContext, update: (ResourceChange) async throws -> String)
        async throws -> String
    {
        guard let id = change.remoteID else { throw ApplyError("\(change.address): no id to import") }
        if !change.fields.isEmpty { _ = try await update(change) }
        try await context.registry.registry().set(change.address, id)
        return id
    }
}
