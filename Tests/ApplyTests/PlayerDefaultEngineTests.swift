import Apply
import Foundation
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// The account's default player (`default:`) through the engine, against the in-memory provider.
@Suite("the default player: the engine against an in-memory provider")
struct PlayerDefaultEngineTests {
    static func applier(_ provider: InMemoryProvider, _ workspace: TestWorkspace) -> Applier {
        Applier(provider: provider, project: workspace.project, options: ApplyOptions(stateDirectory: workspace.stateDirectory))
    }

    static func apply(_ provider: InMemoryProvider, _ workspace: TestWorkspace) async throws {
        let applier = applier(provider, workspace)
        for outcome in try await applier.apply(try await applier.plan(try workspace.load())) where !outcome.succeeded {
            throw TestFailure("\(outcome.address): \(outcome.error ?? "")")
        }
    }

    @Test("a hand-made default is not read until a manifest asks for a default; then it moves, and stays put")
    func movesTheDefault() async throws {
        try await TestWorkspace.with { workspace in
            let provider = InMemoryProvider()
            let dashboard = try await provider.createPlayer(PlayerWrite(name: "Dashboard"))
            await provider.setDefaultPlayer(dashboard)

            try workspace.manifest("players:\n  brand: {name: Brand}\n")
            try await Self.apply(provider, workspace)
            // Not asked for: the account's default was never looked for, and is untouched.
            #expect(await provider.calls.filter { $0.operation == .listPlayers && $0.subject == "default" }.isEmpty)
            #expect(await provider.allPlayers.filter(\.isDefault).map(\.id) == [dashboard])

            try workspace.manifest("players:\n  brand: {name: Brand, default: true}\n")
            let plan = try await Self.applier(provider, workspace).plan(try workspace.load())
            let change = try #require(plan.changes.first)
            #expect(plan.changes.count == 1 && change.fields == [.isDefault])
            #expect(
                change.reasons == ["player theme \"Dashboard\" (\(dashboard)) stops being the account's default player theme"])
            try await Self.apply(provider, workspace)
            let brand = try #require(await provider.allPlayers.first { $0.name == "Brand" })
            #expect(await provider.allPlayers.filter(\.isDefault).map(\.id) == [brand.id])
            // The PATCH wrote is_default only (the name and theme had not changed).
            #expect(await provider.playerUpdates.last == PlayerWrite(isDefault: true))
            #expect(!(try await Self.applier(provider, workspace).plan(try workspace.load())).hasChanges)
        }
    }
}
