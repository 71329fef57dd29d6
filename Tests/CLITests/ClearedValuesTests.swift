import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Clearing a value (`tags: []`, no description, fewer metadata entries) on a server that keeps it:
/// apply says so once, and the next plans note it rather than planning the same update forever.
@Suite("values the service keeps when asked to clear them", .gated, .eachGeneration, .namingGeneration)
struct ClearedValuesTests {
    static func manifest(_ workspace: TestWorkspace, tags: String, description: String?, metadata: String) throws {
        try workspace.manifest(
            """
            videos:
              intro:
                title: Intro
                source: media/intro.mp4
            \(description.map { "    description: \($0)\n" } ?? "")    tags: \(tags)
                metadata: \(metadata)
            """)
    }

    @Test("a kept tag list, description and metadata entry are warned about once, then noted, never re-planned")
    func keptValues() async throws {
        try await TestWorkspace.with(project: "clearing") { workspace in
            try workspace.media("intro.mp4", size: 4000)
            try Self.manifest(workspace, tags: "[a, b]", description: "first", metadata: "{k: v, x: y}")
            var configuration = SandboxConfiguration()
            configuration.keepsClearedValues = true
            try await TestSandbox.with(configuration) { sandbox in
                let apply = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(apply.status == 0, "\(apply.stderr)")

                try Self.manifest(workspace, tags: "[]", description: nil, metadata: "{k: v}")
                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(plan.stdout.contains("~ video.intro"), "\(plan.stdout)")
                let cleared = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(cleared.status == 0, "\(cleared.stderr)")
                #expect(
                    cleared.stderr.contains("warning: video.intro: AIOZ Stream kept tags [a, b] when asked to clear it"),
                    "\(cleared.stderr)")
                #expect(cleared.stderr.contains("kept the description"), "\(cleared.stderr)")
                #expect(cleared.stderr.contains("kept metadata {x: y, k: v} when asked to clear entries"), "\(cleared.stderr)")

                // The server still holds them; the plan says why it does not ask again.
                let again = try await sandbox.streamplan(["plan", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
                #expect(again.stdout.contains("Note: video.intro: AIOZ Stream kept tags [a, b]"), "\(again.stdout)")
                #expect(again.stdout.contains("kept the description"), "\(again.stdout)")
                let json = try await sandbox.streamplan(["plan", "--format", "json", "."], in: workspace.directory)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
                #expect((document["notes"] as? [[String: Any]])?.count == 3)
                let markdown = try await sandbox.streamplan(["plan", "--format", "markdown", "."], in: workspace.directory)
                #expect(markdown.stdout.contains("**Notes**"), "\(markdown.stdout)")

                // New tags are a change again, and no longer a note.
                try Self.manifest(workspace, tags: "[c]", description: nil, metadata: "{k: v}")
                let retag = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(retag.stdout.contains("tags:"), "\(retag.stdout)")
                #expect(!retag.stdout.contains("Note: video.intro: AIOZ Stream kept tags"), "\(retag.stdout)")
            }
        }
    }

    @Test("on a server that clears, nothing is noted and the values are gone")
    func clearedValues() async throws {
        try await TestWorkspace.with(project: "clearing") { workspace in
            try workspace.media("intro.mp4", size: 4000)
            try Self.manifest(workspace, tags: "[a, b]", description: "first", metadata: "{k: v, x: y}")
            try await TestSandbox.with { sandbox in
                #expect(try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory).status == 0)
                try Self.manifest(workspace, tags: "[]", description: nil, metadata: "{k: v}")
                let cleared = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(cleared.status == 0, "\(cleared.stderr)")
                #expect(!cleared.stderr.contains("warning:"), "\(cleared.stderr)")
                let video = try #require(try await sandbox.projectVideos("clearing").first)
                #expect(video.tags.isEmpty)
                #expect(video.description == "")
                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(plan.stdout.hasPrefix("No changes."), "\(plan.stdout)")
                #expect(!plan.stdout.contains("Note:"), "\(plan.stdout)")
            }
        }
    }
}
