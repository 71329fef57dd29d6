import AIOZ
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// `ignore: [title]` end to end, and a saved plan that holds a move (issue 22).
@Suite("ignore and saved moves on the command line", .gated, .serialized)
struct IgnoreCLITests {
    static func manifest(_ workspace: TestWorkspace, name: String = "clip", ignore: Bool, moved: String = "") throws {
        try workspace.manifest(
            moved + """
                videos:
                  \(name):
                    title: Clip
                    source: media/clip.mp4
                    tags: [a]

                """ + (ignore ? "    ignore: [title]\n" : ""))
    }

    @Test(
        "a title changed on the dashboard: with ignore: [title], No changes and apply keeps it; without, an update back",
        .timeLimit(.minutes(10)))
    func ignoredTitle() async throws {
        try await TestWorkspace.with(project: "ignoring") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try Self.manifest(workspace, ignore: true)
            try await TestSandbox.with { sandbox in
                let created = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
                let video = try #require(try await sandbox.projectVideos("ignoring").first)
                #expect(video.title == "Clip")

                try await sandbox.client.updateVideo(id: video.id, VideoUpdateRequest(title: "Renamed on the dashboard"))
                let plan = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
                #expect(plan.stdout.hasPrefix("No changes."), "\(plan.stdout)")
                let apply = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                #expect(try await sandbox.projectVideos("ignoring").first?.title == "Renamed on the dashboard")

                // The same drift without ignore: the plan puts the manifests' title back.
                try Self.manifest(workspace, ignore: false)
                let unignored = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(unignored.status == 2, "\(unignored.stdout)\(unignored.stderr)")
                #expect(unignored.stdout.contains("\"Renamed on the dashboard\" -> \"Clip\""), "\(unignored.stdout)")
                #expect(
                    unignored.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."),
                    "\(unignored.stdout)")
                let restored = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
                let after = try #require(try await sandbox.projectVideos("ignoring").first)
                #expect(after.id == video.id)
                #expect(after.title == "Clip")
            }
        }
    }

    @Test(
        "plan --out with a moved: block, then apply plan.json: the video moves and keeps its id; the next plan has no changes",
        .timeLimit(.minutes(10)))
    func savedPlanMove() async throws {
        try await TestWorkspace.with(project: "saved-move") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try Self.manifest(workspace, name: "old", ignore: false)
            try await TestSandbox.with { sandbox in
                let created = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
                let video = try #require(try await sandbox.projectVideos("saved-move").first)

                try Self.manifest(workspace, name: "new", ignore: false, moved: "moved: [{from: video.old, to: video.new}]\n")
                let plan = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "--out", "plan.json", "."], in: workspace.directory)
                #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
                #expect(plan.stdout.contains("# video.old => video.new will be moved"), "\(plan.stdout)")
                #expect(
                    plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete. 1 to move."),
                    "\(plan.stdout)")
                let saved = try String(contentsOfFile: workspace.directory + "/plan.json", encoding: .utf8)
                #expect(saved.contains("\"kind\" : \"streamplan-saved-plan\""), "\(saved)")
                #expect(saved.contains("video.old"), "\(saved)")

                let apply = try await sandbox.streamplan(["apply", "plan.json"], in: workspace.directory)
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                #expect(apply.stdout.contains("video.new: moved, id \(video.id)"), "\(apply.stdout)")
                let videos = try await sandbox.projectVideos("saved-move")
                #expect(videos.map(\.id) == [video.id])
                #expect(
                    videos.first?.metadata.contains { $0.key == "streamplan.address" && $0.value == "video.new" } == true,
                    "\(videos)")

                let again = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
            }
        }
    }

    @Test(
        "a saved plan that records protect: true applies from its file (no 'lacks its desired state'); the next plan has no changes",
        .timeLimit(.minutes(10)))
    func savedPlanProtect() async throws {
        try await TestWorkspace.with(project: "saved-protect") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try Self.manifest(workspace, ignore: false)
            try await TestSandbox.with { sandbox in
                let created = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
                let video = try #require(try await sandbox.projectVideos("saved-protect").first)

                var yaml = try String(contentsOfFile: workspace.directory + "/streamplan.yaml", encoding: .utf8)
                yaml += "    protect: true\n"
                try yaml.write(toFile: workspace.directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
                let plan = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "--out", "plan.json", "."], in: workspace.directory)
                #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
                let apply = try await sandbox.streamplan(["apply", "plan.json"], in: workspace.directory)
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                #expect(apply.stdout.contains("video.clip: protected, id \(video.id)"), "\(apply.stdout)")
                let again = try await sandbox.streamplan(
                    ["plan", "--no-cost", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
            }
        }
    }
}
