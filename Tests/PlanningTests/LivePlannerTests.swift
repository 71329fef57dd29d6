import Manifest
import Testing
import YAMLNodes
@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private func key(_ name: String = "townhall", display: String = "Town Hall", save: Bool = true,
                 streamings: [StreamingSpec] = []) -> LiveStreamSpec {
    LiveStreamSpec(name: name, displayName: display, save: save, streamings: streamings, location: here)
}

private func streaming(_ name: String, title: String = "Kickoff", save: Bool = true,
                       qualities: [String] = ["720p", "1080p"]) -> StreamingSpec {
    StreamingSpec(name: name, liveStream: "townhall", title: title, save: save, qualities: qualities, location: here)
}

/// What an apply of the default key with a `kickoff` streaming leaves behind.
private func observed(name: String = "Town Hall", save: Bool = true, status: String = "created",
                      extra: [ObservedStreaming] = []) -> ObservedLive {
    let s = ObservedStreaming(id: "s1", title: "Kickoff", save: true, status: status, qualities: ["1080p", "720p"])
    return ObservedLive(
        registry: LiveRegistryEntries(["live_stream.townhall": "k1", "live_stream.townhall.streaming.kickoff": "s1"]),
        keys: ["k1": ObservedLiveKey(id: "k1", name: name, save: save, streamings: [s] + extra)])
}

@Suite("live planner")
struct LivePlannerTests {
    @Test("an unregistered key is created with its streamings; an unmanaged key of the same name is not read")
    func create() {
        let result = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff")])], observed: ObservedLive())
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
        let result = LivePlanner.plan(desired: [key(display: "All Hands", save: false, streamings: [streaming("kickoff")])],
                                      observed: observed())
        #expect(result.changes == [ResourceChange(
            kind: .liveStream, address: "live_stream.townhall", action: .update, remoteID: "k1",
            attributes: [AttributeChange(name: "name", before: "Town Hall", after: "All Hands"),
                         AttributeChange(name: "save", before: "true", after: "false")])])
    }

    @Test("a streaming's title on the newest streaming is an update; its qualities are a replace")
    func streamingChanges() {
        let title = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff", title: "Opening")])], observed: observed())
        #expect(title.changes.map(\.action) == [.update])
        #expect(title.changes.first?.parentID == "k1")
        let qualities = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff", qualities: ["360p"])])],
                                         observed: observed())
        #expect(qualities.changes.map(\.action) == [.replace])
        #expect(qualities.changes.first?.reasons == ["qualities are fixed when a streaming is created"])
    }

    @Test("a title change on a streaming that is not the newest is a replace, with the reason")
    func notNewest() {
        let newer = ObservedStreaming(id: "s2", title: "Other", save: false)
        let result = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff", title: "Opening")])],
                                      observed: observed(extra: [newer]))
        #expect(result.changes.map(\.action) == [.replace])
        #expect(result.changes.first?.reasons.first?.contains("newest") == true)
    }

    @Test("a key that left the manifests is a delete that says the stream key stops working")
    func keyRemoved() throws {
        let result = LivePlanner.plan(desired: [], observed: observed())
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .delete && change.blocked == nil)
        #expect(change.reasons.contains(LivePlanner.keyStopsWorking("live_stream.townhall")))
        let text = PlanTextRenderer().render(Plan(project: "demo", changes: result.changes))
        #expect(text.contains("the stream key of live_stream.townhall will stop working; every encoder using it must be reconfigured"))
        #expect(text.contains("--allow-delete"))
    }

    @Test("a broadcasting key or streaming is blocked from delete and replace unless forced")
    func broadcasting() throws {
        let live = observed(status: "streaming")
        let gone = LivePlanner.plan(desired: [], observed: live)
        #expect(gone.changes.first?.blocked?.contains("broadcasting") == true)
        let plan = Plan(project: "demo", changes: gone.changes)
        #expect(!plan.isDestructive)
        let text = PlanTextRenderer().render(plan)
        #expect(text.contains("blocked:"))
        #expect(text.contains("1 change is blocked and will not be applied"))
        let replaced = LivePlanner.plan(desired: [key(streamings: [streaming("kickoff", qualities: ["360p"])])], observed: live)
        #expect(replaced.changes.first?.blocked != nil)
        let removed = LivePlanner.plan(desired: [key()], observed: live)
        #expect(removed.changes.map(\.action) == [.delete])
        #expect(removed.changes.first?.blocked != nil)
        let forced = LivePlanner.plan(desired: [], observed: live, forceLive: true)
        #expect(forced.changes.first?.blocked == nil)
    }

    @Test("a registered key that vanished is created again, saying why")
    func vanished() {
        var live = observed()
        live.keys = [:]
        let result = LivePlanner.plan(desired: [key()], observed: live)
        #expect(result.changes.map(\.action) == [.create])
        #expect(result.changes.first?.reasons == ["its key k1 no longer exists on AIOZ Stream"])
    }
}
