import Foundation
import Manifest
import Providers
import TestSupport
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)
private let secret = "yt-Secret-0a1b2c3d4e5f"
private let url = "rtmp://a.rtmp.youtube.com/live2/\(secret)"
private let other = "rtmp://a.rtmp.youtube.com/live2/yt-Other-9f8e7d6c5b4a"
private let foreign = "rtmp://live.twitch.tv/app/live_foreign_0123456789"

private func manifest(_ urls: [String: String]) -> Manifest {
    var manifest = Manifest(project: "demo")
    manifest.liveStreams = [
        LiveStreamSpec(
            name: "townhall", displayName: "Town Hall", save: false, streamings: [],
            restreams: urls.sorted { $0.key < $1.key }.map {
                RestreamSpec(
                    name: $0.key, liveStream: "townhall", url: $0.value,
                    writtenURL: "rtmp://a.rtmp.youtube.com/live2/${YT_KEY}", location: here)
            }, location: here)
    ]
    return manifest
}

private func observed(_ urls: [String], registry: [String: String] = [:], broadcasting: Bool = false) -> Observation {
    var entries = ["live_stream.townhall": "k1"]
    for (key, value) in registry { entries[key] = value }
    var observation = Observation(registry: RegistryEntries(entries))
    let streamings =
        broadcasting ? [RemoteStreaming(id: "s1", title: "On air", save: false, state: .broadcasting)] : []
    observation.liveKeys["k1"] = ObservedLiveKey(
        RemoteLiveKey(id: "k1", name: "Town Hall", save: false), streamings: streamings,
        restreams: urls.map(ObservedRestream.init(url:)))
    return observation
}

private func renderings(_ plan: Plan) throws -> String {
    PlanTextRenderer().render(plan) + PlanMarkdownRenderer().render(plan) + (try PlanJSON.render(plan))
}

@Suite("restream planner")
struct RestreamPlannerTests {
    @Test("not on the key → create, the stream key masked in every rendering and absent from the fingerprint")
    func create() throws {
        let plan = Planner.plan(DesiredState(manifest(["youtube": url]), videos: []), observed([foreign]))
        #expect(plan.changes.map(\.action) == [.create])
        let change = try #require(plan.changes.first)
        #expect(change.address == "live_stream.townhall.restream.youtube")
        #expect(change.attributes.map(\.after) == ["rtmp://a.rtmp.youtube.com/live2/***"])
        #expect(change.parentID == "k1")
        let text = try renderings(plan)
        #expect(!text.contains(secret) && !text.contains("twitch"), "\(text)")
        let saved = String(decoding: try JSONEncoder().encode(SavedChange(change, relativeTo: "/")), as: UTF8.self)
        #expect(!saved.contains(secret) && saved.contains("${YT_KEY}"), "\(saved)")
    }

    @Test("recorded and on the key → no change; already on the key but unrecorded → a create that records it")
    func unchangedAndUnrecorded() throws {
        let hash = DesiredRestream.urlHash(url)
        let same = Planner.plan(
            DesiredState(manifest(["youtube": url]), videos: []),
            observed([url], registry: ["live_stream.townhall.restream.youtube": hash]))
        #expect(!same.hasChanges)
        let unrecorded = Planner.plan(DesiredState(manifest(["youtube": url]), videos: []), observed([url]))
        #expect(unrecorded.changes.map(\.action) == [.create])
        #expect(unrecorded.changes.first?.reasons.first?.contains("it is recorded") == true)
    }

    @Test("a new stream key → replace; left the manifests → delete; both blocked while broadcasting")
    func replaceAndDelete() throws {
        let registry = ["live_stream.townhall.restream.youtube": DesiredRestream.urlHash(other)]
        let replace = Planner.plan(DesiredState(manifest(["youtube": url]), videos: []), observed([other], registry: registry))
        #expect(replace.changes.map(\.action) == [.replace])
        #expect(replace.changes.first?.attributes.first?.after == "rtmp://a.rtmp.youtube.com/live2/*** (stream key changed)")
        let delete = Planner.plan(DesiredState(manifest([:]), videos: []), observed([other, foreign], registry: registry))
        #expect(delete.changes.map(\.action) == [.delete])
        #expect(delete.changes.first?.remoteID == DesiredRestream.urlHash(other))
        let live = Planner.plan(
            DesiredState(manifest([:]), videos: []), observed([other], registry: registry, broadcasting: true))
        #expect(live.changes.first?.blocked != nil)
        // Recorded but gone: only the registry entry is removed.
        let gone = Planner.plan(DesiredState(manifest([:]), videos: []), observed([foreign], registry: registry))
        #expect(gone.changes.map(\.isMarkOnly) == [true])
    }

    @Test("destinations belong to shard 1, as their key does")
    func shard() {
        for count in [2, 7, 100] {
            #expect(Shard.owner(of: "live_stream.townhall.restream.youtube", count: count) == 1)
        }
    }
}
