import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The shared sandbox harness with a project directory (`manifests/media`) for the CLI to run in.
private struct Stage {
    static let account = TestSandbox.account

    let sandbox: TestSandbox
    let directory: String

    var client: AIOZClient { sandbox.client }
    static let partSizes = ["STREAMPLAN_MIN_PART_SIZE": "65536", "STREAMPLAN_PART_SIZE": "65536"]

    static func with(_ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (Stage) async throws -> Void)
        async throws
    {
        try await TestSandbox.with(configuration, minimumPartSize: 64 * 1024) { sandbox in
            let workspace = try TestWorkspace(prefix: "saved")
            defer { workspace.remove() }
            try FileManager.default.createDirectory(
                atPath: workspace.directory + "/manifests/media", withIntermediateDirectories: true)
            try await body(Stage(sandbox: sandbox, directory: workspace.directory))
        }
    }

    /// Writes a small MP4-looking file.
    func media(_ name: String, size: Int = 4096, seed: UInt8 = 1) throws {
        try Data(TestMedia.bytes(for: name, size: size, seed: seed))
            .write(to: URL(fileURLWithPath: directory + "/manifests/media/" + name))
    }

    /// Writes the manifest: `videos` maps a name to its title; each has media/NAME.mp4.
    func manifest(_ videos: [(String, String)]) throws {
        var text = "project: saved\nvideos:\n"
        for (name, title) in videos {
            text += "  \(name):\n    title: \"\(title)\"\n    source: media/\(name).mp4\n"
        }
        try text.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    /// Runs the CLI against the sandbox (waiting off the cooperative pool).
    func run(_ arguments: [String]) async throws -> CLIResult {
        try await sandbox.streamplan(arguments, in: directory, environment: Self.partSizes)
    }

    func video(_ address: String) async throws -> Video {
        let videos = try await client.allVideos(VideoListQuery())
        return try #require(videos.first { $0.metadata.contains { $0.key == "streamplan.address" && $0.value == address } })
    }
}

@Suite("saved plans, formats, targets, exit codes and the lock", .gated, .serialized, .eachGeneration, .namingGeneration)
struct SavedPlanCLITests {
    @Test(
        "a saved plan applies exactly what it says; an unrelated remote change does not make it stale",
        .timeLimit(.minutes(10)))
    func unrelatedChange() async throws {
        try await Stage.with { stage in
            try stage.media("a.mp4")
            try stage.media("b.mp4", seed: 2)
            try stage.manifest([("a", "A1"), ("b", "B1")])
            let created = try await stage.run(["apply", "--auto-approve", "manifests"])
            #expect(created.status == 0, "\(created.stderr)")

            try stage.manifest([("a", "A2"), ("b", "B1")])
            let plan = try await stage.run(["plan", "--detailed-exitcode", "--out", "plan.json", "manifests"])
            #expect(plan.status == 2, "\(plan.stderr)")
            let saved = try String(contentsOfFile: stage.directory + "/plan.json", encoding: .utf8)
            #expect(saved.contains("\"kind\" : \"streamplan-saved-plan\""))
            #expect(saved.contains("\"manifests_digest\""))
            #expect(!saved.contains(Stage.account.secretKey) && !saved.contains(Stage.account.publicKey))

            // Someone edits video.b on the dashboard: the plan does not touch it.
            let b = try await stage.video("video.b")
            try await stage.client.updateVideo(id: b.id, VideoUpdateRequest(title: "B edited by hand"))
            // And the manifests change again after the plan: a saved plan does not read them.
            try stage.manifest([("a", "A3"), ("b", "B1")])

            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(try await stage.video("video.a").title == "A2")
            #expect(try await stage.video("video.b").title == "B edited by hand")
        }
    }

    @Test(
        "a remote change to a touched video makes the saved plan stale (exit 3), naming it and how",
        .timeLimit(.minutes(10)))
    func touchedChange() async throws {
        try await Stage.with { stage in
            try stage.media("a.mp4")
            try stage.manifest([("a", "A1")])
            #expect(try await stage.run(["apply", "--auto-approve", "manifests"]).status == 0)
            try stage.manifest([("a", "A2")])
            #expect(try await stage.run(["plan", "--out", "plan.json", "manifests"]).status == 0)

            let a = try await stage.video("video.a")
            try await stage.client.updateVideo(id: a.id, VideoUpdateRequest(tags: ["hand-made"]))
            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stderr.contains("the saved plan plan.json is stale; nothing was changed"))
            #expect(apply.stderr.contains("video.a (id \(a.id)): tags changed from \"\" to \"hand-made\""), "\(apply.stderr)")
            #expect(try await stage.video("video.a").title == "A1")
        }
    }

    @Test(
        "a saved create is stale once a video with its address exists, and when its source changed",
        .timeLimit(.minutes(10)))
    func staleCreate() async throws {
        try await Stage.with { stage in
            try stage.media("a.mp4")
            try stage.media("c.mp4", seed: 3)
            try stage.manifest([("a", "A1"), ("c", "C1")])
            #expect(try await stage.run(["plan", "--out", "first.json", "manifests"]).status == 0)
            #expect(try await stage.run(["plan", "--out", "second.json", "manifests"]).status == 0)
            // The second saved plan is applied first; the first now plans creates that happened.
            #expect(try await stage.run(["apply", "second.json"]).status == 0)
            let stale = try await stage.run(["apply", "first.json"])
            #expect(stale.status == 3)
            #expect(stale.stderr.contains("video.c was created since the plan"), "\(stale.stderr)")
            #expect(try await stage.sandbox.projectVideos("saved").count == 2)

            try stage.manifest([("a", "A1"), ("c", "C1"), ("d", "D1")])
            try stage.media("d.mp4", seed: 4)
            #expect(try await stage.run(["plan", "--out", "third.json", "manifests"]).status == 0)
            try stage.media("d.mp4", seed: 5)
            let changed = try await stage.run(["apply", "third.json"])
            #expect(changed.status == 3)
            #expect(changed.stderr.contains("video.d: the source media/d.mp4 changed since the plan"), "\(changed.stderr)")
        }
    }

    @Test(
        "JSON and Markdown plans from the CLI; --target warns that the plan is partial; exit codes 0, 1 and 2",
        .timeLimit(.minutes(10)))
    func formatsAndTargets() async throws {
        try await Stage.with { stage in
            try stage.media("a.mp4")
            try stage.media("b.mp4", seed: 2)
            try stage.manifest([("a", "A <1> | `x`"), ("b", "B1")])
            let json = try await stage.run(["plan", "--format", "json", "--detailed-exitcode", "manifests"])
            #expect(json.status == 2)
            let (status, output) = try await ToolRun.checkPlanSchemaOffPool(json: json.stdout)
            #expect(status == 0, "\(output)")

            let markdown = try await stage.run(["plan", "--format", "markdown", "manifests"])
            #expect(markdown.status == 0)
            #expect(markdown.stdout.contains("| 2 | 0 | 0 | 0 | 0 | 8.0 KiB |"), "\(markdown.stdout)")
            #expect(markdown.stdout.contains("A &lt;1&gt; \\| \\`x\\`"))

            let targeted = try await stage.run(["apply", "--auto-approve", "--target", "video.a*", "manifests"])
            #expect(targeted.status == 0, "\(targeted.stderr)")
            #expect(targeted.stderr.contains("warning: this plan is partial: --target video.a*; 1 change left out (video.b)"))
            #expect(try await stage.sandbox.projectVideos("saved").count == 1)

            let excluded = try await stage.run(["plan", "--detailed-exitcode", "--exclude", "video.b", "manifests"])
            #expect(excluded.status == 0, "\(excluded.stdout)")
            #expect(excluded.stderr.contains("this plan is partial"))
            #expect(try await stage.run(["plan", "--detailed-exitcode", "manifests"]).status == 2)
            try "project: saved\nvideos: [oops\n".write(
                toFile: stage.directory + "/manifests/streamplan.yaml",
                atomically: true, encoding: .utf8)
            #expect(try await stage.run(["plan", "--detailed-exitcode", "manifests"]).status == 1)
        }
    }

    @Test(
        "a second apply while one runs exits 4 naming the holder; a killed apply's lock is taken over, another host's needs --break-lock",
        .timeLimit(.minutes(10)))
    func lock() async throws {
        var configuration = SandboxConfiguration(accounts: [Stage.account], minPartSize: 64 * 1024)
        configuration.faults = FaultConfiguration(
            rate: 1, seed: 7, kinds: [.latency], pathPrefixes: ["/videos"],
            latencyMilliseconds: 40)
        try await Stage.with(configuration) { stage in
            try stage.media("a.mp4", size: 4 * 1024 * 1024)
            try stage.manifest([("a", "A1")])
            let lockFile = stage.directory + "/.streamplan/locks/saved.lock"
            let first = try stage.sandbox.start(
                ["apply", "--auto-approve", "manifests"], in: stage.directory,
                environment: Stage.partSizes)
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: lockFile) && first.process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(first.process.isRunning, "the first apply ended before the second started")

            let started = Date()
            let second = try await stage.run(["apply", "--auto-approve", "manifests"])
            #expect(second.status == 4, "\(second.stderr)")
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(second.stderr.contains("another apply of this project is running"), "\(second.stderr)")
            #expect(second.stderr.contains("pid \(first.process.processIdentifier)"))
            let broken = try await stage.run(["apply", "--auto-approve", "--break-lock", "manifests"])
            #expect(broken.status == 4, "a live holder's lock must never be broken")

            first.kill()
            _ = await first.finished()
            #expect(FileManager.default.fileExists(atPath: lockFile), "kill -9 leaves the lock behind")
            let recovered = try await stage.run(["apply", "--auto-approve", "manifests"])
            #expect(recovered.status == 0, "\(recovered.stderr)")
            #expect(recovered.stderr.contains("warning: taking over the lock"), "\(recovered.stderr)")
            #expect(recovered.stderr.contains("which is no longer running"), "\(recovered.stderr)")
            #expect(!FileManager.default.fileExists(atPath: lockFile), "a finished apply releases its lock")

            // A lock from another host cannot be checked: it needs --break-lock.
            try Data(
                #"{"command":"streamplan apply","host":"ci-runner-7","pid":4242,"started_at":"2026-11-22T10:00:00Z","user":"ci"}"#
                    .utf8
            )
            .write(to: URL(fileURLWithPath: lockFile))
            let foreign = try await stage.run(["apply", "--auto-approve", "manifests"])
            #expect(foreign.status == 4)
            #expect(foreign.stderr.contains("ci on ci-runner-7, pid 4242"), "\(foreign.stderr)")
            let broken2 = try await stage.run(["apply", "--auto-approve", "--break-lock", "manifests"])
            #expect(broken2.status == 0, "\(broken2.stderr)")
            #expect(broken2.stderr.contains("warning: breaking the lock"))
        }
    }
}
