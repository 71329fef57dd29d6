import AIOZ
import Foundation
import Manifest
import Planning

/// Executes the live part of a plan: keys, then streamings, then key deletes, one at a time.
///
/// Every id is written to the registry right after its create succeeds; a `pending:` mark written
/// before the create lets the next apply adopt a key or streaming whose answer was lost (by name or
/// title, created since the mark, claimed by no registry entry) instead of making a second one.
public struct LiveExecutor: Sendable {
    public let client: AIOZClient
    public let registry: LiveRegistry
    public let allowDelete: Bool
    public let forceLive: Bool
    /// How far before a pending mark a create may appear to have happened (clock skew).
    public var adoptionSlack: TimeInterval = 300

    public init(client: AIOZClient, registry: LiveRegistry, allowDelete: Bool, forceLive: Bool) {
        self.client = client
        self.registry = registry
        self.allowDelete = allowDelete
        self.forceLive = forceLive
    }

    /// The live changes apply performs: not blocked, and destructive ones only with --allow-delete.
    public static func isLive(_ change: ResourceChange) -> Bool { change.kind != .video }

    public func apply(_ plan: Plan, desired: [LiveStreamSpec]) async -> [ApplyOutcome] {
        let live = plan.changes.filter { Self.isLive($0) && $0.blocked == nil }
        guard !live.isEmpty else { return [] }
        let keys = Dictionary(desired.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var streamings: [String: StreamingSpec] = [:]
        for key in desired { for s in key.streamings { streamings[s.address] = s } }
        var outcomes: [ApplyOutcome] = []
        var keyIDs: [String: String] = [:]
        var failedKeys = Set<String>()

        func run(_ change: ResourceChange, _ body: () async throws -> String?) async {
            do {
                let id = try await body()
                outcomes.append(ApplyOutcome(address: change.address, action: change.action, videoID: id))
            } catch {
                outcomes.append(ApplyOutcome(address: change.address, action: change.action, videoID: change.remoteID,
                                             error: "\(error)"))
            }
        }

        // 1. Keys: creates and in-place updates.
        for change in live where change.kind == .liveStream && (change.action == .create || change.action == .update) {
            guard let spec = keys[change.address] else { continue }
            await run(change) {
                let id: String
                if change.action == .create { id = try await createKey(spec) } else { id = try await updateKey(change, spec) }
                keyIDs[change.address] = id
                return id
            }
            if outcomes.last?.succeeded == false { failedKeys.insert(change.address) }
        }
        // 2. Streamings: deletes first, then the update of the newest, then replaces and creates.
        let order: [ChangeAction] = [.delete, .update, .replace, .create]
        for action in order {
            for change in live where change.kind == .streaming && change.action == action {
                let keyAddress = Self.keyAddress(of: change.address)
                await run(change) {
                    if failedKeys.contains(keyAddress) { throw ApplyError("its live stream key \(keyAddress) was not created") }
                    guard let keyID = change.parentID ?? keyIDs[keyAddress] else {
                        throw ApplyError("no live stream key for \(keyAddress)")
                    }
                    switch action {
                    case .delete:
                        try await deleteStreaming(change, keyID: keyID)
                        return nil
                    case .update:
                        guard let spec = streamings[change.address] else { throw ApplyError("not in the manifests") }
                        return try await updateStreaming(change, spec, keyID: keyID)
                    case .replace:
                        guard let spec = streamings[change.address] else { throw ApplyError("not in the manifests") }
                        try await deleteStreaming(change, keyID: keyID)
                        return try await createStreaming(spec, keyID: keyID)
                    default:
                        guard let spec = streamings[change.address] else { throw ApplyError("not in the manifests") }
                        return try await createStreaming(spec, keyID: keyID)
                    }
                }
            }
        }
        // 3. Key deletes, last.
        for change in live where change.kind == .liveStream && change.action == .delete {
            await run(change) {
                try await deleteKey(change)
                return nil
            }
        }
        return outcomes
    }

    public static func keyAddress(of streamingAddress: String) -> String {
        guard let range = streamingAddress.range(of: ".streaming.") else { return streamingAddress }
        return String(streamingAddress[..<range.lowerBound])
    }

    // MARK: Keys

    func createKey(_ spec: LiveStreamSpec) async throws -> String {
        let address = spec.address
        if let since = await registry.entries.pendingSince(address), let found = try await orphanKey(named: spec.displayName, since: since) {
            try await registry.set(address, found.id)
            if found.name != spec.displayName || found.save != spec.save {
                _ = try await client.updateLiveStreamKey(id: found.id, LiveStreamKeyUpdateRequest(name: spec.displayName, save: spec.save))
            }
            return found.id
        }
        let started = Date()
        try await registry.markPending(address, at: started)
        let key: LiveStreamKey
        do {
            key = try await client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: spec.displayName, save: spec.save))
        } catch let error as AIOZError where error.code == .outcomeUnknown {
            if let found = try await orphanKey(named: spec.displayName, since: Int(started.timeIntervalSince1970)) {
                try await registry.set(address, found.id)
                return found.id
            }
            throw ApplyError("the answer to creating the key of \(address) was lost and no such key is visible yet; "
                + "run apply again: it adopts the key if AIOZ Stream made it, and creates it otherwise")
        }
        try await registry.set(address, key.id)
        return key.id
    }

    /// A key named `name`, created since `since` (less the slack), that no registry entry claims.
    func orphanKey(named name: String, since: Int) async throws -> LiveStreamKey? {
        let claimed = await registry.entries.claimedIDs
        let earliest = Date(timeIntervalSince1970: TimeInterval(since) - adoptionSlack)
        let candidates = try await client.allLiveStreamKeys(LiveStreamKeyListQuery(search: name)).filter { key in
            key.name == name && !claimed.contains(key.id)
                && (key.createdAt.flatMap(Timestamps.date).map { $0 >= earliest } ?? false)
        }
        // Two candidates cannot be told apart: adopt neither.
        return candidates.count == 1 ? candidates[0] : nil
    }

    func updateKey(_ change: ResourceChange, _ spec: LiveStreamSpec) async throws -> String {
        guard let id = change.remoteID else { throw ApplyError("no key id to update") }
        let names = Set(change.attributes.map(\.name))
        _ = try await client.updateLiveStreamKey(id: id, LiveStreamKeyUpdateRequest(
            name: names.contains("name") ? spec.displayName : nil, save: names.contains("save") ? spec.save : nil))
        return id
    }

    func deleteKey(_ change: ResourceChange) async throws {
        guard allowDelete else { throw ApplyError("deleting a live stream key needs --allow-delete") }
        guard let id = change.remoteID else { return }
        // Broadcasting may have started since the plan: look again.
        if !forceLive, let key = try await LiveObserver.observeKey(id: id, client: client), key.isBroadcasting {
            throw ApplyError("the key is broadcasting now; not deleted (use --force-live to delete it anyway)")
        }
        do {
            try await client.deleteLiveStreamKey(id: id)
        } catch let error as AIOZError where error.code == .notFound {}
        let entries = await registry.entries
        for streaming in entries.streamingAddresses(of: change.address) { try await registry.set(streaming, nil) }
        try await registry.set(change.address, nil)
    }

    // MARK: Streamings

    func createStreaming(_ spec: StreamingSpec, keyID: String) async throws -> String {
        let address = spec.address
        if let since = await registry.entries.pendingSince(address),
            let found = try await orphanStreaming(titled: spec.title, keyID: keyID, since: since)
        {
            try await registry.set(address, found.id)
            return found.id
        }
        let started = Date()
        try await registry.markPending(address, at: started)
        let streaming: Streaming
        do {
            streaming = try await client.createStreaming(
                liveStreamKeyID: keyID, StreamingCreateRequest(title: spec.title, save: spec.save,
                                                         qualities: spec.qualities.isEmpty ? nil : spec.qualities))
        } catch let error as AIOZError where error.code == .outcomeUnknown {
            if let found = try await orphanStreaming(titled: spec.title, keyID: keyID, since: Int(started.timeIntervalSince1970)) {
                try await registry.set(address, found.id)
                return found.id
            }
            throw ApplyError("the answer to creating \(address) was lost and no such streaming is visible yet; run apply again")
        }
        try await registry.set(address, streaming.id)
        return streaming.id
    }

    func orphanStreaming(titled title: String, keyID: String, since: Int) async throws -> ObservedStreaming? {
        let claimed = await registry.entries.claimedIDs
        let earliest = Date(timeIntervalSince1970: TimeInterval(since) - adoptionSlack)
        let candidates = try await LiveObserver.streamings(keyID: keyID, client: client).filter { s in
            s.title == title && !claimed.contains(s.id) && (s.createdAt.flatMap(Timestamps.date).map { $0 >= earliest } ?? false)
        }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// `PUT /live_streams/{id}/streamings` names no streaming and changes the newest one (inferred), so
    /// the update goes ahead only when the planned streaming is still the newest.
    func updateStreaming(_ change: ResourceChange, _ spec: StreamingSpec, keyID: String) async throws -> String {
        guard let id = change.remoteID else { throw ApplyError("no streaming id to update") }
        let current = try await LiveObserver.streamings(keyID: keyID, client: client)
        guard current.last?.id == id else {
            throw ApplyError("another streaming is now the key's newest, and AIOZ Stream updates only the newest; "
                + "not updated (plan again: it will be a replace)")
        }
        try await client.updateStreaming(liveStreamKeyID: keyID, StreamingUpdateRequest(title: spec.title, save: spec.save))
        return id
    }

    func deleteStreaming(_ change: ResourceChange, keyID: String) async throws {
        guard allowDelete else { throw ApplyError("deleting or replacing a streaming needs --allow-delete") }
        guard let id = change.remoteID else { return }
        let current = try await LiveObserver.streamings(keyID: keyID, client: client)
        if !forceLive, let now = current.first(where: { $0.id == id }), now.isBroadcasting {
            throw ApplyError("the streaming is broadcasting now; not deleted (use --force-live to do it anyway)")
        }
        do {
            try await client.deleteStreaming(liveStreamKeyID: keyID, streamingID: id)
        } catch let error as AIOZError where error.code == .notFound {}
        try await registry.set(change.address, nil)
    }
}
