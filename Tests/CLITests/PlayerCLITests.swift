import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Player themes through the CLI against the sandbox.
@Suite("player themes through the CLI", .gated, .serialized, .eachGeneration, .namingGeneration)
struct PlayerCLITests {
    static func manifest(
        _ workspace: TestWorkspace, color: String = "#ff6600", players: Bool = true, a: String? = "brand",
        b: String? = "brand", second: Bool = false
    ) throws {
        var yaml = ""
        if players {
            yaml += """
                players:
                  brand:
                    name: Brand player
                    theme: {main_color: "\(color)", text_color: "#ffffff", control_bar_height: 40px}
                    controls: {enable_controls: true, force_autoplay: false}
                    logo: {image: media/logo.png, link: https://example.com}

                """
            if second { yaml += "  night:\n    theme: {main_color: \"#000000\"}\n" }
        }
        yaml += "videos:\n"
        for (name, player) in [("a", a), ("b", b)] {
            yaml += "  \(name):\n    title: \(name.uppercased())\n    source: media/\(name).mp4\n"
            if let player { yaml += "    player: \(player)\n" }
        }
        try workspace.manifest(yaml)
    }

    @Test(
        "a player with a logo and two videos: apply, No changes., one colour update, switch and unassign, delete",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await TestWorkspace.with(project: "themed") { workspace in
            try workspace.media("a.mp4", size: 3000, seed: 1)
            try workspace.media("b.mp4", size: 3000, seed: 2)
            try workspace.media("logo.png", size: 200, seed: 3)
            try Self.manifest(workspace)
            try await TestSandbox.with { sandbox in
                func run(_ arguments: [String]) async throws -> CLIResult {
                    try await sandbox.streamplan(arguments, in: workspace.directory)
                }
                let first = try await run(["plan", "--no-cost", "."])
                #expect(first.stdout.contains("player.brand"), "\(first.stdout)")
                #expect(first.stdout.contains("theme.main_color"), "\(first.stdout)")
                let applied = try await run(["apply", "--auto-approve", "."])
                #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
                let players = try await sandbox.client.allPlayerThemes()
                #expect(players.map(\.name) == ["Brand player"])
                let brand = try #require(players.first)
                #expect(brand.theme["main_color"] == "#ff6600" && brand.logoLink == "https://example.com")
                #expect(!(brand.logoImageLink ?? "").isEmpty)
                let videos = try await sandbox.projectVideos("themed")
                #expect(videos.count == 2 && videos.allSatisfy { $0.playerThemeID == brand.id }, "\(videos)")
                // Videos that use a player carry no new marks.
                #expect(videos.allSatisfy { !$0.metadata.contains { $0.key.contains("player") } })

                let again = try await run(["plan", "--no-cost", "--detailed-exitcode", "."])
                #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")

                // One colour: one update of the player, field by field; nothing else.
                try Self.manifest(workspace, color: "#00ff00")
                let colour = try await run(["plan", "--no-cost", "--format", "json", "."])
                let document = try #require(try JSONSerialization.jsonObject(with: Data(colour.stdout.utf8)) as? [String: Any])
                let changes = try #require(document["changes"] as? [[String: Any]])
                #expect(changes.count == 1)
                #expect(changes.first?["action"] as? String == "update" && changes.first?["kind"] as? String == "player")
                let attributes = changes.first?["attributes"] as? [[String: Any]]
                #expect(attributes?.map { $0["name"] as? String } == ["theme.main_color"])
                let markdown = try await run(["plan", "--no-cost", "--format", "markdown", "."])
                #expect(
                    markdown.stdout.contains("player.brand") && markdown.stdout.contains(#"theme.main\_color"#),
                    "\(markdown.stdout)"
                )
                #expect(try await run(["apply", "--auto-approve", "."]).status == 0)
                #expect(try await sandbox.client.getPlayerTheme(id: brand.id).theme["main_color"] == "#00ff00")

                // Video a to another player, video b to none.
                try Self.manifest(workspace, color: "#00ff00", a: "night", b: nil, second: true)
                let switched = try await run(["plan", "--no-cost", "."])
                #expect(switched.stdout.contains("player.night"), "\(switched.stdout)")
                #expect(switched.stdout.contains("\"brand\" -> \"night\""), "\(switched.stdout)")
                #expect(switched.stdout.contains("\"brand\" -> \"(none)\""), "\(switched.stdout)")
                #expect(try await run(["apply", "--auto-approve", "."]).status == 0)
                let night = try #require(try await sandbox.client.allPlayerThemes().first { $0.name == "night" })
                let byTitle = Dictionary(uniqueKeysWithValues: try await sandbox.projectVideos("themed").map { ($0.title, $0) })
                #expect(byTitle["A"]?.playerThemeID == night.id)
                #expect(byTitle["B"]?.playerThemeID == "")
                #expect(try await run(["plan", "--no-cost", "--detailed-exitcode", "."]).status == 0)

                // No players at all: the videos lose theirs first, then the players go (with --allow-delete).
                try Self.manifest(workspace, players: false, a: nil, b: nil)
                let refused = try await run(["apply", "--auto-approve", "."])
                #expect(refused.status != 0, "\(refused.stdout)")
                let deleted = try await run(["apply", "--auto-approve", "--allow-delete", "."])
                #expect(deleted.status == 0, "\(deleted.stdout)\(deleted.stderr)")
                #expect(try await sandbox.client.allPlayerThemes().isEmpty)
                #expect(try await sandbox.projectVideos("themed").allSatisfy { $0.playerThemeID == "" })
                #expect(try await run(["plan", "--no-cost", "--detailed-exitcode", "."]).status == 0)
            }
        }
    }

    @Test(
        "a saved plan is refused when its player changed by hand; a player made by hand is left alone",
        .timeLimit(.minutes(10)))
    func savedPlanAndUnmanaged() async throws {
        try await TestWorkspace.with(project: "themed") { workspace in
            try workspace.media("a.mp4", size: 3000, seed: 1)
            try workspace.media("b.mp4", size: 3000, seed: 2)
            try workspace.media("logo.png", size: 200, seed: 3)
            try Self.manifest(workspace)
            try await TestSandbox.with { sandbox in
                func run(_ arguments: [String]) async throws -> CLIResult {
                    try await sandbox.streamplan(arguments, in: workspace.directory)
                }
                let handMade = try await sandbox.client.createPlayerTheme(
                    PlayerThemeRequest(name: "Brand player", theme: ["main_color": "#123456"]))
                #expect(try await run(["apply", "--auto-approve", "."]).status == 0)
                try Self.manifest(workspace, color: "#00ff00")
                let saved = try await run(["plan", "--no-cost", "--out", "plan.json", "."])
                #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
                let (schemaStatus, schemaOutput) = try await ToolRun.runOffPool(
                    "python3", ["scripts/check-plan-schema.py", workspace.directory + "/plan.json"])
                #expect(schemaStatus == 0, "\(schemaOutput)")
                let managed = try #require(try await sandbox.client.allPlayerThemes().first { $0.id != handMade.id })
                try await sandbox.client.updatePlayerTheme(id: managed.id, PlayerThemeRequest(theme: ["text_color": "#000000"]))
                let stale = try await run(["apply", "plan.json"])
                #expect(stale.status == 3, "\(stale.stdout)\(stale.stderr)")
                #expect(stale.stderr.contains("theme.text_color changed"), "\(stale.stderr)")
                // The hand-made player of the same name was never touched.
                let untouched = try await sandbox.client.getPlayerTheme(id: handMade.id)
                #expect(untouched.theme["main_color"] == "#123456" && untouched.name == "Brand player")
                try Self.manifest(workspace, players: false, a: nil, b: nil)
                #expect(try await run(["apply", "--auto-approve", "--allow-delete", "."]).status == 0)
                #expect(try await sandbox.client.allPlayerThemes().map(\.id) == [handMade.id])
            }
        }
    }
}
