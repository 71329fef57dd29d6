import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The account's default player theme (`default:` on a player) through the CLI against the sandbox.
@Suite("the default player through the CLI", .gated, .serialized)
struct PlayerDefaultCLITests {
    static func manifest(_ workspace: TestWorkspace, brand: Bool?, night: Bool? = nil) throws {
        var yaml = "players:\n  brand:\n    name: Brand\n"
        if let brand { yaml += "    default: \(brand)\n" }
        yaml += "  night:\n    name: Night\n"
        if let night { yaml += "    default: \(night)\n" }
        try workspace.manifest(yaml)
    }

    @Test(
        "a default made by hand is left alone until the manifests ask for one; then the plan names it, and apply moves it",
        .timeLimit(.minutes(10)))
    func defaultPlayer() async throws {
        try await TestWorkspace.with(project: "defaults") { workspace in
            try await TestSandbox.with { sandbox in
                func run(_ arguments: [String]) async throws -> CLIResult {
                    try await sandbox.streamplan(arguments, in: workspace.directory)
                }
                func defaults() async throws -> [String] {
                    try await sandbox.client.allPlayerThemes().filter(\.isDefault).map(\.name)
                }
                // The account's default, made on the dashboard: not streamplan's.
                let made = try await sandbox.api.send(.POST, "/players", json: #"{"name":"Dashboard","is_default":true}"#)
                #expect(made.status == 201, "\(made.json)")

                try Self.manifest(workspace, brand: nil, night: false)
                let applied = try await run(["apply", "--auto-approve", "."])
                #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
                #expect(!applied.stdout.contains("previous default"), "\(applied.stdout)")
                #expect(try await defaults() == ["Dashboard"])
                let again = try await run(["plan", "--detailed-exitcode", "."])
                #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")

                // The manifests ask for brand: one update, which says that Dashboard stops being the default.
                try Self.manifest(workspace, brand: true, night: false)
                let plan = try await run(["plan", "--detailed-exitcode", "--out", "default.plan", "."])
                #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
                #expect(plan.stdout.contains("player.brand"), "\(plan.stdout)")
                #expect(plan.stdout.contains("default:"), "\(plan.stdout)")
                #expect(plan.stdout.contains("Dashboard") && plan.stdout.contains("stops being the default"), "\(plan.stdout)")
                #expect(plan.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), "\(plan.stdout)")
                let json = try await run(["plan", "--format", "json", "."])
                #expect(json.stdout.contains("stops being the account's default player theme"), "\(json.stdout)")
                // The saved plan carries the change.
                let saved = try await run(["apply", "default.plan"])
                #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
                #expect(try await defaults() == ["Brand"])
                let settled = try await run(["plan", "--detailed-exitcode", "."])
                #expect(settled.status == 0 && settled.stdout.contains("No changes."), "\(settled.stdout)\(settled.stderr)")

                // Moving it to night: brand gives it up through the service, and nothing fights back.
                try Self.manifest(workspace, brand: nil, night: true)
                #expect(try await run(["apply", "--auto-approve", "."]).status == 0)
                #expect(try await defaults() == ["Night"])
                let still = try await run(["plan", "--detailed-exitcode", "."])
                #expect(still.status == 0 && still.stdout.contains("No changes."), "\(still.stdout)\(still.stderr)")
            }
        }
    }

    @Test("two players with default: true: validate names both positions")
    func twoDefaults() async throws {
        try await TestWorkspace.with(project: "defaults") { workspace in
            try Self.manifest(workspace, brand: true, night: true)
            let result = try await streamplan(["validate", "."], in: workspace.directory)
            let output = result.stdout + result.stderr
            #expect(result.status != 0)
            #expect(
                output.contains(
                    "./streamplan.yaml:8:14: error: player.night has default: true, but player.brand is already the default "
                        + "(./streamplan.yaml:5:14)"), "\(output)")
        }
    }
}
