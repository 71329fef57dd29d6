import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// Playlists against the in-memory provider: order of apply, the fewest moves, ownership.
private struct PlaylistEngine {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(videos count: Int, _ body: (PlaylistEngine) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in
            for index in 0..<count { try workspace.media("v\(index).mp4", size: 600, seed: UInt8(index % 250 + 1)) }
            try await body(PlaylistEngine(workspace: workspace))
        }
    }

    func applier(allowDelete: Bool = true) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.partSize = 4096
        options.partConcurrency = 1
        options.parallelism = 1
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier().plan(try workspace.load()) }

    @discardableResult
    func apply() async throws -> [ApplyOutcome] {
        let applier = applier()
        let outcomes = try await applier.apply(try await applier.plan(try workspace.load()))
        for outcome in outcomes where !outcome.succeeded { Issue.record("\(outcome.address): \(outcome.error ?? "")") }
        return outcomes
    }

    /// Writes videos `v0…v{count-1}` and a playlist `course` of `order` (indices).
    func manifest(videos count: Int, playlist order: [Int]?, extra: String = "") throws {
        var yaml = "videos:\n"
        for index in 0..<count { yaml += "  v\(index):\n    title: V\(index)\n    source: media/v\(index).mp4\n" }
        if let order {
            yaml += "playlists:\n  course:\n    name: The course\n    tags: [course]\n    metadata: {level: beginner}\n"
            yaml += "    videos: [" + order.map { "v\($0)" }.joined(separator: ", ") + "]\n"
        }
        try workspace.manifest(yaml + extra)
    }

    /// The playlist's videos, as addresses, in order.
    func order(_ address: String = "playlist.course") async -> [String] {
        let names = Dictionary(
            await provider.allVideos.map { ($0.id, $0.mark(OwnershipMark.address) ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        let playlist = await provider.allPlaylists.first { $0.mark(OwnershipMark.address) == address }
        return playlist?.items.map { names[$0.videoID] ?? $0.videoID } ?? []
    }

    func count(_ operation: InMemoryProvider.Operation) async -> Int {
        await provider.calls.filter { $0.operation == operation }.count
    }
}

/// The length of the longest strictly increasing subsequence (quadratic, independent of the planner's).
func lisLength(_ values: [Int]) -> Int {
    var best = [Int](repeating: 1, count: values.count)
    for i in values.indices {
        for j in 0..<i where values[j] < values[i] { best[i] = max(best[i], best[j] + 1) }
    }
    return best.max() ?? 0
}

@Suite("playlists against an in-memory provider")
struct PlaylistEngineTests {
    @Test("a playlist of videos created in the same apply waits for them, holds them in order, then plans no changes")
    func createWithVideos() async throws {
        try await PlaylistEngine.with(videos: 3) { engine in
            try engine.manifest(videos: 3, playlist: [2, 0, 1])
            let outcomes = try await engine.apply()
            #expect(outcomes.map(\.address.description).last == "playlist.course")
            #expect(await engine.order() == ["video.v2", "video.v0", "video.v1"])
            let playlist = try #require(await engine.provider.allPlaylists.first)
            #expect(playlist.name == "The course" && playlist.tags == ["course"])
            #expect(playlist.mark(OwnershipMark.project) == engine.workspace.project)
            #expect(playlist.metadata.contains(MetadataEntry(key: "level", value: "beginner")))
            let again = try await engine.plan()
            #expect(!again.hasChanges, "\(again.changes)")
        }
    }

    @Test(
        "any reorder of 30 videos converges in one apply with at most 30 moves (exactly 30 minus the longest kept run) and re-plans empty"
    )
    func reorderProperty() async throws {
        try await PlaylistEngine.with(videos: 30) { engine in
            var order = Array(0..<30)
            try engine.manifest(videos: 30, playlist: order)
            try await engine.apply()
            var generator = SplitMix64(state: 13)
            for round in 0..<40 {
                let previous = order
                order.shuffle(using: &generator)
                // Some rounds move a single video or reverse the list: the extremes.
                if round % 10 == 3 { order = previous.reversed() }
                if round % 10 == 7 {
                    order = previous
                    order.insert(order.remove(at: round % 30), at: (round * 7) % 30)
                }
                try engine.manifest(videos: 30, playlist: order)
                await engine.provider.resetCalls()
                let plan = try await engine.plan()
                for outcome in try await engine.applier().apply(plan) {
                    #expect(outcome.succeeded, "\(outcome.error ?? "")")
                }
                let moves = await engine.count(.movePlaylistItem)
                let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
                let kept = lisLength(previous.map { position[$0]! })
                #expect(moves <= 30)
                #expect(moves == 30 - kept, "round \(round)")
                let adds = await engine.count(.addPlaylistItem)
                let removes = await engine.count(.removePlaylistItem)
                #expect(adds == 0 && removes == 0)
                #expect(await engine.order() == order.map { "video.v\($0)" }, "round \(round)")
                let again = try await engine.plan()
                #expect(!again.hasChanges, "round \(round): \(again.changes.map(\.address))")
            }
        }
    }

    @Test("a video that leaves the manifests is first removed from the playlist, then deleted")
    func videoLeaves() async throws {
        try await PlaylistEngine.with(videos: 3) { engine in
            try engine.manifest(videos: 3, playlist: [0, 1, 2])
            try await engine.apply()
            // v2 leaves the manifests entirely: the playlist no longer names it.
            try engine.workspace.manifest(
                "videos:\n  v0: {title: V0, source: media/v0.mp4}\n  v1: {title: V1, source: media/v1.mp4}\n"
                    + "playlists:\n  course:\n    name: The course\n    tags: [course]\n    metadata: {level: beginner}\n    videos: [v1, v0]\n"
            )
            await engine.provider.resetCalls()
            let plan = try await engine.plan()
            #expect(plan.changes.map { "\($0.action) \($0.address)" } == ["delete video.v2", "update playlist.course"])
            try await engine.apply()
            let calls = await engine.provider.calls
            let removed = try #require(calls.firstIndex { $0.operation == .removePlaylistItem })
            let deleted = try #require(calls.firstIndex { $0.operation == .deleteVideo })
            #expect(removed < deleted, "\(calls)")
            #expect(await engine.order() == ["video.v1", "video.v0"])
            #expect(!(try await engine.plan().hasChanges))
        }
    }

    @Test("an item added by hand is removed; a playlist streamplan did not create is never touched")
    func ownership() async throws {
        try await PlaylistEngine.with(videos: 2) { engine in
            try engine.manifest(videos: 2, playlist: [0, 1])
            try await engine.apply()
            let playlist = try #require(await engine.provider.allPlaylists.first)
            let stranger = RemotePlaylist(
                id: "p-hand", name: "The course", metadata: [MetadataEntry(key: "owner", value: "someone")],
                items: [RemotePlaylistItem(id: "i-hand-1", videoID: playlist.items[0].videoID)])
            await engine.provider.seedPlaylist(stranger)
            await engine.provider.addItemByHand(playlistID: playlist.id, videoID: "v-not-ours")
            let plan = try await engine.plan()
            #expect(plan.changes.map(\.address.description) == ["playlist.course"])
            let attributes = plan.changes[0].attributes.map(\.name)
            #expect(attributes.contains("removed video id v-not-ours (not in the manifests)"), "\(attributes)")
            try await engine.apply()
            #expect(await engine.order() == ["video.v0", "video.v1"])
            #expect(await engine.provider.allPlaylists.first { $0.id == "p-hand" } == stranger)
            // The playlists leave the manifests: only ours is deleted.
            try engine.manifest(videos: 2, playlist: nil)
            let delete = try await engine.plan()
            #expect(delete.changes.map { "\($0.action) \($0.address)" } == ["delete playlist.course"])
            try await engine.apply()
            #expect(await engine.provider.allPlaylists.map(\.id) == ["p-hand"])
        }
    }

    @Test("a lost answer to the create is found by the playlist's marks: no second playlist")
    func lostAnswer() async throws {
        try await PlaylistEngine.with(videos: 1) { engine in
            try engine.manifest(videos: 1, playlist: [0])
            await engine.provider.inject(.lostAnswer, on: .createPlaylist)
            try await engine.apply()
            #expect(await engine.provider.allPlaylists.count == 1)
            #expect(await engine.order() == ["video.v0"])
            #expect(!(try await engine.plan().hasChanges))
        }
    }

    @Test("a failed video fails the playlist that names it, with the reason; nothing is created")
    func failedVideo() async throws {
        try await PlaylistEngine.with(videos: 2) { engine in
            try engine.manifest(videos: 2, playlist: [0, 1])
            await engine.provider.inject(.refused, on: .createVideo, nth: 2)
            let applier = engine.applier()
            let outcomes = try await applier.apply(try await applier.plan(try engine.workspace.load()))
            let playlist = try #require(outcomes.first { $0.address.description == "playlist.course" })
            #expect(playlist.error?.contains("failed in this apply") == true, "\(playlist.error ?? "")")
            #expect(await engine.provider.allPlaylists.isEmpty)
        }
    }

    @Test("name, tags, metadata and a thumbnail change in one update; removing the thumbnail removes its mark")
    func fields() async throws {
        try await PlaylistEngine.with(videos: 1) { engine in
            try engine.workspace.media("cover.jpg", size: 400)
            try engine.manifest(videos: 1, playlist: [0])
            try await engine.apply()
            try engine.workspace.manifest(
                "videos:\n  v0: {title: V0, source: media/v0.mp4}\nplaylists:\n  course:\n    name: Renamed\n"
                    + "    tags: [a, b]\n    thumbnail: media/cover.jpg\n    videos: [v0]\n")
            let plan = try await engine.plan()
            #expect(plan.changes.count == 1)
            #expect(plan.changes[0].fields == [.name, .tags, .metadata, .thumbnail])
            #expect(plan.changes[0].thumbnail == .set)
            try await engine.apply()
            var playlist = try #require(await engine.provider.allPlaylists.first)
            #expect(playlist.name == "Renamed" && playlist.thumbnailURL != nil)
            #expect(playlist.mark(OwnershipMark.thumbnailSHA256) != nil)
            #expect(!(try await engine.plan().hasChanges))
            try engine.workspace.manifest(
                "videos:\n  v0: {title: V0, source: media/v0.mp4}\nplaylists:\n  course:\n    name: Renamed\n"
                    + "    tags: [a, b]\n    videos: [v0]\n")
            let removal = try await engine.plan()
            #expect(removal.changes.first?.thumbnail == .remove)
            try await engine.apply()
            playlist = try #require(await engine.provider.allPlaylists.first)
            #expect(playlist.thumbnailURL == nil && playlist.mark(OwnershipMark.thumbnailSHA256) == nil)
            #expect(!(try await engine.plan().hasChanges))
        }
    }

    @Test("with --shard, shard 1 applies the playlist; a video of another shard not yet created fails it with the reason")
    func shards() async throws {
        try await PlaylistEngine.with(videos: 10) { engine in
            try engine.manifest(videos: 10, playlist: Array(0..<10))
            let full = try await engine.plan()
            let first = try #require(Shard(index: 1, count: 2))
            let second = try #require(Shard(index: 2, count: 2))
            #expect(first.owns("playlist.course") && !second.owns("playlist.course"))
            #expect(!second.apply(to: full).changes.isEmpty, "every video fell to shard 1")
            let early = try await engine.applier().apply(first.apply(to: full))
            let playlist = try #require(early.first { $0.address.description == "playlist.course" })
            #expect(playlist.error?.contains("has no id") == true, "\(playlist.error ?? "")")
            #expect(playlist.error?.contains("--shard") == true)
            #expect(await engine.provider.allPlaylists.isEmpty)
            _ = try await engine.applier().apply(second.apply(to: try await engine.plan()))
            _ = try await engine.applier().apply(first.apply(to: try await engine.plan()))
            #expect(await engine.order() == (0..<10).map { "video.v\($0)" })
            #expect(!(try await engine.plan().hasChanges))
        }
    }

    @Test("a type change replaces the playlist: the new one is made and filled, then the old one deleted")
    func typeReplace() async throws {
        try await PlaylistEngine.with(videos: 2) { engine in
            try engine.manifest(videos: 2, playlist: [1, 0], extra: "")
            var yaml = try String(contentsOfFile: engine.workspace.directory + "/streamplan.yaml", encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "    name: The course\n", with: "    name: The course\n    type: series\n")
            try yaml.write(toFile: engine.workspace.directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
            try await engine.apply()
            let old = try #require(await engine.provider.allPlaylists.first)
            #expect(old.type == "series")
            try yaml.replacingOccurrences(of: "type: series", with: "type: course").write(
                toFile: engine.workspace.directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
            let plan = try await engine.plan()
            #expect(plan.changes.map(\.action) == [.replace])
            try await engine.apply()
            let now = await engine.provider.allPlaylists
            #expect(now.count == 1 && now[0].id != old.id && now[0].type == "course")
            #expect(await engine.order() == ["video.v1", "video.v0"])
            #expect(!(try await engine.plan().hasChanges))
        }
    }

    @Test("KindOrder: video creates, then playlist changes (updates and deletes), then video deletes")
    func kindOrder() {
        let changes = [
            ResourceChange(address: "video.old", action: .delete, remoteID: "v1"),
            ResourceChange(address: "playlist.course", action: .update, remoteID: "p1"),
            ResourceChange(address: "video.new", action: .create),
            ResourceChange(address: "playlist.gone", action: .delete, remoteID: "p2"),
        ]
        let stages = KindOrder.stages(changes, kinds: Applier.executors.map(\.kind))
        let flat = stages.flatMap { $0.flatMap { $0.1.map(\.address.description) } }
        #expect(flat == ["video.new", "playlist.course", "playlist.gone", "video.old"])
        let stageOf = { (address: String) in
            stages.firstIndex { $0.contains { $0.1.contains { $0.address.description == address } } }!
        }
        #expect(stageOf("playlist.course") < stageOf("video.old"))
    }
}
