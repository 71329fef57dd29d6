import Foundation
import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private let registry = RegistryEntries([
    "live_stream.townhall": "k1",
    "live_stream.townhall.streaming.kickoff": "s1",
    "live_stream.townhall.streaming.qa": "s2",
    "live_stream.weekly": "k2",
])

private func keys(
    townhall: String = "Town Hall", kickoff: String = "Kickoff", qaStatus: String = "created",
    weekly: String = "Weekly", weeklyStatus: String = "created"
) -> [String: ObservedLiveKey] {
    [
        "k1": ObservedLiveKey(
            RemoteLiveKey(id: "k1", name: townhall, save: true),
            streamings: [
                RemoteStreaming(id: "s1", title: kickoff, save: true, qualities: ["720p", "1080p"]),
                RemoteStreaming(
                    id: "s2", title: "Q&A", save: true, state: StreamingState(rawValue: qaStatus), qualities: ["360p"]),
            ]),
        "k2": ObservedLiveKey(
            RemoteLiveKey(id: "k2", name: weekly, save: false),
            streamings: [
                RemoteStreaming(id: "s3", title: "Main", save: true, state: StreamingState(rawValue: weeklyStatus))
            ]),
    ]
}

private let keyUpdate = ResourceChange(
    address: "live_stream.townhall", action: .update, remoteID: "k1",
    attributes: [AttributeChange(name: "name", before: "Town Hall", after: "Town Hall 2")], fields: [.name],
    desired: .liveKey(DesiredLiveKey(address: "live_stream.townhall", name: "Town Hall 2", save: true)))
private let newStreaming = ResourceChange(address: "live_stream.townhall.streaming.recap", action: .create, parentID: "k1")
private let streamingUpdate = ResourceChange(
    address: "live_stream.townhall.streaming.qa", action: .update, remoteID: "s2",
    parentID: "k1")
private let keyDelete = ResourceChange(address: "live_stream.weekly", action: .delete, remoteID: "k2")

/// A live change's fingerprint, by its kind's planner.
private func fingerprint(_ change: ResourceChange, registry: RegistryEntries, keys: [String: ObservedLiveKey])
    -> RemoteFingerprint
{
    Planner.planner(for: change.kind).fingerprint(change, Observation(registry: registry, liveKeys: keys))
}

@Suite("saved plans: live fingerprints")
struct SavedLivePlanTests {
    func differences(
        _ change: ResourceChange, before: [String: ObservedLiveKey], after: [String: ObservedLiveKey],
        registryAfter: RegistryEntries = registry
    ) -> [String] {
        fingerprint(change, registry: registry, keys: before)
            .differences(fingerprint(change, registry: registryAfter, keys: after))
    }

    @Test("a touched key renamed is named with how it changed; another key's change is not")
    func keyRenamed() {
        #expect(
            differences(keyUpdate, before: keys(), after: keys(townhall: "By hand"))
                == ["live_stream.townhall (id k1): name changed from \"Town Hall\" to \"By hand\""])
        #expect(differences(keyUpdate, before: keys(), after: keys(weekly: "Other", weeklyStatus: "streaming")).isEmpty)
        // A key update does not depend on broadcasting.
        #expect(differences(keyUpdate, before: keys(), after: keys(qaStatus: "streaming")).isEmpty)
        #expect(
            differences(keyUpdate, before: keys(), after: ["k2": keys()["k2"]!])
                == ["live_stream.townhall (id k1) was deleted since the plan"])
    }

    @Test("a streaming create holds while the registry names none and its key stays; untouched streamings do not matter")
    func streamingCreate() {
        let seen = fingerprint(newStreaming, registry: registry, keys: keys())
        #expect(seen.exists == false && seen.fields == ["key_id": "k1"])
        #expect(differences(newStreaming, before: keys(), after: keys(kickoff: "Retitled", qaStatus: "ended")).isEmpty)
        var created = registry
        created.entries["live_stream.townhall.streaming.recap"] = "pending:1700000000"
        #expect(
            differences(newStreaming, before: keys(), after: keys(), registryAfter: created)
                == ["live_stream.townhall.streaming.recap: registry_entry changed from nothing to \"pending:1700000000\""])
        var gone = registry
        gone.entries["live_stream.townhall"] = nil
        #expect(
            differences(newStreaming, before: keys(), after: keys(), registryAfter: gone)
                == ["live_stream.townhall.streaming.recap: key_id changed from \"k1\" to nothing"])
    }

    @Test(
        "a streaming update depends on its title, save, qualities (and status, when it changes them); a key create on the registry"
    )
    func streamingUpdateAndKeyCreate() {
        // The update names the streaming: a newer one does not make it stale.
        var newer = keys()
        newer["k1"]!.streamings.append(RemoteStreaming(id: "s9", title: "Unmanaged", save: false))
        #expect(differences(streamingUpdate, before: keys(), after: newer).isEmpty)
        #expect(differences(streamingUpdate, before: keys(), after: keys(kickoff: "Other")).isEmpty)
        #expect(differences(streamingUpdate, before: keys(qaStatus: "streaming"), after: keys(qaStatus: "ended")).isEmpty)
        var qualities = streamingUpdate
        qualities.fields = [.qualities]
        #expect(
            differences(qualities, before: keys(qaStatus: "streaming"), after: keys(qaStatus: "ended"))
                == ["live_stream.townhall.streaming.qa (id s2): status changed from \"streaming\" to \"ended\""])

        let create = ResourceChange(address: "live_stream.new", action: .create)
        let seen = fingerprint(create, registry: registry, keys: keys())
        #expect(seen.exists == false && seen.fields.isEmpty)
        var registered = registry
        registered.entries["live_stream.new"] = "k1"
        #expect(
            seen.differences(fingerprint(create, registry: registered, keys: keys()))
                == ["live_stream.new was created since the plan (now id k1); the plan would create a second one"])
    }

    @Test("a key delete is stale once the key broadcasts")
    func deleteBroadcasting() {
        #expect(
            differences(keyDelete, before: keys(), after: keys(weeklyStatus: "streaming"))
                == ["live_stream.weekly (id k2): broadcasting changed from \"false\" to \"true\""])
        #expect(fingerprint(keyDelete, registry: registry, keys: keys()).fields["streamings"] == "s3")
    }

    @Test("a saved plan keeps each typed change with its desired value and fingerprint; a format 1 file is refused")
    func roundTrip() throws {
        let streaming = DesiredStreaming(
            address: "live_stream.townhall.streaming.recap", title: "Recap", save: false,
            qualities: ["720p"])
        var create = newStreaming
        create.desired = .streaming(streaming)
        var update = keyUpdate
        update.fingerprint = fingerprint(keyUpdate, registry: registry, keys: keys())
        let plan = Plan(project: "demo", changes: [update, create])
        let saved = SavedPlan(plan: plan, partial: nil, manifestsDigest: "abc", directory: "/work")
        let data = try saved.encoded()
        let back = try SavedPlan.decode(data, path: "plan.json")
        #expect(back == saved)
        let resolved = try back.resolvedPlan(directory: "/elsewhere")
        #expect(resolved.changes.map(\.desired) == [update.desired, .streaming(streaming)])
        #expect(resolved.changes.map(\.fields) == [[.name], []])
        #expect(resolved.changes.first?.fingerprint == update.fingerprint)
        #expect(resolved.changes.first?.attributes == update.attributes)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["format_version"] = 1
        #expect(throws: SavedPlanError.self) {
            try SavedPlan.decode(try JSONSerialization.data(withJSONObject: object), path: "old.json")
        }
    }
}
