import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// A replace whose create loses its answer (issue 26, item 1), against the in-memory provider: the
/// lost create is never resolved to the object being replaced, and the old object is deleted only
/// once its replacement is proven to be another object on the account.
private struct Replacing {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (Replacing) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in
            for (name, seed) in [("a.mp4", 1), ("a2.mp4", 3)] as [(String, UInt8)] {
                try workspace.media(name, size: 10_000, seed: seed)
            }
            try await body(Replacing(workspace: workspace))
        }
    }

    func applier() -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.partSize = 4096
        options.partConcurrency = 1
        options.parallelism = 1
        options.allowDelete = true
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier().plan(try workspace.load()) }

    @discardableResult
    func apply() async throws -> [ApplyOutcome] {
        let applier = applier()
        return try await applier.apply(try await applier.plan(try workspace.load()))
    }

    func videos(_ address: String) async -> [RemoteVideo] {
        await provider.allVideos.filter { $0.mark(OwnershipMark.address) == address && $0.state != .deleted }
    }
}

private func video(_ file: String) -> String { "videos:\n  a:\n    title: A\n    source: media/\(file)\n" }

@Suite("a replace whose create loses its answer")
struct LostReplaceTests {
    @Test("a video: every create lost (never made) fails the replace; the old video keeps its id and marks")
    func videoLostTwice() async throws {
        try await Replacing.with { engine in
            try engine.workspace.manifest(video("a.mp4"))
            try await engine.apply()
            let old = try #require(await engine.videos("video.a").first)
            try engine.workspace.manifest(video("a2.mp4"))
            #expect(try await engine.plan().changes.map(\.action) == [.replace])
            // The create and its one retry both go unanswered and make nothing (a 500 before the service acted).
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostRequest, on: .createVideo, nth: 1)
            await engine.provider.inject(.lostRequest, on: .createVideo, nth: 2)
            let outcomes = try await engine.apply()
            #expect(outcomes.count == 1 && outcomes[0].error != nil, "\(outcomes)")
            #expect(await engine.provider.calls.filter { $0.operation == .deleteVideo }.isEmpty)
            let left = await engine.videos("video.a")
            #expect(left.map(\.id) == [old.id])
            #expect(left.first?.metadata == old.metadata)
            #expect(await engine.provider.receivedChunks(old.id) == 3)
            // The next fault-free apply replaces it.
            #expect(try await engine.plan().changes.map(\.action) == [.replace])
            let again = try await engine.apply()
            #expect(again.allSatisfy { $0.succeeded }, "\(again.compactMap(\.error))")
            let now = await engine.videos("video.a")
            #expect(now.count == 1 && now[0].id != old.id)
            #expect(now.first?.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a2.mp4")))
            #expect(now.first?.mark("streamplan.create_token") == nil)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a video: a create lost once (never made) is sent again, and the replace completes")
    func videoLostOnce() async throws {
        try await Replacing.with { engine in
            try engine.workspace.manifest(video("a.mp4"))
            try await engine.apply()
            let old = try #require(await engine.videos("video.a").first)
            try engine.workspace.manifest(video("a2.mp4"))
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostRequest, on: .createVideo)
            let outcomes = try await engine.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let now = await engine.videos("video.a")
            #expect(now.count == 1 && now[0].id != old.id && outcomes.first?.objectID == now[0].id)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a video: a create made but unanswered is found by its own token, not by the old video's address")
    func videoAnswerLost() async throws {
        try await Replacing.with { engine in
            try engine.workspace.manifest(video("a.mp4"))
            try await engine.apply()
            let old = try #require(await engine.videos("video.a").first)
            try engine.workspace.manifest(video("a2.mp4"))
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostAnswer, on: .createVideo)
            let outcomes = try await engine.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let now = await engine.videos("video.a")
            #expect(now.count == 1 && now[0].id != old.id && outcomes.first?.objectID == now[0].id)
            #expect(await engine.provider.calls.filter { $0.operation == .createVideo }.count == 1)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a playlist: a lost create (never made) fails the replace; the old playlist stays, and the next apply replaces it")
    func playlistLost() async throws {
        try await Replacing.with { engine in
            let yaml = video("a.mp4") + "playlists:\n  course:\n    name: The course\n    type: series\n    videos: [a]\n"
            try engine.workspace.manifest(yaml)
            try await engine.apply()
            let old = try #require(await engine.provider.allPlaylists.first)
            try engine.workspace.manifest(yaml.replacingOccurrences(of: "type: series", with: "type: course"))
            #expect(try await engine.plan().changes.map(\.action) == [.replace])
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostRequest, on: .createPlaylist)
            let outcomes = try await engine.apply()
            #expect(outcomes.count == 1 && outcomes[0].error != nil, "\(outcomes)")
            let left = await engine.provider.allPlaylists
            #expect(left.map(\.id) == [old.id] && left.first?.type == "series" && left.first?.items.count == 1)
            #expect(left.first?.metadata == old.metadata)
            let again = try await engine.apply()
            #expect(again.allSatisfy { $0.succeeded }, "\(again.compactMap(\.error))")
            let now = await engine.provider.allPlaylists
            #expect(now.count == 1 && now[0].id != old.id && now[0].type == "course" && now[0].items.count == 1)
            #expect(now.first?.mark("streamplan.create_token") == nil)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a playlist: a create made but unanswered is found by its token; the old one is deleted")
    func playlistAnswerLost() async throws {
        try await Replacing.with { engine in
            let yaml = video("a.mp4") + "playlists:\n  course:\n    name: The course\n    type: series\n    videos: [a]\n"
            try engine.workspace.manifest(yaml)
            try await engine.apply()
            let old = try #require(await engine.provider.allPlaylists.first)
            try engine.workspace.manifest(yaml.replacingOccurrences(of: "type: series", with: "type: course"))
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostAnswer, on: .createPlaylist)
            let outcomes = try await engine.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let now = await engine.provider.allPlaylists
            #expect(now.count == 1 && now[0].id != old.id && now[0].type == "course")
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a streaming: a lost create (never made) fails the replace; the old streaming stays registered, with its id")
    func streamingLost() async throws {
        try await Replacing.with { engine in
            let yaml = "live_streams:\n  townhall:\n    name: Town Hall\n    streamings:\n"
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [720p]}\n")
            try await engine.apply()
            let key = try #require(await engine.provider.allKeys.first)
            let managed = try #require(await engine.provider.streamingsOf(key.id).first)
            // A streaming of the same title the registry does not claim, broadcasting (so its delete is
            // blocked and it stays): what a concurrent apply could leave.
            let stray = try await engine.provider.createStreaming(
                keyID: key.id, NewStreaming(title: "Kickoff", save: false, qualities: []))
            await engine.provider.setBroadcasting(keyID: key.id, streamingID: stray, true)
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [360p, 720p]}\n")
            #expect(try await engine.plan().changes.contains { $0.action == .replace && $0.remoteID == managed.id })
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostRequest, on: .createStreaming)
            let outcomes = try await engine.apply()
            let replace = try #require(outcomes.first { $0.action == .replace })
            #expect(replace.error != nil && replace.objectID != stray, "\(outcomes)")
            // Created first: the old streaming was never deleted, and the registry still names it.
            #expect(Set(await engine.provider.streamingsOf(key.id).map(\.id)) == [managed.id, stray])
            #expect(await engine.provider.calls.filter { $0.operation == .deleteStreaming }.isEmpty)
            #expect(try await engine.plan().changes.contains { $0.action == .replace && $0.remoteID == managed.id })
            // The stray one ends; the next apply creates the streaming.
            await engine.provider.setBroadcasting(keyID: key.id, streamingID: stray, false)
            try await engine.provider.deleteStreaming(keyID: key.id, id: stray)
            let again = try await engine.apply()
            #expect(again.allSatisfy { $0.succeeded }, "\(again.compactMap(\.error))")
            let now = await engine.provider.streamingsOf(key.id)
            #expect(now.count == 1 && now[0].id != stray && now[0].id != managed.id && now[0].qualities.count == 2)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a streaming: a create made but unanswered is found as the one new streaming; then the old one is deleted")
    func streamingAnswerLost() async throws {
        try await Replacing.with { engine in
            let yaml = "live_streams:\n  townhall:\n    name: Town Hall\n    streamings:\n"
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [720p]}\n")
            try await engine.apply()
            let key = try #require(await engine.provider.allKeys.first)
            let old = try #require(await engine.provider.streamingsOf(key.id).first)
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [360p, 720p]}\n")
            await engine.provider.resetCalls()  // the call log holds this apply's calls only
            await engine.provider.inject(.lostAnswer, on: .createStreaming)
            let outcomes = try await engine.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let now = await engine.provider.streamingsOf(key.id)
            #expect(now.count == 1 && now[0].id != old.id && now[0].qualities.count == 2, "\(now)")
            #expect(outcomes.first?.objectID == now.first?.id)
            // Created first, deleted after: the create comes before the delete in the call log.
            let order = await engine.provider.calls.map(\.operation).filter { $0 == .createStreaming || $0 == .deleteStreaming }
            #expect(order == [.createStreaming, .deleteStreaming])
            #expect(await engine.provider.calls.filter { $0.operation == .createStreaming }.count == 1)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a streaming: an apply killed after the replacement was made (old still registered) converges in one apply")
    func streamingKilledBeforeDelete() async throws {
        try await Replacing.with { engine in
            let yaml = "live_streams:\n  townhall:\n    name: Town Hall\n    streamings:\n"
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [720p]}\n")
            try await engine.apply()
            let key = try #require(await engine.provider.allKeys.first)
            let old = try #require(await engine.provider.streamingsOf(key.id).first)
            // What `streaming-replace-before-delete` leaves: the new one made, unclaimed; the old one registered.
            let made = try await engine.provider.createStreaming(
                keyID: key.id, NewStreaming(title: "Kickoff", save: false, qualities: ["360p", "720p"]))
            try engine.workspace.manifest(yaml + "      kickoff: {title: Kickoff, qualities: [360p, 720p]}\n")
            let plan = try await engine.plan()
            #expect(plan.changes.contains { $0.action == .delete && $0.remoteID == made && $0.untracked })
            #expect(plan.changes.contains { $0.action == .replace && $0.remoteID == old.id })
            let outcomes = try await engine.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let now = await engine.provider.streamingsOf(key.id)
            #expect(now.count == 1 && now[0].id != old.id && now[0].id != made && now[0].qualities.count == 2)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }
}
