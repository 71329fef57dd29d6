import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Moves streamplan must not guess, and `protect: true`, against the sandbox.
@Suite("protection and ambiguous moves on the command line", .gated, .serialized)
struct ProtectCLITests {
    static func videos(_ names: [String], protect: String? = nil, moved: String = "") -> String {
        var yaml = moved + "videos:\n"
        for name in names {
            yaml += "  \(name):\n    title: Clip\n    source: media/clip.mp4\n"
            if name == protect { yaml += "    protect: true\n" }
        }
        return yaml
    }

    @Test(
        "two managed videos with one source, both renamed: no automatic move, a sentence and the blocks; with them, two moves",
        .timeLimit(.minutes(10)))
    func ambiguousRename() async throws {
        try await TestWorkspace.with(project: "twins") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try await TestSandbox.with { sandbox in
                try workspace.manifest(Self.videos(["a", "b"]))
                let first = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                let ids = Set(try await sandbox.projectVideos("twins").map(\.id))
                #expect(ids.count == 2)

                try workspace.manifest(Self.videos(["c", "d"]))
                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stderr)")
                #expect(
                    plan.stdout.contains(
                        "Note: video.a: not moved automatically: 2 videos that left the manifests (video.a, video.b) and "
                            + "2 new addresses (video.c, video.d) share the source sha256"), "\(plan.stdout)")
                #expect(plan.stdout.contains("streamplan never guesses"), "\(plan.stdout)")
                #expect(
                    plan.stdout.contains("`moved: [{from: video.a, to: video.c}, {from: video.b, to: video.d}]`"),
                    "\(plan.stdout)")
                #expect(!plan.stdout.contains("will be moved"), "\(plan.stdout)")
                #expect(plan.stdout.contains("Plan: 2 to create, 0 to update, 0 to replace, 2 to delete."), "\(plan.stdout)")

                // The suggested blocks, as printed, settle it: two moves and nothing else.
                try workspace.manifest(
                    Self.videos(
                        ["c", "d"], moved: "moved: [{from: video.a, to: video.c}, {from: video.b, to: video.d}]\n"))
                let settled = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(settled.status == 0, "\(settled.stdout)\(settled.stderr)")
                #expect(settled.stdout.contains("Apply complete: 2 of 2 changes made."), "\(settled.stdout)")
                #expect(Set(try await sandbox.projectVideos("twins").map(\.id)) == ids)
            }
        }
    }

    @Test(
        "protect: true is recorded on the service; once the video leaves the manifests, apply --allow-delete refuses and deletes nothing",
        .timeLimit(.minutes(10)))
    func protectedVideoSurvivesRemoval() async throws {
        try await TestWorkspace.with(project: "guarded") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try await TestSandbox.with { sandbox in
                try workspace.manifest(Self.videos(["flagship", "test-clip"], protect: "flagship"))
                let first = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                #expect(first.stdout.contains("video.flagship: protected, id "), "\(first.stdout)")
                let again = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
                let before = Set(try await sandbox.projectVideos("guarded").map(\.id))

                // Both leave the manifests (a third keeps the project's manifests non-empty).
                try workspace.manifest(Self.videos(["other"]).replacingOccurrences(of: "clip.mp4", with: "other.mp4"))
                try workspace.media("other.mp4", size: 2000, seed: 2)
                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(
                    plan.stdout.contains(
                        "blocked: protected: video.flagship had protect: true when it was last applied (recorded on the service)"),
                    "\(plan.stdout)")
                #expect(plan.stdout.contains("video.flagship (delete): protected"), "\(plan.stdout)")

                let apply = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "--allow-delete", "."], in: workspace.directory)
                #expect(apply.status != 0, "\(apply.stdout)\(apply.stderr)")
                let after = Set(try await sandbox.projectVideos("guarded").map(\.id))
                // The protected video is still there; the unprotected one was deleted; `other` was created.
                let flagship = before.filter { id in after.contains(id) }
                #expect(flagship.count == 1, "\(before) \(after)")
                #expect(after.count == 2, "\(after)")
                #expect(apply.stdout.contains("video.test-clip: deleted"), "\(apply.stdout)")
            }
        }
    }

    @Test(
        "protect: true in the manifests blocks a replace even with --allow-delete; protect: false forgets the record",
        .timeLimit(.minutes(10)))
    func protectBlocksReplace() async throws {
        try await TestWorkspace.with(project: "guarded") { workspace in
            try workspace.media("clip.mp4", size: 3000)
            try await TestSandbox.with { sandbox in
                try workspace.manifest(Self.videos(["flagship"], protect: "flagship"))
                let first = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                try workspace.media("clip.mp4", size: 3000, seed: 9)
                let apply = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "--allow-delete", "."], in: workspace.directory)
                #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
                #expect(
                    apply.stdout.contains("video.flagship has protect: true, so it is never replaced, even with --allow-delete"),
                    "\(apply.stdout)")
                #expect(try await sandbox.projectVideos("guarded").count == 1)

                try workspace.manifest(Self.videos(["flagship"]) + "    protect: false\n")
                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(plan.stdout.contains("# video.flagship will no longer be protected"), "\(plan.stdout)")
                // The record holds until this apply forgets it: then the replace is allowed.
                let forget = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "--allow-delete", "."], in: workspace.directory)
                #expect(forget.stdout.contains("video.flagship: unprotected"), "\(forget.stdout)")
                let after = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(after.stdout.contains("# video.flagship must be replaced"), "\(after.stdout)")
                #expect(!after.stdout.contains("blocked:"), "\(after.stdout)")
            }
        }
    }
}
