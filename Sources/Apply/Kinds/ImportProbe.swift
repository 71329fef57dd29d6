import Planning
import Providers

/// For an `import:` block whose id is not an object of its address's kind: which kind it is, so the
/// plan can say "id … is a video, not a player theme" instead of only "not found".
///
/// Asked only for ids that were not found (a handful of reads per wrong block, none otherwise). A
/// read the service refuses (an unknown id's format, a kind it does not have) counts as "not this
/// kind": the answer is a hint in a sentence, never a decision.
enum ImportProbe {
    static func record(_ id: String, expected: ResourceKind, into observation: inout Observation, _ context: ApplyContext)
        async
    {
        if let kind = await kind(of: id, except: expected, context) { observation.importedElsewhere[id] = kind }
    }

    static func kind(of id: String, except expected: ResourceKind, _ context: ApplyContext) async -> ResourceKind? {
        let provider = context.provider
        let probes: [(ResourceKind, () async throws -> Bool)] = [
            (.video, { try await provider.video(id: id) != nil }),
            (.liveStream, { try await provider.liveKey(id: id) != nil }),
            (.player, { try await provider.player(id: id) != nil }),
            (.webhook, { try await provider.webhook(id: id) != nil }),
            (
                .playlist,
                {
                    guard let playlists = provider as? any PlaylistProvider else { return false }
                    return try await playlists.playlist(id: id) != nil
                }
            ),
        ]
        for (kind, found) in probes where kind != expected {
            if (try? await found()) == true { return kind }
        }
        return nil
    }
}
