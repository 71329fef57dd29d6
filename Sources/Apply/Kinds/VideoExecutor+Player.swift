import Planning
import Providers

/// A video's player theme (`player:`), set after the video's own changes.
extension VideoExecutor {
    /// Gives a new video (create, replace) its player; on an update or resume whose `player` field
    /// changed, sets the manifests' player or removes the one streamplan assigned.
    func assignPlayer(_ videoID: String, want: DesiredVideo, change: ResourceChange, _ context: ApplyContext) async throws {
        let isNew = change.action == .create || change.action == .replace
        guard isNew || change.fields.contains(.player) else { return }
        if let player = want.player {
            let playerID = try await Self.playerID(player, context)
            try await context.provider.addPlayer(playerID: playerID, videoID: videoID)
            return
        }
        guard !isNew, let current = try await context.provider.video(id: videoID)?.playerID, !current.isEmpty else { return }
        try await context.provider.removePlayer(playerID: current, videoID: videoID)
    }

    /// The id of player theme `address`: created earlier in this apply, or registered.
    static func playerID(_ address: Address, _ context: ApplyContext) async throws -> String {
        if await context.results.hasFailed(address) {
            throw ApplyError("its player theme \(address) was not created or updated")
        }
        if let id = await context.results.id(of: address) { return id }
        if let id = await (try context.registry.registry()).entries.id(address) { return id }
        // With --shard, shard 1 makes player themes while the other shards upload their videos.
        if let id = try await CrossShard.playerID(address, context) { return id }
        let why = CrossShard.waited(
            context,
            else:
                "; with --shard, player themes are shard 1's: apply it first, or let apply --shard wait for it with --shard-wait")
        throw ApplyError("no player theme for \(address) (it is not in the project's registry\(why))")
    }
}
