import AIOZ
import Apply
import Foundation
import Planning
import Providers
import SandboxTesting
import Testing

/// A key with an older `kickoff` and a newer `qa` streaming.
private func twoStreamings(kickoffTitle: String = "Kickoff", kickoff: String = "720p, 1080p", qa: String = "360p") -> String {
    """
    live_streams:
      townhall:
        name: Town Hall
        save: true
        streamings:
          kickoff:
            title: \(kickoffTitle)
            save: true
            qualities: [\(kickoff)]
          qa:
            title: Q and A
            qualities: [\(qa)]

    """
}

@Suite("streamings updated in place against the sandbox")
struct StreamingUpdateTests {
    @Test("an older streaming's title is updated in place: the update names it, the newest keeps its title")
    func olderTitleInPlace() async throws {
        try await World.with { world in
            try world.manifest(twoStreamings())
            try await world.applyLive()
            let registry = try await world.registry()
            let keyID = try #require(registry.id("live_stream.townhall"))
            let kickoffID = try #require(registry.id("live_stream.townhall.streaming.kickoff"))
            try world.manifest(twoStreamings(kickoffTitle: "Opening"))
            let plan = try await world.livePlan()
            #expect(plan.changes.map(\.action) == [.update], "\(plan.changes)")
            #expect(plan.changes.first?.remoteID == kickoffID)
            try await world.applyLive()
            let all = try await world.client.listStreamings(liveStreamKeyID: keyID).streamings
            #expect(all.map(\.title).sorted() == ["Opening", "Q and A"])
            #expect(all.first { $0.id == kickoffID }?.title == "Opening")
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("a live streaming's qualities are updated in place (same id and URLs); a streaming that is not live is replaced")
    func qualitiesLiveAndNot() async throws {
        try await World.with { world in
            try world.manifest(twoStreamings())
            try await world.applyLive()
            let registry = try await world.registry()
            let keyID = try #require(registry.id("live_stream.townhall"))
            let kickoffID = try #require(registry.id("live_stream.townhall.streaming.kickoff"))
            let qaID = try #require(registry.id("live_stream.townhall.streaming.qa"))
            // The encoder pushes: the newest created streaming (qa) goes live.
            try await world.broadcast(keyID: keyID, true)
            let before = try await world.client.getStreaming(liveStreamKeyID: keyID, streamingID: qaID)
            #expect(before.status == "streaming")

            try world.manifest(twoStreamings(qa: "360p, 720p"))
            let live = try await world.livePlan()
            #expect(live.changes.map(\.action) == [.update], "\(live.changes)")
            #expect(live.changes.first?.fields == [.qualities] && live.changes.first?.blocked == nil)
            // No --allow-delete needed: nothing is deleted.
            try await world.applyLive()
            let after = try await world.client.getStreaming(liveStreamKeyID: keyID, streamingID: qaID)
            #expect(Set(after.qualities) == ["360p", "720p"])
            #expect(after.assets?.hlsURL == before.assets?.hlsURL && after.assets?.hlsURL != nil)
            #expect(try await world.registry().id("live_stream.townhall.streaming.qa") == qaID)
            #expect(!(try await world.livePlan()).hasChanges)

            // kickoff is not live: its qualities are a replace, and the plan says why.
            try world.manifest(twoStreamings(kickoff: "1080p", qa: "360p, 720p"))
            let notLive = try await world.livePlan()
            let change = try #require(notLive.changes.first)
            #expect(notLive.changes.count == 1 && change.action == .replace && change.remoteID == kickoffID)
            #expect(
                change.reasons.first?.contains("only while it is live streaming, and this one is not (status created)") == true)
            let text = PlanTextRenderer().render(notLive)
            #expect(text.contains("in place only while it is live streaming"))
            try await world.applyLive(allowDelete: true)
            let newKickoff = try #require(try await world.registry().id("live_stream.townhall.streaming.kickoff"))
            #expect(newKickoff != kickoffID)
            let streamings = try await world.client.listStreamings(liveStreamKeyID: keyID).streamings
            #expect(streamings.first { $0.id == newKickoff }?.qualities == ["1080p"])
            #expect(!streamings.contains { $0.id == kickoffID })
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("a streaming that stopped broadcasting since the plan is not updated: the sandbox refuses, apply says to plan again")
    func stoppedSincePlan() async throws {
        try await World.with { world in
            try world.manifest(twoStreamings())
            try await world.applyLive()
            let keyID = try #require(try await world.registry().id("live_stream.townhall"))
            try await world.broadcast(keyID: keyID, true)
            try world.manifest(twoStreamings(qa: "240p"))
            let applier = world.applier()
            let plan = try await applier.plan(try world.load(), options: PlanOptions())
            #expect(plan.changes.map(\.action) == [.update])
            try await world.broadcast(keyID: keyID, false)
            let outcomes = try await applier.apply(plan)
            let failed = try #require(outcomes.first { !$0.succeeded })
            #expect(failed.error?.contains("plan again: it will be a replace") == true, "\(failed.error ?? "")")
            // The next plan replaces it.
            #expect(try await world.livePlan().changes.map(\.action) == [.replace])
        }
    }
}
