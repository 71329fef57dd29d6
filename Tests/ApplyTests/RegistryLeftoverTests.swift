import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// A registry entry naming an object that is gone (issue 26: an apply killed between the service's
/// delete and the registry's update, the crash points `*-after-delete`): the next plan removes only
/// the entry (a mark-only delete, no `--allow-delete` needed), and nothing is left naming what is gone.
private struct Leftover {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (Leftover) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in
            try workspace.media("logo.png", size: 300, seed: 3)
            try await body(Leftover(workspace: workspace))
        }
    }

    func applier(allowDelete: Bool) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.parallelism = 1
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier(allowDelete: false).plan(try workspace.load()) }

    func apply(allowDelete: Bool = false) async throws {
        let applier = applier(allowDelete: allowDelete)
        let outcomes = try await applier.apply(try await applier.plan(try workspace.load()))
        for outcome in outcomes where !outcome.succeeded { throw TestFailure("\(outcome.address): \(outcome.error ?? "")") }
    }

    func registry() async throws -> RegistryEntries {
        await (try Registry.load(project: workspace.project, provider: provider)).entries
    }

    /// The plan holds exactly one change, a mark-only delete of `address`; applying it without
    /// `--allow-delete` removes the entry, and the plan is then empty.
    func expectForgotten(_ address: String) async throws {
        let plan = try await plan()
        #expect(plan.changes.map(\.address.description) == [address], "\(plan.changes)")
        let change = try #require(plan.changes.first)
        #expect(change.action == .delete && change.isMarkOnly && !plan.isDestructive)
        #expect(PlanTextRenderer().render(plan).contains("only the registry entry is removed"))
        try await apply()
        #expect(try await registry().entry(try #require(Address(parsing: address))) == nil)
        #expect(!(try await self.plan()).hasChanges)
    }
}

private let webhook = """
    webhooks:
      encoded:
        name: Encoding done
        url: https://hooks.example.com/encoded
        events: [encoding_finished]

    """

private let live = """
    live_streams:
      townhall:
        name: Town Hall
        streamings:
          kickoff: {title: Kickoff}

    """

private let players = """
    players:
      brand:
        name: Brand
        theme: {main_color: "#ff6600"}
        logo: {image: media/logo.png, link: https://example.com}

    """

@Suite("a registry entry naming an object that is gone")
struct RegistryLeftoverTests {
    @Test("a webhook deleted before the registry forgot it: only the entry is removed")
    func webhookGone() async throws {
        try await Leftover.with { engine in
            try engine.workspace.manifest(webhook)
            try await engine.apply()
            let id = try #require(try await engine.registry().id(Address(.webhook, "encoded")))
            try engine.workspace.manifest("videos: {}\n")
            try await engine.provider.deleteWebhook(id: id)
            try await engine.expectForgotten("webhook.encoded")
        }
    }

    @Test("a player deleted before the registry forgot it (and its logo's entry): only the entries are removed")
    func playerGone() async throws {
        try await Leftover.with { engine in
            try engine.workspace.manifest(players)
            try await engine.apply()
            let address = Address(.player, "brand")
            let id = try #require(try await engine.registry().id(address))
            #expect(try await engine.registry().entry(DesiredPlayer.logoEntry(address)) != nil)
            try engine.workspace.manifest("videos: {}\n")
            try await engine.provider.deletePlayer(id: id)
            try await engine.expectForgotten("player.brand")
            #expect(try await engine.registry().entry(DesiredPlayer.logoEntry(address)) == nil)
        }
    }

    @Test("a streaming deleted before the registry forgot it: only its entry is removed, the key stays")
    func streamingGone() async throws {
        try await Leftover.with { engine in
            try engine.workspace.manifest(
                live.replacingOccurrences(of: "{title: Kickoff}", with: "{title: Kickoff}\n      later: {title: Later}"))
            try await engine.apply()
            let key = try #require(await engine.provider.allKeys.first)
            let later = try #require(try await engine.registry().id(Address(parsing: "live_stream.townhall.streaming.later")!))
            try engine.workspace.manifest(live)
            try await engine.provider.deleteStreaming(keyID: key.id, id: later)
            try await engine.expectForgotten("live_stream.townhall.streaming.later")
            #expect(await engine.provider.allKeys.map(\.id) == [key.id])
            #expect(await engine.provider.streamingsOf(key.id).count == 1)
        }
    }

    @Test("a live stream key deleted before the registry forgot it: its entry and its streamings' are removed")
    func keyGone() async throws {
        try await Leftover.with { engine in
            try engine.workspace.manifest(live)
            try await engine.apply()
            let key = try #require(await engine.provider.allKeys.first)
            try engine.workspace.manifest("videos: {}\n")
            try await engine.provider.deleteLiveKey(id: key.id)
            try await engine.expectForgotten("live_stream.townhall")
            #expect(try await engine.registry().entries.isEmpty)
        }
    }
}
