import AIOZ
import Apply
import AsyncHTTPClient
import Foundation
import Planning
import Providers
import Sandbox
import SandboxTesting
import Testing

private func live(
    name: String = "Town Hall", save: Bool = true,
    streamings: String = """
          kickoff:
            title: Kickoff
            save: true
            qualities: [720p, 1080p]

    """
) -> String {
    """
    live_streams:
      townhall:
        name: \(name)
        save: \(save)
        streamings:
    \(streamings)
    """
}

extension World {
    /// Plans and applies videos and live objects, as `streamplan apply` does; throws on a failed change.
    @discardableResult
    func applyLive(allowDelete: Bool = false, forceLive: Bool = false) async throws -> (Plan, [ApplyOutcome]) {
        let applier = applier(allowDelete: allowDelete, forceLive: forceLive)
        let plan = try await applier.plan(try load(), options: PlanOptions(forceLive: forceLive))
        if plan.isDestructive && !allowDelete { throw ApplyError("refused: the plan deletes or replaces") }
        let outcomes = try await applier.apply(plan)
        for outcome in outcomes where !outcome.succeeded {
            throw ApplyError("\(outcome.address): \(outcome.error ?? "")")
        }
        return (plan, outcomes.filter { $0.kind != .video })
    }

    func livePlan(forceLive: Bool = false) async throws -> Plan {
        try await plan(forceLive: forceLive)
    }

    func registry() async throws -> RegistryEntries {
        await (try Registry.load(project: project, provider: sandbox.provider)).entries
    }

    /// The sandbox's admin switch: an encoder starts or stops pushing to the key.
    func broadcast(keyID: String, _ on: Bool) async throws {
        try await sandbox.broadcast(keyID: keyID, on)
    }
}

@Suite("live streams against the sandbox")
struct LiveApplyTests {
    @Test("create, then no changes; the registry names key and streaming, and is invisible to the video planner")
    func create() async throws {
        try await World.with { world in
            try world.manifest(live())
            let first = try await world.livePlan()
            #expect(first.changes.map(\.action) == [.create, .create])
            try await world.applyLive()
            let second = try await world.livePlan()
            #expect(!second.hasChanges, "\(second.changes)")
            let keys = try await world.client.allLiveStreamKeys()
            #expect(keys.map(\.name) == ["Town Hall"])
            let registry = try await world.registry()
            #expect(registry.id("live_stream.townhall") == keys[0].id)
            let streamings = try await world.client.listStreamings(liveStreamKeyID: keys[0].id).streamings
            #expect(registry.id("live_stream.townhall.streaming.kickoff") == streamings.first?.id)
            #expect(Set(streamings[0].qualities) == ["720p", "1080p"])
            // The registry video is private, never uploaded, and carries no video ownership marks.
            let videos = try await world.remoteVideos()
            #expect(videos.count == 1)
            #expect(videos[0].isPublic == false && videos[0].status.rawValue == "new")
            // Never uploaded, but created with an explicit quality: AIOZ refuses a create without one.
            #expect(videos[0].qualities.map(\.name) == ["360p"], "\(videos[0].qualities)")
            #expect(!videos[0].metadata.contains { $0.key == "streamplan.project" })
        }
    }

    @Test("a rename and the save flag are one PUT on the same key: the stream key is unchanged")
    func renameAndSave() async throws {
        try await World.with { world in
            try world.manifest(live())
            try await world.applyLive()
            let before = try #require(try await world.client.allLiveStreamKeys().first)
            try world.manifest(live(name: "All Hands", save: false))
            let plan = try await world.livePlan()
            #expect(plan.changes.map(\.action) == [.update])
            #expect(plan.changes.first?.attributes.map(\.name) == ["name", "save"])
            #expect(!plan.isDestructive)
            try await world.applyLive()
            let after = try await world.client.getLiveStreamKey(id: before.id)
            #expect(after.name == "All Hands" && after.save == false)
            #expect(after.streamKey == before.streamKey)
            #expect(try await world.client.allLiveStreamKeys().count == 1)
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("streamings: added, title and save changed, qualities changed (replace), removed")
    func streamingTransitions() async throws {
        try await World.with { world in
            try world.manifest(live())
            try await world.applyLive()
            let keyID = try #require(try await world.registry().id("live_stream.townhall"))
            // Added.
            try world.manifest(
                live(
                    streamings: """
                              kickoff:
                                title: Kickoff
                                save: true
                                qualities: [720p, 1080p]
                              qa:
                                title: Q and A
                                qualities: [360p]

                        """))
            #expect(try await world.livePlan().changes.map(\.action) == [.create])
            try await world.applyLive()
            #expect(try await world.client.listStreamings(liveStreamKeyID: keyID).streamings.count == 2)
            // Title and save of the newest streaming: an update in place.
            try world.manifest(
                live(
                    streamings: """
                              kickoff:
                                title: Kickoff
                                save: true
                                qualities: [720p, 1080p]
                              qa:
                                title: Questions
                                save: true
                                qualities: [360p]

                        """))
            let update = try await world.livePlan()
            #expect(update.changes.map(\.action) == [.update], "\(update.changes)")
            try await world.applyLive()
            let qaID = try #require(try await world.registry().id("live_stream.townhall.streaming.qa"))
            let qa = try await world.client.getStreaming(liveStreamKeyID: keyID, streamingID: qaID)
            #expect(qa.title == "Questions" && qa.save)
            #expect(!(try await world.livePlan()).hasChanges)
            // Qualities: a replace, refused without --allow-delete.
            try world.manifest(
                live(
                    streamings: """
                              kickoff:
                                title: Kickoff
                                save: true
                                qualities: [720p, 1080p]
                              qa:
                                title: Questions
                                save: true
                                qualities: [360p, 720p]

                        """))
            #expect(try await world.livePlan().changes.map(\.action) == [.replace])
            await #expect(throws: ApplyError.self) { try await world.applyLive() }
            try await world.applyLive(allowDelete: true)
            let newQA = try #require(try await world.registry().id("live_stream.townhall.streaming.qa"))
            #expect(newQA != qaID)
            #expect(!(try await world.livePlan()).hasChanges)
            // Removed.
            try world.manifest(
                live(
                    streamings: """
                              kickoff:
                                title: Kickoff
                                save: true
                                qualities: [720p, 1080p]

                        """))
            #expect(try await world.livePlan().changes.map(\.action) == [.delete])
            try await world.applyLive(allowDelete: true)
            #expect(try await world.client.listStreamings(liveStreamKeyID: keyID).streamings.count == 1)
            #expect(try await world.registry().id("live_stream.townhall.streaming.qa") == nil)
        }
    }

    @Test("a key removed from the manifests: the plan warns about encoders, apply needs --allow-delete")
    func keyRemoved() async throws {
        try await World.with { world in
            try world.manifest(live())
            try await world.applyLive()
            try world.manifest("")
            let plan = try await world.livePlan()
            #expect(plan.changes.map(\.action) == [.delete])
            #expect(PlanTextRenderer().render(plan).contains("every encoder using it must be reconfigured"))
            await #expect(throws: ApplyError.self) { try await world.applyLive() }
            #expect(try await world.client.allLiveStreamKeys().count == 1)
            try await world.applyLive(allowDelete: true)
            #expect(try await world.client.allLiveStreamKeys().isEmpty)
            #expect(try await world.registry().entries.isEmpty)
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("while broadcasting, deleting the key is blocked; --force-live lets it through")
    func blockedWhileBroadcasting() async throws {
        try await World.with { world in
            try world.manifest(live())
            try await world.applyLive()
            let keyID = try #require(try await world.registry().id("live_stream.townhall"))
            try await world.broadcast(keyID: keyID, true)
            try world.manifest("")
            let plan = try await world.livePlan()
            #expect(plan.changes.count == 1)
            #expect(plan.changes.first?.blocked?.contains("broadcasting") == true)
            let text = PlanTextRenderer().render(plan)
            #expect(text.contains("blocked:"))
            // Blocked changes are not performed, even with --allow-delete.
            let (_, outcomes) = try await world.applyLive(allowDelete: true)
            #expect(outcomes.isEmpty)
            #expect(try await world.client.allLiveStreamKeys().count == 1)
            // Streaming removal while broadcasting: blocked too.
            try world.manifest(live(streamings: "      {}\n"))
            let streamingPlan = try await world.livePlan()
            #expect(streamingPlan.changes.map(\.action) == [.delete])
            #expect(streamingPlan.changes.first?.blocked != nil)
            try world.manifest("")
            try await world.applyLive(allowDelete: true, forceLive: true)
            #expect(try await world.client.allLiveStreamKeys().isEmpty)
        }
    }

    @Test("a key made outside streamplan, even with the same name, is never read, changed or deleted")
    func unmanagedKey() async throws {
        try await World.with { world in
            let foreign = try await world.client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: "Town Hall", save: false))
            try world.manifest(live())
            #expect(try await world.livePlan().changes.map(\.action) == [.create, .create])
            try await world.applyLive()
            try world.manifest("")
            try await world.applyLive(allowDelete: true)
            let left = try await world.client.allLiveStreamKeys()
            #expect(left.map(\.id) == [foreign.id])
            #expect(left[0].save == false && left[0].name == "Town Hall")
        }
    }

    @Test("a create interrupted before its id was recorded is adopted, not made twice")
    func pendingAdopted() async throws {
        try await World.with { world in
            try world.manifest(live(streamings: "      {}\n"))
            // As if an apply wrote its pending mark, created the key, and died before recording the id.
            let registry = try await Registry.load(project: world.project, provider: world.sandbox.provider)
            try await registry.markPending("live_stream.townhall")
            let made = try await world.client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: "Town Hall", save: true))
            let plan = try await world.livePlan()
            #expect(plan.changes.map(\.action) == [.create])
            #expect(plan.changes.first?.reasons.first?.contains("never recorded") == true)
            try await world.applyLive()
            #expect(try await world.client.allLiveStreamKeys().map(\.id) == [made.id])
            #expect(try await world.registry().id("live_stream.townhall") == made.id)
        }
    }
}
