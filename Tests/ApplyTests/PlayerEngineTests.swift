import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// Player themes through the engine, against the in-memory provider.
private struct PlayerEngine {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (PlayerEngine) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in
            try workspace.media("a.mp4", size: 10_000, seed: 1)
            try workspace.media("b.mp4", size: 10_000, seed: 2)
            try workspace.media("logo.png", size: 300, seed: 3)
            try workspace.media("logo2.png", size: 300, seed: 4)
            try await body(PlayerEngine(workspace: workspace))
        }
    }

    func applier(allowDelete: Bool = false) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.partSize = 4096
        options.partConcurrency = 1
        options.parallelism = 1
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier().plan(try workspace.load()) }

    @discardableResult
    func apply(allowDelete: Bool = false) async throws -> [ApplyOutcome] {
        let applier = applier(allowDelete: allowDelete)
        let outcomes = try await applier.apply(try await applier.plan(try workspace.load()))
        for outcome in outcomes where !outcome.succeeded { throw TestFailure("\(outcome.address): \(outcome.error ?? "")") }
        return outcomes
    }

    func registry() async throws -> RegistryEntries {
        await (try Registry.load(project: workspace.project, provider: provider)).entries
    }

    func video(_ name: String) async -> RemoteVideo? {
        await provider.allVideos.first { $0.mark(OwnershipMark.address) == "video.\(name)" }
    }

    func index(_ operation: InMemoryProvider.Operation) async -> Int? {
        await provider.calls.firstIndex { $0.operation == operation }
    }
}

private func manifest(color: String = "#ff6600", logo: String? = "logo.png", players: String? = nil, a: String? = "brand")
    -> String
{
    var yaml =
        players ?? """
            players:
              brand:
                name: Brand player
                theme: {main_color: "\(color)", control_bar_height: 40px}
                controls: {force_autoplay: false}

            """
    if players == nil, let logo {
        yaml += "    logo: {image: media/\(logo), link: https://example.com}\n"
    }
    yaml += "videos:\n  a:\n    title: A\n    source: media/a.mp4\n"
    if let a { yaml += "    player: \(a)\n" }
    yaml += "  b:\n    title: B\n    source: media/b.mp4\n    player: brand\n"
    return yaml
}

@Suite("player themes: the engine against an in-memory provider")
struct PlayerEngineTests {
    @Test("the player and its logo first, then the videos, each given the player after its create; a re-plan is empty")
    func create() async throws {
        try await PlayerEngine.with { engine in
            try engine.workspace.manifest(manifest())
            let outcomes = try await engine.apply()
            #expect(outcomes.map(\.address.description) == ["player.brand", "video.a", "video.b"])
            let player = try #require(await engine.provider.allPlayers.first)
            #expect(player.name == "Brand player" && player.theme["main_color"] == "#ff6600")
            #expect(player.logoLink == "https://example.com")
            let registry = try await engine.registry()
            #expect(registry.id("player.brand") == player.id)
            #expect(
                registry.entry(DesiredPlayer.logoEntry("player.brand")) == "sha256:" + (try engine.workspace.fileHash("logo.png"))
            )
            #expect(await engine.video("a")?.playerID == player.id)
            #expect(await engine.video("b")?.playerID == player.id)
            let logo = try #require(await engine.index(.uploadLogo))
            let firstVideo = try #require(
                await engine.provider.calls.firstIndex { $0.operation == .createVideo && $0.subject == "A" })
            let assign = try #require(await engine.index(.addPlayer))
            let lastUpload = try #require(await engine.provider.calls.lastIndex { $0.operation == .finishUpload })
            #expect(logo < firstVideo && firstVideo < assign && assign < lastUpload)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a colour change PATCHes only the theme; a new logo image is uploaded again; a dropped logo is removed")
    func update() async throws {
        try await PlayerEngine.with { engine in
            try engine.workspace.manifest(manifest())
            try await engine.apply()
            try engine.workspace.manifest(manifest(color: "#000000"))
            let plan = try await engine.plan()
            #expect(plan.changes.map { "\($0.action) \($0.address)" } == ["update player.brand"])
            try await engine.apply()
            #expect(
                await engine.provider.playerUpdates.last
                    == PlayerWrite(theme: ["main_color": "#000000", "control_bar_height": "40px"]))
            try engine.workspace.manifest(manifest(color: "#000000", logo: "logo2.png"))
            #expect(try await engine.plan().changes.first?.fields == [.logo])
            await engine.provider.resetCalls()
            try await engine.apply()
            #expect(
                await engine.provider.calls.map(\.operation).filter { $0 == .uploadLogo || $0 == .updatePlayer } == [.uploadLogo])
            try engine.workspace.manifest(manifest(color: "#000000", logo: nil))
            try await engine.apply()
            #expect(await engine.provider.allPlayers.first?.hasLogo == false)
            #expect(try await engine.registry().entry(DesiredPlayer.logoEntry("player.brand")) == nil)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a video without player: loses only the project's player; a player set by hand is left alone")
    func unassign() async throws {
        try await PlayerEngine.with { engine in
            try engine.workspace.manifest(manifest())
            try await engine.apply()
            try engine.workspace.manifest(manifest(a: nil))
            let plan = try await engine.plan()
            #expect(plan.changes.map { "\($0.action) \($0.address)" } == ["update video.a"])
            #expect(plan.changes.first?.attributes == [AttributeChange(name: "player", before: "brand", after: "(none)")])
            try await engine.apply()
            #expect(await engine.video("a")?.playerID == nil)
            #expect(!(try await engine.plan()).hasChanges)
            // Someone gives video a another player by hand: streamplan does not take it away.
            let id = try #require(await engine.video("a")?.id)
            let other = try await engine.provider.createPlayer(PlayerWrite(name: "Hand made"))
            await engine.provider.setPlayerOfVideo(id, other)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a removed player is deleted after its videos stop using it, and only with --allow-delete")
    func delete() async throws {
        try await PlayerEngine.with { engine in
            try engine.workspace.manifest(manifest())
            try await engine.apply()
            try engine.workspace.manifest(
                manifest(players: "players: {}\n", a: nil).replacingOccurrences(of: "    player: brand\n", with: ""))
            let plan = try await engine.plan()
            #expect(
                plan.changes.map { "\($0.action) \($0.address)" } == ["update video.a", "update video.b", "delete player.brand"])
            #expect(plan.isDestructive)
            await #expect(throws: ApplyError.self) { try await engine.applier().apply(plan) }
            await engine.provider.resetCalls()
            try await engine.apply(allowDelete: true)
            let removed = try #require(await engine.provider.calls.lastIndex { $0.operation == .removePlayer })
            let deleted = try #require(await engine.index(.deletePlayer))
            #expect(removed < deleted)
            #expect(await engine.provider.allPlayers.isEmpty)
            let registry = try await engine.registry()
            #expect(registry.entry("player.brand") == nil)
            #expect(registry.entry(DesiredPlayer.logoEntry("player.brand")) == nil)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a player create whose answer is lost is adopted by the next apply, not made twice")
    func lostCreate() async throws {
        try await PlayerEngine.with { engine in
            try engine.workspace.manifest(manifest())
            await engine.provider.inject(.lostAnswer, on: .createPlayer)
            let applier = engine.applier()
            let outcomes = try await applier.apply(try await applier.plan(try engine.workspace.load()))
            #expect(outcomes.first { $0.address == "player.brand" }?.succeeded == true)
            #expect(await engine.provider.allPlayers.count == 1)
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a player the registry does not name is never read, changed or deleted, even with the same name")
    func unmanaged() async throws {
        try await PlayerEngine.with { engine in
            let other = try await engine.provider.createPlayer(
                PlayerWrite(name: "Brand player", theme: ["main_color": "#123456"]))
            try engine.workspace.manifest(
                manifest(players: "players: {}\n", a: nil).replacingOccurrences(of: "    player: brand\n", with: ""))
            #expect(try await engine.plan().changes.allSatisfy { $0.kind == .video })
            try engine.workspace.manifest(manifest())
            let plan = try await engine.plan()
            #expect(plan.changes.first?.action == .create)
            try await engine.apply()
            let players = await engine.provider.allPlayers
            #expect(players.count == 2)
            #expect(players.first { $0.id == other }?.theme["main_color"] == "#123456")
        }
    }
}
