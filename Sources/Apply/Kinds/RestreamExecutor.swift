import Planning
import Providers

/// Restream destinations of live stream keys. The service names a destination by its URL only, adds
/// destinations, and removes them all at once; so the registry records each address's URL hash, a
/// create adds one URL (or only records it when the key has it already: after a lost answer or an
/// interrupted apply), and a delete removes every destination and adds back all the others (the
/// managed ones and those streamplan never made), refusing while the key broadcasts unless
/// `--force-live`. URLs are never logged or returned: outcomes carry the hash.
public struct RestreamExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .restream }

    /// The destinations of the registered keys that have destinations wanted or recorded (others are
    /// not read: a project without `restream:` makes no extra request).
    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        let registry = observation.registry
        var keys = Set(desired.restreams.compactMap(\.address.parent))
        keys.formUnion(registry.addresses(of: .restream).compactMap(\.parent))
        for key in keys.sorted() {
            guard let id = registry.id(key), observation.liveKeys[id] != nil else { continue }
            try await Self.read(id, into: &observation, context)
        }
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await LiveKeyExecutor.reobserveKeys(changes, into: &observation, context)
        let registry = observation.registry
        var ids = Set<String>()
        for change in changes {
            if let id = change.parentID ?? change.address.parent.flatMap({ registry.id($0) }) { ids.insert(id) }
        }
        for id in ids.sorted() where observation.liveKeys[id] != nil {
            try await Self.read(id, into: &observation, context)
        }
    }

    static func read(_ keyID: String, into observation: inout Observation, _ context: ApplyContext) async throws {
        guard let urls = try await context.provider.restreamURLs(keyID: keyID) else { return }
        observation.liveKeys[keyID]?.restreams = urls.map(ObservedRestream.init(url:))
    }

    /// One at a time: deletes, then replaces, then creates.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for action in [ChangeAction.delete, .replace, .create] {
            for change in changes where change.action == action {
                outcomes.append(
                    await context.outcome(change) {
                        if change.action == .delete && change.remoteID == nil {
                            // A mark-only delete: the destination is gone; the entry goes too.
                            try await context.registry.registry().set(change.address, nil)
                            return nil
                        }
                        let keyID = try await context.parentID(of: change)
                        switch action {
                        case .delete:
                            try await remove(change.remoteID!, keyID: keyID, context)
                            try await context.registry.registry().set(change.address, nil)
                            return nil
                        case .replace:
                            let hash = try await add(change, keyID: keyID, context)
                            try await remove(change.remoteID!, keyID: keyID, context)
                            try await context.registry.registry().set(change.address, hash)
                            return hash
                        default:
                            let hash = try await add(change, keyID: keyID, context)
                            try await context.registry.registry().set(change.address, hash)
                            return hash
                        }
                    })
            }
        }
        return outcomes
    }

    /// Adds the wanted URL unless the key has it already; returns its hash once the key has it.
    func add(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.restream else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        guard let current = try await provider.restreamURLs(keyID: keyID) else {
            throw ApplyError("its live stream key \(keyID) no longer exists")
        }
        if current.contains(want.url) { return want.urlHash }
        var after: [String]
        do {
            after = try await provider.addRestreamURLs(keyID: keyID, [want.url])
        } catch  where error.remoteFailure == .outcomeUnknown {
            // The URL is the destination's identity: look before failing.
            if try await provider.restreamURLs(keyID: keyID)?.contains(want.url) == true { return want.urlHash }
            throw ApplyError(
                "the answer to adding the destination of \(change.address) was lost and the key does not show it; "
                    + "run apply again")
        }
        // The document names the call "Add" but its body "Upsert…": were the service to replace the
        // list with what was sent, the other destinations would be gone; send them all back at once.
        if current.contains(where: { !after.contains($0) }) {
            after = try await provider.addRestreamURLs(keyID: keyID, current + [want.url])
        }
        guard after.contains(want.url) else {
            throw ApplyError("\(provider.serviceName) answered, but the key's destinations do not include \(want.maskedURL)")
        }
        return want.urlHash
    }

    /// Removes the destination whose URL hash is `hash`: every destination is removed (the API
    /// cannot remove one), then all the others are added back.
    func remove(_ hash: String, keyID: String, _ context: ApplyContext) async throws {
        let provider = context.provider
        if !context.options.forceLive, try await provider.streamings(keyID: keyID).contains(where: \.isBroadcasting) {
            throw ApplyError(
                "the key is broadcasting now, and removing a destination interrupts the others; not removed "
                    + "(use --force-live to do it anyway)")
        }
        guard let current = try await provider.restreamURLs(keyID: keyID) else { return }
        guard current.contains(where: { DesiredRestream.urlHash($0) == hash }) else { return }
        let others = current.filter { DesiredRestream.urlHash($0) != hash }
        do {
            try await provider.removeAllRestreamURLs(keyID: keyID)
        } catch  where error.remoteFailure == .notFound {}
        if !others.isEmpty { _ = try await provider.addRestreamURLs(keyID: keyID, others) }
    }
}
