import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private func key(
    _ name: String = "townhall", display: String = "Town Hall", save: Bool = true,
    streamings: [StreamingSpec] = []
) -> LiveStreamSpec {
    LiveStreamSpec(name: name, displayName: display, save: save, streamings: streamings, location: here)
}

private func streaming(
    _ name: String, title: String = "Kickoff", save: Bool = true,
    qualities: [String] = ["720p", "1080p"]
) -> StreamingSpec {
    StreamingSpec(name: name, liveStream: "townhall", title: title, save: save, qualities: qualities, location: here)
}

/// What an apply of the default key with a `kickoff` streaming leaves behind.
private func observed(
    name: String = "Town Hall", save: Bool = true, status: String = "created",
    extra: [RemoteStreaming] = []
) -> Observation {
    let s = RemoteStreaming(
        id: "s1", title: "Kickoff", save: true, state: StreamingState(rawValue: status),
        qualities: ["1080p", "720p"])
    return Observation(
        registry: RegistryEntries(["live_stream.townhall": "k1", "live_stream.townhall.streaming.kickoff": "s1"]),
        liveKeys: ["k1": ObservedLiveKey(RemoteLiveKey(id: "k1", name: name, save: save), streamings: [s] + extra)])
}

/// The live kinds' plan through the planner loop.
private enum LivePlanner {
    static func plan(desired: [LiveStreamSpec], observed: Observation, forceLive: Bool = false) -> Plan {
        let manifest = Manifest(project: "demo", liveStreams: desired)
        return Planner.plan(DesiredState(manifest, videos: []), observed, options: PlanOptions(forceLive: forceLive))
    }
}

@Suite("live planner")
struct LivePlannerTests {
    @Test("an unregistered key is created with its streamings; an unmanaged key of the same name is not read")
    func create() {
        let result = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff")])], observed: Observation())
        #expect(result.changes.map(\.action) == [.create, .create])
        #expect(result.changes.map(\.kind) == [.liveStream, .streaming])
        #expect(result.changes[1].parentID == nil)
    }

    @Test("matching key and streaming: no changes (qualities compared as a set)")
    func unchanged() {
        let result = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff")])], observed: observed())
        #expect(result.changes.isEmpty, "\(result.changes)")
        #expect(result.unchanged == ["live_stream.townhall", "live_stream.townhall.streaming.kickoff"])
    }

    @Test("a rename and a save flag change are one in-place update of the same key")
    func rename() {
        let result = LivePlanner.plan(
            desired: [key(display: "All Hands", save: false, streamings: [streaming("kickoff")])],
            observed: observed())
        #expect(result.changes.map(\.address) == ["live_stream.townhall"])
        #expect(result.changes.first?.action == .update && result.changes.first?.remoteID == "k1")
        #expect(result.changes.first?.fields == [.name, .save])
        #expect(
            result.changes.first?.attributes == [
                AttributeChange(name: "name", before: "Town Hall", after: "All Hands"),
                AttributeChange(name: "save", before: "true", after: "false"),
            ])
    }

    @Test("a streaming's title is an update; its qualities, while it is not live, a replace with the reason")
    func streamingChanges() {
        let title = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff", title: "Opening")])], observed: observed())
        #expect(title.changes.map(\.action) == [.update])
        #expect(title.changes.first?.parentID == "k1")
        let qualities = LivePlanner.plan(
            desired: [key(streamings: [streaming("kickoff", qualities: ["360p"])])],
            observed: observed())
        #expect(qualities.changes.map(\.action) == [.replace])
        #expect(
            qualities.changes.first?.reasons == [
                "AIOZ Stream changes a streaming's qualities in place only while it is live streaming, and this one is not "
                    + "(status created); a new streaming is made (new id and URLs), then the old one deleted"
            ])
        // Created first, the old one deleted once the new one is proven (issue 26).
        #expect(qualities.changes.first?.replaceOrder == .createThenDelete)
        let text = PlanTextRenderer().render(Plan(project: "demo", changes: qualities.changes))
        #expect(text.contains("-/+ create a replacement, then delete the old one"))
        #expect(text.contains("must be replaced: AIOZ Stream changes a streaming's qualities in place only while it is live"))
        #expect(!text.contains("then delete the old video") && !text.contains("deleted, then created"))
    }

    @Test("a title change on a streaming that is not the newest is an update in place too (the update names it)")
    func notNewest() {
        let newer = RemoteStreaming(id: "s2", title: "Other", save: false)
        let result = LivePlanner.plan(
            desired: [key(streamings: [streaming("kickoff", title: "Opening")])],
            observed: observed(extra: [newer]))
        #expect(result.changes.map(\.action) == [.update])
        #expect(result.changes.first?.remoteID == "s1" && result.changes.first?.fields == [.title])
    }

    @Test("the qualities of a live streaming are an update in place, not blocked, with the title beside them")
    func liveQualities() throws {
        let result = LivePlanner.plan(
            desired: [key(streamings: [streaming("kickoff", title: "Opening", qualities: ["360p"])])],
            observed: observed(status: "streaming"))
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .update && change.blocked == nil && change.remoteID == "s1")
        #expect(change.fields == [.qualities, .title])
        #expect(change.attributes.first == AttributeChange(name: "qualities", before: "[1080p, 720p]", after: "[360p]"))
        // The same qualities in another order are no change.
        let same = LivePlanner.plan(
            desired: [key(streamings: [streaming("kickoff", qualities: ["720p", "1080p"])])],
            observed: observed(status: "streaming"))
        #expect(same.changes.isEmpty)
    }

    @Test("a key that left the manifests is a delete that says the stream key stops working")
    func keyRemoved() throws {
        let result = LivePlanner.plan(desired: [], observed: observed())
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .delete && change.blocked == nil)
        #expect(change.reasons.contains(LiveKeyPlanner.keyStopsWorking("live_stream.townhall")))
        let text = PlanTextRenderer().render(Plan(project: "demo", changes: result.changes))
        #expect(
            text.contains("the stream key of live_stream.townhall will stop working; every encoder using it must be reconfigured")
        )
        #expect(text.contains("--allow-delete"))
    }

    @Test("a broadcasting key or streaming is blocked from delete unless forced")
    func broadcasting() throws {
        let live = observed(status: "streaming")
        let gone = LivePlanner.plan(desired: [], observed: live)
        #expect(gone.changes.first?.blocked?.contains("broadcasting") == true)
        let plan = Plan(project: "demo", changes: gone.changes)
        #expect(!plan.isDestructive)
        let text = PlanTextRenderer().render(plan)
        #expect(text.contains("blocked:"))
        #expect(text.contains("1 change is blocked and will not be applied"))
        // New qualities of a broadcasting streaming are no replace: an update in place, not blocked.
        let requalified = LivePlanner.plan(
            desired: [key(streamings: [streaming("kickoff", qualities: ["360p"])])], observed: live)
        #expect(requalified.changes.map(\.action) == [.update] && requalified.changes.first?.blocked == nil)
        let removed = LivePlanner.plan(desired: [key()], observed: live)
        #expect(removed.changes.map(\.action) == [.delete])
        #expect(removed.changes.first?.blocked != nil)
        let forced = LivePlanner.plan(desired: [], observed: live, forceLive: true)
        #expect(forced.changes.first?.blocked == nil)
    }

    @Test("a registered key that vanished is created again, saying why")
    func vanished() {
        var live = observed()
        live.liveKeys = [:]
        let result = LivePlanner.plan(desired: [key()], observed: live)
        #expect(result.changes.map(\.action) == [.create])
        #expect(result.changes.first?.reasons == ["its key k1 no longer exists on AIOZ Stream"])
    }
}
