import AIOZ
import AsyncHTTPClient
import Crypto
import Foundation
import NIOFoundationCompat
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("an apply killed mid-upload", .gated, .eachGeneration, .namingGeneration)
struct CrashRecoveryTests {
    @Test(
        "is resumed by the next apply: no duplicate video, identical bytes, acknowledged parts not re-sent",
        .timeLimit(.minutes(10)))
    func killAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/manifests/media", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 8 MiB + a little: 129 parts of 64 KiB, slowed by injected latency so the kill lands mid-upload.
        var bytes = [UInt8](repeating: 0, count: 8 * 1024 * 1024 + 1000)
        bytes.replaceSubrange(0..<12, with: [0, 0, 0, 0x18] + Array("ftypisom".utf8))
        var x: UInt32 = 2_463_534_242
        for i in 12..<bytes.count {
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            bytes[i] = UInt8(truncatingIfNeeded: x)
        }
        let source = Data(bytes)
        try source.write(to: URL(fileURLWithPath: directory + "/manifests/media/clip.mp4"))
        try """
        project: crash
        videos:
          clip:
            title: Survives a kill
            source: media/clip.mp4
        """.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)

        var configuration = SandboxConfiguration()
        configuration.faults = FaultConfiguration(
            rate: 1, seed: 7, kinds: [.latency], pathPrefixes: ["/videos"],
            latencyMilliseconds: 40)
        try await TestSandbox.with(configuration, minimumPartSize: 64 * 1024) { sandbox in
            // No settle delay: the kill lands once the video is the project's (a kill during the settle,
            // while the create is tentative, is TentativeCreateTests').
            let environment = [
                "STREAMPLAN_MIN_PART_SIZE": "65536", "STREAMPLAN_PART_SIZE": "65536", "STREAMPLAN_LEASE_SETTLE_MS": "0",
            ]
            let arguments = ["manifests"]
            let journal = directory + "/.streamplan/upload-journal.json"

            let first = try sandbox.start(["apply", "--auto-approve"] + arguments, in: directory, environment: environment)
            var acknowledged = 0
            let deadline = Date().addingTimeInterval(60)
            var real = false
            while (acknowledged < 5 || !real) && first.process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
                if !real, acknowledged >= 5 { real = try await !sandbox.projectVideos("crash").isEmpty }
                acknowledged =
                    (try? String(contentsOfFile: journal, encoding: .utf8))?.components(separatedBy: "\"proof\"").count ?? 1
                acknowledged -= 1
            }
            #expect(first.process.isRunning, "the apply finished before it could be killed")
            first.kill()
            _ = await first.finished()

            let plan = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode"] + arguments, in: directory, environment: environment)
            #expect(plan.status == 2, "\(plan.stderr)")
            #expect(plan.stdout.contains("# video.clip will be resumed"), "\(plan.stdout)")

            // The killed apply left its project lock; its holder is dead on this host, so the next
            // apply takes it over with a warning (docs/ci.md).
            let second = try await sandbox.streamplan(
                ["apply", "--auto-approve"] + arguments, in: directory, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("warning: taking over the lock"), "\(second.stderr)")
            let firstProgress = second.stderr.split(separator: "\n").first { $0.contains("video.clip: uploaded") }
            #expect(
                firstProgress?.contains("uploaded 0 B") == false, "acknowledged parts were sent again: \(firstProgress ?? "")")

            let again = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode"] + arguments, in: directory, environment: environment)
            #expect(again.status == 0, "\(again.stdout)")

            let videos = try await sandbox.projectVideos("crash")
            #expect(videos.count == 1)
            let video = try #require(videos.first)
            let (status, body) = try await TestSandbox.download(try #require(video.assets?.sourceURL))
            #expect(status == 200)
            #expect(TestMedia.sha256(body) == TestMedia.sha256(source))
        }
    }
}

@Suite("an apply killed at a named point", .gated, .eachGeneration, .namingGeneration)
struct CrashPointTests {
    @Test(
        "killed right after complete: the next apply counts the upload as done (no 'already complete' failure)",
        .timeLimit(.minutes(10)))
    func afterComplete() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path,
                environment: environment.merging(["STREAMPLAN_CRASH_AT": "after-complete"]) { _, new in new })
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            #expect(killed.stderr.contains("crash point after-complete reached"))
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: environment)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(!again.stderr.contains("already complete"))
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: copy.path)
            #expect(plan.status == 0, "\(plan.stdout)")
            let addresses = try await sandbox.projectVideos("northwind-academy")
                .compactMap { $0.metadata.first { $0.key == "streamplan.address" }?.value }
            #expect(addresses.count == 4 && Set(addresses).count == 4, "\(addresses)")
        }
    }

    @Test(
        "killed just before or after the PATCH that writes the source's hash: the next apply converges with every source mark a hash",
        .timeLimit(.minutes(10)), arguments: ["before-source-mark", "after-source-mark"])
    func aroundSourceMark(point: String) async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path,
                environment: environment.merging(["STREAMPLAN_CRASH_AT": point]) { _, new in new })
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            #expect(killed.stderr.contains("crash point \(point) reached"))
            let marks = try await sandbox.projectVideos("northwind-academy")
                .compactMap { $0.metadata.first { $0.key == "streamplan.source_sha256" }?.value }
            // The video whose upload reached the point first still shows the pending mark (others in
            // flight may too, whatever the point).
            if point == "before-source-mark" { #expect(marks.contains { $0.hasPrefix("pending:") }, "\(marks)") }
            let plan = try await sandbox.streamplan(["plan", "manifests"], in: copy.path, environment: environment)
            #expect(plan.stdout.contains("resume"), "\(plan.stdout)")
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: environment)
            #expect(again.status == 0, "\(again.stderr)")
            let after = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: copy.path)
            #expect(after.status == 0, "\(after.stdout)")
            let videos = try await sandbox.projectVideos("northwind-academy")
            let hashes = videos.compactMap { $0.metadata.first { $0.key == "streamplan.source_sha256" }?.value }
            #expect(hashes.count == 4 && hashes.allSatisfy { $0.count == 64 && !$0.hasPrefix("pending") }, "\(hashes)")
        }
    }
}
