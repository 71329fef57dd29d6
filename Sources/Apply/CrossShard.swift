import Foundation
import Manifest
import Planning
import Providers

/// With `--shard I/N`, what one shard's change needs may be another shard's to make: a video's
/// player theme (shard 1 owns player themes) or a playlist's video (owned by the shard its address
/// hashes to). The N jobs run side by side, so instead of failing, such a change waits for the object
/// to appear on the account, up to `ApplyOptions.referenceWait`, then goes ahead. No cycle: shard 1
/// makes player themes before any of its videos or playlists (`KindOrder`), and player themes wait
/// for nothing.
enum CrossShard {
    /// Polls `find` (every 2 s at first, then up to every 10 s) until it returns a value, the wait
    /// runs out (nil), or the apply is interrupted (nil).
    static func wait<T: Sendable>(_ context: ApplyContext, find: () async throws -> T?) async throws -> T? {
        let wait = context.options.referenceWait
        guard wait > .zero else { return nil }
        let deadline = ContinuousClock.now + wait
        var pause = Duration.seconds(2)
        while true {
            if let found = try await find() { return found }
            guard ContinuousClock.now + pause <= deadline, !Interruption.requested else { return nil }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(10))
        }
    }

    /// The id of player theme `address` once shard 1 has recorded it in the registry.
    static func playerID(_ address: Address, _ context: ApplyContext) async throws -> String? {
        try await wait(context) {
            try await Registry.load(project: context.project, provider: context.provider).entries.id(address)
        }
    }

    /// The id of the video managed at `address` once its shard has uploaded it (its source mark no
    /// longer pending).
    static func videoID(_ address: Address, _ context: ApplyContext) async throws -> String? {
        let marks = [
            MetadataEntry(key: OwnershipMark.project, value: context.project),
            MetadataEntry(key: OwnershipMark.address, value: address.description),
        ]
        return try await wait(context) {
            try await context.provider.videos(markedWith: marks).first { video in
                video.state != .deleted && video.mark(OwnershipMark.project) == context.project
                    && video.mark(OwnershipMark.address) == address.description
                    && !(video.mark(OwnershipMark.sourceSHA256).map(OwnershipMark.isPendingSource) ?? true)
            }?.id
        }
    }

    /// Why a change found nothing, for its error: how long it waited, or else `hint`.
    static func waited(_ context: ApplyContext, else hint: String) -> String {
        let seconds = Int(context.options.referenceWait.components.seconds)
        guard seconds == 0 else { return " after waiting \(seconds) s for another shard to make it (--shard-wait)" }
        return hint
    }
}
