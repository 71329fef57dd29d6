import AIOZ
import Apply
import Manifest
import Planning

/// The live part of `apply`: run the live changes, and say which changes were blocked.
enum LiveApply {
    static func run(_ plan: Plan, manifest: Manifest, client: AIOZClient, allowDelete: Bool, forceLive: Bool) async throws
        -> [ApplyOutcome]
    {
        try await run(plan, project: manifest.project, desired: manifest.liveStreams, client: client,
                      allowDelete: allowDelete, forceLive: forceLive)
    }

    /// The same for a saved plan, whose desired live state comes from the file.
    static func run(_ plan: Plan, project: String, desired: [LiveStreamSpec], client: AIOZClient, allowDelete: Bool,
                    forceLive: Bool) async throws -> [ApplyOutcome]
    {
        guard plan.changes.contains(where: { LiveExecutor.isLive($0) && $0.blocked == nil }) else { return [] }
        let registry = try await LiveRegistry.load(project: project, client: client)
        return await LiveExecutor(client: client, registry: registry, allowDelete: allowDelete, forceLive: forceLive)
            .apply(plan, desired: desired)
    }

    static func isLive(_ outcome: ApplyOutcome) -> Bool { outcome.address.hasPrefix("live_stream.") }

    /// Prints the blocked changes to stderr; true when there were any (apply then exits non-zero).
    static func reportBlocked(_ plan: Plan) -> Bool {
        let blocked = plan.blockedChanges
        guard !blocked.isEmpty else { return false }
        Terminal.stderr("error: \(blocked.count) change\(blocked.count == 1 ? " was" : "s were") blocked and not applied:")
        for change in blocked {
            Terminal.stderr("  \(change.address) (\(change.action.rawValue)): \(change.blocked ?? "")")
        }
        return true
    }
}
