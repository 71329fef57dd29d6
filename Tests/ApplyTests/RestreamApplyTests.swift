import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import Testing

/// The restream kind against the in-memory provider: create, replace on a new stream key, delete of
/// only what streamplan recorded, a lost answer.
private struct Relay {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (Relay) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in try await body(Relay(workspace: workspace)) }
    }

    func applier(allowDelete: Bool = false) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan(key: String) async throws -> Plan {
        try await WebhookURL.$environmentOverride.withValue(["RELAY_KEY": key]) {
            try await applier().plan(try workspace.load())
        }
    }

    @discardableResult
    func apply(key: String, allowDelete: Bool = false) async throws -> [ApplyOutcome] {
        try await WebhookURL.$environmentOverride.withValue(["RELAY_KEY": key]) {
            let applier = applier(allowDelete: allowDelete)
            return try await applier.apply(try await applier.plan(try workspace.load()))
        }
    }

    func keyID() async throws -> String {
        try #require(try await provider.liveKeys(named: "Town Hall").first?.id)
    }

    func registry() async throws -> RegistryEntries {
        await (try Registry.load(project: workspace.project, provider: provider)).entries
    }
}

private func yaml(restream: Bool = true) -> String {
    var text = "live_streams:\n  townhall:\n    name: Town Hall\n"
    if restream { text += "    restream:\n      youtube:\n        url: rtmp://a.rtmp.youtube.com/live2/${RELAY_KEY}\n" }
    return text
}

private let first = "rtmp://a.rtmp.youtube.com/live2/key-one-0123456789"
private let second = "rtmp://a.rtmp.youtube.com/live2/key-two-9876543210"
private let foreign = "rtmp://live.twitch.tv/app/someone-elses-0123456789"

@Suite("restream destinations applied")
struct RestreamApplyTests {
    @Test("created with its key; the registry records the URL's hash; then no changes")
    func create() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml())
            let plan = try await relay.plan(key: "key-one-0123456789")
            #expect(plan.changes.map(\.address.description) == ["live_stream.townhall", "live_stream.townhall.restream.youtube"])
            let outcomes = try await relay.apply(key: "key-one-0123456789")
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let keyID = try await relay.keyID()
            #expect(await relay.provider.restreamsOf(keyID) == [first])
            #expect(try await relay.registry().id("live_stream.townhall.restream.youtube") == DesiredRestream.urlHash(first))
            #expect(!(try await relay.plan(key: "key-one-0123456789")).hasChanges)
        }
    }

    @Test("a new stream key is a replace (needs --allow-delete); a destination streamplan did not make stays")
    func replace() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml())
            try await relay.apply(key: "key-one-0123456789")
            let keyID = try await relay.keyID()
            await relay.provider.addForeignRestream(keyID: keyID, foreign)
            let plan = try await relay.plan(key: "key-two-9876543210")
            #expect(plan.changes.map(\.action) == [.replace])
            #expect(plan.changes.first?.attributes.first?.after == "rtmp://a.rtmp.youtube.com/live2/*** (stream key changed)")
            let outcomes = try await relay.apply(key: "key-two-9876543210", allowDelete: true)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            #expect(Set(await relay.provider.restreamsOf(keyID)) == [foreign, second])
            #expect(!(try await relay.plan(key: "key-two-9876543210")).hasChanges)
        }
    }

    @Test("left the manifests: only the recorded destination is removed; the foreign one is added back")
    func delete() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml())
            try await relay.apply(key: "key-one-0123456789")
            let keyID = try await relay.keyID()
            await relay.provider.addForeignRestream(keyID: keyID, foreign)
            try relay.workspace.manifest(yaml(restream: false))
            let plan = try await relay.plan(key: "key-one-0123456789")
            #expect(plan.changes.map(\.action) == [.delete])
            #expect(plan.isDestructive)
            let outcomes = try await relay.apply(key: "key-one-0123456789", allowDelete: true)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            #expect(await relay.provider.restreamsOf(keyID) == [foreign])
            #expect(try await relay.registry().entry("live_stream.townhall.restream.youtube") == nil)
            #expect(!(try await relay.plan(key: "key-one-0123456789")).hasChanges)
        }
    }

    @Test("a moved key takes its destination with it: no change to the destination, the registry entry renamed")
    func movedKey() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml())
            try await relay.apply(key: "key-one-0123456789")
            try relay.workspace.manifest(
                yaml().replacingOccurrences(of: "  townhall:", with: "  hall:")
                    + "moved:\n  - {from: live_stream.townhall, to: live_stream.hall}\n")
            let plan = try await relay.plan(key: "key-one-0123456789")
            #expect(plan.changes.map(\.action) == [.move], "\(plan.changes.map(\.address))")
            let outcomes = try await relay.apply(key: "key-one-0123456789")
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let registry = try await relay.registry()
            #expect(registry.id("live_stream.hall.restream.youtube") == DesiredRestream.urlHash(first))
            #expect(registry.entry("live_stream.townhall.restream.youtube") == nil)
            #expect(await relay.provider.restreamsOf(try await relay.keyID()) == [first])
            #expect(!(try await relay.plan(key: "key-one-0123456789")).hasChanges)
        }
    }

    @Test("were the service's add to replace the list, the other destinations are sent back at once")
    func addThatReplaces() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml(restream: false))
            try await relay.apply(key: "key-one-0123456789")
            let keyID = try await relay.keyID()
            await relay.provider.addForeignRestream(keyID: keyID, foreign)
            await relay.provider.setRestreamAddReplaces(true)
            try relay.workspace.manifest(yaml())
            let outcomes = try await relay.apply(key: "key-one-0123456789")
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            #expect(await relay.provider.restreamsOf(keyID) == [foreign, first])
        }
    }

    @Test("a lost answer to the add: the URL is on the key, so it is recorded; an unrecorded URL is adopted by the next plan")
    func lostAnswer() async throws {
        try await Relay.with { relay in
            try relay.workspace.manifest(yaml())
            await relay.provider.inject(.lostAnswer, on: .addRestreams)
            let outcomes = try await relay.apply(key: "key-one-0123456789")
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let keyID = try await relay.keyID()
            #expect(await relay.provider.restreamsOf(keyID) == [first])
            #expect(!(try await relay.plan(key: "key-one-0123456789")).hasChanges)
        }
    }
}
