import Foundation
import Manifest
import Testing
import YAMLNodes
@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private let registry = LiveRegistryEntries([
    "live_stream.townhall": "k1",
    "live_stream.townhall.streaming.kickoff": "s1",
    "live_stream.townhall.streaming.qa": "s2",
    "live_stream.weekly": "k2",
])

private func keys(townhall: String = "Town Hall", kickoff: String = "Kickoff", qaStatus: String = "created",
                  weekly: String = "Weekly", weeklyStatus: String = "created") -> [String: ObservedLiveKey] {
    [
        "k1": ObservedLiveKey(id: "k1", name: townhall, save: true, streamings: [
            ObservedStreaming(id: "s1", title: kickoff, save: true, qualities: ["720p", "1080p"]),
            ObservedStreaming(id: "s2", title: "Q&A", save: true, status: qaStatus, qualities: ["360p"]),
        ]),
        "k2": ObservedLiveKey(id: "k2", name: weekly, save: false, streamings: [
            ObservedStreaming(id: "s3", title: "Main", save: true, status: weeklyStatus),
        ]),
    ]
}

private let keyUpdate = ResourceChange(kind: .liveStream, address: "live_stream.townhall", action: .update, remoteID: "k1",
                                       attributes: [AttributeChange(name: "name", before: "Town Hall", after: "Town Hall 2")])
private let newStreaming = ResourceChange(kind: .streaming, address: "live_stream.townhall.streaming.recap", action: .create,
                                             parentID: "k1")
private let streamingUpdate = ResourceChange(kind: .streaming, address: "live_stream.townhall.streaming.qa", action: .update,
                                             remoteID: "s2", parentID: "k1")
private let keyDelete = ResourceChange(kind: .liveStream, address: "live_stream.weekly", action: .delete, remoteID: "k2")

@Suite("saved plans: live fingerprints")
struct SavedLivePlanTests {
    func differences(_ change: ResourceChange, before: [String: ObservedLiveKey], after: [String: ObservedLiveKey],
                     registryAfter: LiveRegistryEntries = registry) -> [String] {
        RemoteFingerprint.live(change, registry: registry, keys: before)
            .differences(.live(change, registry: registryAfter, keys: after))
    }

    @Test("a touched key renamed is named with how it changed; another key's change is not")
    func keyRenamed() {
        #expect(differences(keyUpdate, before: keys(), after: keys(townhall: "By hand"))
            == ["live_stream.townhall (id k1): name changed from \"Town Hall\" to \"By hand\""])
        #expect(differences(keyUpdate, before: keys(), after: keys(weekly: "Other", weeklyStatus: "streaming")).isEmpty)
        // A key update does not depend on broadcasting.
        #expect(differences(keyUpdate, before: keys(), after: keys(qaStatus: "streaming")).isEmpty)
        #expect(differences(keyUpdate, before: keys(), after: ["k2": keys()["k2"]!])
            == ["live_stream.townhall (id k1) was deleted since the plan"])
    }

    @Test("a streaming create holds while the registry names none and its key stays; untouched streamings do not matter")
    func streamingCreate() {
        let seen = RemoteFingerprint.live(newStreaming, registry: registry, keys: keys())
        #expect(seen.exists == false && seen.fields == ["key_id": "k1"])
        #expect(differences(newStreaming, before: keys(), after: keys(kickoff: "Retitled", qaStatus: "ended")).isEmpty)
        var created = registry
        created.entries["live_stream.townhall.streaming.recap"] = "pending:1700000000"
        #expect(differences(newStreaming, before: keys(), after: keys(), registryAfter: created)
            == ["live_stream.townhall.streaming.recap: registry_entry changed from nothing to \"pending:1700000000\""])
        var gone = registry
        gone.entries["live_stream.townhall"] = nil
        #expect(differences(newStreaming, before: keys(), after: keys(), registryAfter: gone)
            == ["live_stream.townhall.streaming.recap: key_id changed from \"k1\" to nothing"])
    }

    @Test("a streaming update depends on its title, save, qualities and on being the newest; a key create on the registry")
    func streamingUpdateAndKeyCreate() {
        var newer = keys()
        newer["k1"]!.streamings.append(ObservedStreaming(id: "s9", title: "Unmanaged", save: false))
        #expect(differences(streamingUpdate, before: keys(), after: newer)
            == ["live_stream.townhall.streaming.qa (id s2): newest changed from \"true\" to \"false\""])
        #expect(differences(streamingUpdate, before: keys(), after: keys(kickoff: "Other")).isEmpty)

        let create = ResourceChange(kind: .liveStream, address: "live_stream.new", action: .create)
        let seen = RemoteFingerprint.live(create, registry: registry, keys: keys())
        #expect(seen.exists == false && seen.fields.isEmpty)
        var registered = registry
        registered.entries["live_stream.new"] = "k1"
        #expect(seen.differences(.live(create, registry: registered, keys: keys()))
            == ["live_stream.new was created since the plan (now id k1); the plan would create a second one"])
    }

    @Test("a key delete is stale once the key broadcasts")
    func deleteBroadcasting() {
        #expect(differences(keyDelete, before: keys(), after: keys(weeklyStatus: "streaming"))
            == ["live_stream.weekly (id k2): broadcasting changed from \"false\" to \"true\""])
        #expect(RemoteFingerprint.live(keyDelete, registry: registry, keys: keys()).fields["streamings"] == "s3")
    }

    @Test("live desired state round-trips; a file without live_streams reads as none")
    func roundTrip() throws {
        let spec = LiveStreamSpec(name: "townhall", displayName: "Town Hall", save: true, streamings: [
            StreamingSpec(name: "kickoff", liveStream: "townhall", title: "Kickoff", save: true, qualities: ["720p"], location: here),
            StreamingSpec(name: "qa", liveStream: "townhall", title: "Q&A", save: false, qualities: [], location: here),
        ], location: here)
        let savedKey = SavedLiveStream(spec, streamings: ["live_stream.townhall.streaming.qa"])
        #expect(savedKey.streamings.map(\.address) == ["live_stream.townhall.streaming.qa"])
        #expect(savedKey.spec.streamings.first?.address == "live_stream.townhall.streaming.qa")
        #expect(savedKey.spec.address == "live_stream.townhall" && savedKey.spec.displayName == "Town Hall")
        let plan = Plan(project: "demo", changes: [keyUpdate])
        let saved = SavedPlan(plan: plan, partial: nil, manifestsDigest: "abc", videos: [], liveStreams: [savedKey],
                              fingerprints: [.live(keyUpdate, registry: registry, keys: keys())])
        let data = try saved.encoded()
        #expect(try SavedPlan.decode(data, path: "plan.json") == saved)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["live_streams"] = nil
        let old = try SavedPlan.decode(try JSONSerialization.data(withJSONObject: object), path: "old.json")
        #expect(old.liveStreams.isEmpty && old.fingerprints == saved.fingerprints)
    }
}
