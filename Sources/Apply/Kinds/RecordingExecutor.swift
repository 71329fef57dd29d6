import Planning
import Providers

/// Saved recordings of live stream keys: media the service made, read per key through the key's
/// recordings list (only keys the registry claims, or that the manifests import), and updated with
/// the same `PATCH` as a video's fields, then the player theme. Never created or deleted.
///
/// Both writes are idempotent: after an interrupted apply the next plan compares again and writes
/// only what still differs (`CrashPoint.recordingAfterPatch` lies between them).
public struct RecordingExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .recording }

    /// The recordings of the keys the manifests manage recordings of (a project without
    /// `recordings:` or `recording_defaults:` makes no extra request).
    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        let keys = Set(desired.recordings.compactMap(\.address.parent)).union(desired.recordingDefaults.keys)
        for key in keys.sorted() {
            guard let id = observation.registry.id(key) ?? desired.imports[key], observation.liveKeys[id] != nil else {
                continue
            }
            observation.liveKeys[id]?.recordings = try await context.provider.savedRecordings(keyID: id)
        }
    }

    /// The keys the changes name, with their recordings.
    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await LiveKeyExecutor.reobserveKeys(changes, into: &observation, context)
        let ids = Set(changes.compactMap(\.parentID))
        for id in ids.sorted() where observation.liveKeys[id] != nil {
            observation.liveKeys[id]?.recordings = try await context.provider.savedRecordings(keyID: id)
        }
    }

    /// One at a time, in plan order.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes {
            outcomes.append(await context.outcome(change) { try await execute(change, context) })
        }
        return outcomes
    }

    private func execute(_ change: ResourceChange, _ context: ApplyContext) async throws -> String? {
        guard change.action == .update else {
            throw ApplyError("a recording is made by \(context.provider.serviceName); streamplan only updates one")
        }
        guard let want = change.desired?.recording, let id = change.remoteID else {
            throw ApplyError("\(change.address): no recording to update")
        }
        var patch = VideoPatch()
        if change.fields.contains(.title) { patch.title = want.title }
        if change.fields.contains(.description) { patch.description = want.description }
        if change.fields.contains(.isPublic) { patch.isPublic = want.isPublic }
        if change.fields.contains(.tags) { patch.tags = want.tags }
        if !patch.isEmpty { try await context.provider.updateVideo(id: id, patch) }
        await CrashPoint.recordingAfterPatch.reach()
        if change.fields.contains(.player), let player = want.player {
            let playerID = try await VideoExecutor.playerID(player, context)
            try await context.provider.addPlayer(playerID: playerID, videoID: id)
        }
        return id
    }
}
