import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Drift: a video changed on the account while the manifests stayed as the last apply left them.
@Suite("drift: changes made outside streamplan", .gated, .eachGeneration, .namingGeneration)
struct DriftTests {
    static func manifest(_ workspace: TestWorkspace, title: String) throws {
        try workspace.manifest(
            """
            videos:
              intro:
                title: \(title)
                source: media/intro.mp4
                tags: [a]
            """)
    }

    @Test("a title edited on the account is drift in text, Markdown and JSON; a title edited in the manifests is not")
    func titleDrift() async throws {
        try await TestWorkspace.with(project: "drifting") { workspace in
            try workspace.media("intro.mp4", size: 3000)
            try Self.manifest(workspace, title: "Intro")
            try await TestSandbox.with { sandbox in
                #expect(try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory).status == 0)
                let video = try #require(try await sandbox.projectVideos("drifting").first)
                #expect(video.metadata.contains { $0.key == "streamplan.applied_sha256" })

                // Someone renames it by hand.
                let patched = try await sandbox.api.send(.PATCH, "/videos/\(video.id)", json: #"{"title":"Renamed by hand"}"#)
                #expect(patched.status == 200)
                let plan = try await sandbox.streamplan(["plan", "--no-cost", "."], in: workspace.directory)
                #expect(
                    plan.stdout.contains(
                        "# video.intro was changed outside streamplan: the manifests did not change since the last apply"),
                    "\(plan.stdout)")
                #expect(plan.stdout.contains("\"Renamed by hand\" -> \"Intro\""), "\(plan.stdout)")
                let json = try await sandbox.streamplan(["plan", "--no-cost", "--format", "json", "."], in: workspace.directory)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
                let change = try #require((document["changes"] as? [[String: Any]])?.first)
                #expect(change["drift"] as? Bool == true)
                let markdown = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--format", "markdown", "."], in: workspace.directory)
                #expect(markdown.stdout.contains("was changed outside streamplan; will be restored"), "\(markdown.stdout)")

                // Apply restores it, and the account matches again.
                #expect(try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory).status == 0)
                #expect(try await sandbox.projectVideos("drifting").first?.title == "Intro")

                // A change the manifests ask for is no drift.
                try Self.manifest(workspace, title: "Intro, second edition")
                let edited = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--format", "json", "."], in: workspace.directory)
                let editedDocument = try #require(
                    try JSONSerialization.jsonObject(with: Data(edited.stdout.utf8)) as? [String: Any])
                let editedChange = try #require((editedDocument["changes"] as? [[String: Any]])?.first)
                #expect(editedChange["action"] as? String == "update")
                #expect(editedChange["drift"] == nil)
            }
        }
    }
}
