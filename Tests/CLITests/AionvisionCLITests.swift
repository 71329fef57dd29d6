import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// `provider: aionvision` end to end through the `streamplan` binary.
@Suite("the aionvision provider from the CLI", .gated, .timeLimit(.minutes(10)))
struct AionvisionCLITests {
    /// Aionvision's routes are outside `/api`: nothing for the AIOZ contract recording to hold.
    static let noRecording = ["STREAMPLAN_SANDBOX_RECORD": ""]

    /// A project directory with `manifests/streamplan.yaml` naming `videos` (name → size in bytes).
    struct Project {
        let path: String
        var sources: [String: Data] = [:]

        init(_ videos: [(String, Int)]) throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("aion-cli-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path + "/manifests/media", withIntermediateDirectories: true)
            var yaml = "project: aion\nprovider: aionvision\nvideos:\n"
            for (seed, (name, size)) in videos.enumerated() {
                let data = Data(TestMedia.bytes(for: "\(name).mp4", size: size, seed: UInt8(seed + 1)))
                try data.write(to: URL(fileURLWithPath: path + "/manifests/media/\(name).mp4"))
                sources[name] = data
                yaml += "  \(name):\n    title: \(name.capitalized)\n    source: media/\(name).mp4\n    tags: [site-a]\n"
                yaml += "    metadata: {course: \"101\"}\n"
            }
            try yaml.write(toFile: path + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("three videos (one 120 MiB) plan, apply and re-plan as No changes. against the embedded sandbox")
    func threeVideos() async throws {
        var project = try Project([("intro", 120 * 1_048_576), ("lesson", 3_000_000), ("outro", 200_000)])
        defer { project.remove() }
        let plan = try await streamplan(
            ["plan", "--sandbox", "--no-cost", "manifests"], in: project.path, environment: Self.noRecording)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("# video.intro will be created"), "\(plan.stdout)")
        let apply = try await streamplan(
            ["apply", "--sandbox", "--auto-approve", "--no-cost", "manifests"], in: project.path, environment: Self.noRecording)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let again = try await streamplan(
            ["plan", "--sandbox", "--no-cost", "--detailed-exitcode", "manifests"], in: project.path,
            environment: Self.noRecording)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("No changes."), "\(again.stdout)")
        // The assembled bytes are the sources.
        let media = project.path + "/.streamplan/sandbox/aionvision/media"
        let stored = try FileManager.default.contentsOfDirectory(atPath: media)
        #expect(stored.count == 3)
        let hashes = Set(stored.compactMap { FileManager.default.contents(atPath: media + "/" + $0) }.map(TestMedia.sha256))
        #expect(hashes == Set(project.sources.values.map(TestMedia.sha256)))
        // 12 chunks of 10 MiB for the big one, one each for the others.
        let log = try String(contentsOfFile: project.path + "/.streamplan/sandbox/aionvision/chunk-puts.log", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 14)
        project.sources = [:]
    }

    @Test("a title change cannot be made on Aionvision: plan shows it blocked with the reason, apply does not try it")
    func blockedUpdate() async throws {
        let project = try Project([("intro", 50_000)])
        defer { project.remove() }
        let arguments = ["--sandbox", "--no-cost", "manifests"]
        let apply = try await streamplan(
            ["apply", "--auto-approve"] + arguments, in: project.path, environment: Self.noRecording)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let manifest = project.path + "/manifests/streamplan.yaml"
        try (try String(contentsOfFile: manifest, encoding: .utf8)).replacingOccurrences(
            of: "title: Intro", with: "title: Renamed"
        )
        .write(toFile: manifest, atomically: true, encoding: .utf8)
        let plan = try await streamplan(["plan"] + arguments, in: project.path, environment: Self.noRecording)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Aionvision offers no call to change a video after its upload"), "\(plan.stdout)")
        let blocked = try await streamplan(
            ["apply", "--auto-approve"] + arguments, in: project.path, environment: Self.noRecording)
        #expect(blocked.status == 1, "\(blocked.stdout)\n\(blocked.stderr)")
        #expect(!blocked.stderr.contains("failed"), "\(blocked.stderr)")
    }

    @Test("a saved plan remembers its provider: apply FILE uploads to Aionvision")
    func savedPlan() async throws {
        let project = try Project([("intro", 40_000)])
        defer { project.remove() }
        let plan = try await streamplan(
            ["plan", "--sandbox", "--no-cost", "--out", "plan.json", "manifests"], in: project.path,
            environment: Self.noRecording)
        #expect(plan.status == 0, "\(plan.stderr)")
        let saved = try String(contentsOfFile: project.path + "/plan.json", encoding: .utf8)
        #expect(
            saved.contains("\"provider\" : \"aionvision\"") || saved.contains("\"provider\":\"aionvision\""),
            "\(saved.prefix(400))")
        let apply = try await streamplan(
            ["apply", "--sandbox", "--auto-approve", "plan.json"], in: project.path, environment: Self.noRecording)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let again = try await streamplan(
            ["plan", "--sandbox", "--no-cost", "--detailed-exitcode", "manifests"], in: project.path,
            environment: Self.noRecording)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
    }

    @Test("validate refuses what Aionvision cannot honour, naming the provider and the place")
    func validate() async throws {
        let project = try Project([("intro", 1000)])
        defer { project.remove() }
        try
            (try String(contentsOfFile: project.path + "/manifests/streamplan.yaml", encoding: .utf8)
            + "    qualities: [720p]\nlive_streams:\n  town:\n    name: Town Hall\n")
            .write(toFile: project.path + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
        let result = try await streamplan(["validate", "manifests"], in: project.path)
        #expect(result.status != 0)
        let text = result.stdout + result.stderr
        #expect(text.contains("streamplan.yaml:9:5: error: video.intro: Aionvision cannot honour `qualities`"), "\(text)")
        #expect(text.contains("streamplan.yaml:11:3: error: live_stream.town: Aionvision has no live streams"), "\(text)")
    }

    @Test("kill -9 mid-upload, then apply: only chunks not acknowledged are sent again; an expired URL is renewed")
    func killAndResume() async throws {
        let project = try Project([("big", 6 * 262_144 + 1234)])
        defer { project.remove() }
        var configuration = SandboxConfiguration()
        configuration.aionvision = AionvisionSettings(chunkSize: 262_144, expiredURLs: 1)
        // Slow chunk PUTs, so that the kill lands mid-upload.
        configuration.faults = FaultConfiguration(
            rate: 1, seed: 3, kinds: [.latency], pathPrefixes: ["/aionvision-s3"], latencyMilliseconds: 300)
        try await TestSandbox.with(configuration) { sandbox in
            let endpoint = await sandbox.server.aionvisionBaseURL
            let environment = ["AIONVISION_API_KEY": TestSandbox.account.secretKey]
            let arguments = ["--endpoint", endpoint, "--no-cost", "--part-concurrency", "1", "manifests"]
            let planArguments = ["--endpoint", endpoint, "--no-cost", "manifests"]
            let journal = project.path + "/.streamplan/upload-journal.json"
            let first = try CLIProcess(
                ["apply", "--auto-approve"] + arguments, directory: project.path, environment: environment)
            var acknowledged: Set<Int> = []
            let deadline = Date().addingTimeInterval(60)
            while acknowledged.count < 2 && first.process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
                acknowledged = Self.journaledChunks(journal)
            }
            #expect(first.process.isRunning, "the apply finished before it could be killed")
            first.kill()
            _ = await first.finished()
            acknowledged = Self.journaledChunks(journal)
            #expect(!acknowledged.isEmpty)

            let second = try await streamplan(
                ["apply", "--auto-approve"] + arguments, in: project.path, environment: environment)
            #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
            #expect(second.stdout.contains("resume") || second.stdout.contains("resumed"), "\(second.stdout)")
            let again = try await streamplan(
                ["plan", "--detailed-exitcode"] + planArguments, in: project.path, environment: environment)
            #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")

            // From the sandbox's log: each chunk journaled before the kill was PUT exactly once.
            let log = try String(contentsOfFile: try #require(await sandbox.server.aionvisionChunkLog), encoding: .utf8)
            let puts = log.split(separator: "\n").map { $0.split(separator: " ") }
            var perChunk: [Int: Int] = [:]
            for line in puts { perChunk[Int(line[1]) ?? 0, default: 0] += 1 }
            for index in acknowledged {
                #expect(perChunk[index + 1] == 1, "chunk \(index + 1) was sent \(perChunk[index + 1] ?? 0) times")
            }
            #expect(Set(perChunk.keys) == Set(1...7))
            // The API key is in no output and no file under .streamplan.
            let key = TestSandbox.account.secretKey
            for output in [second.stdout, second.stderr, again.stdout, again.stderr] { #expect(!output.contains(key)) }
            let state = project.path + "/.streamplan"
            for file in FileManager.default.subpaths(atPath: state) ?? [] {
                guard let data = FileManager.default.contents(atPath: state + "/" + file) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains(key), "\(file) holds the API key")
            }
            let media = String(try #require(puts.first?.first))
            let stored = try #require(await sandbox.server.aionvisionMediaFile(media))
            #expect(FileManager.default.contents(atPath: stored) == project.sources["big"])
        }
    }

    @Test("apply --abort-incomplete gives up on an interrupted upload: the media is aborted, the next apply starts afresh")
    func abortIncomplete() async throws {
        let project = try Project([("big", 6 * 262_144)])
        defer { project.remove() }
        var configuration = SandboxConfiguration()
        configuration.aionvision = AionvisionSettings(chunkSize: 262_144)
        configuration.faults = FaultConfiguration(
            rate: 1, seed: 3, kinds: [.latency], pathPrefixes: ["/aionvision-s3"], latencyMilliseconds: 300)
        try await TestSandbox.with(configuration) { sandbox in
            let endpoint = await sandbox.server.aionvisionBaseURL
            let environment = ["AIONVISION_API_KEY": TestSandbox.account.secretKey]
            let arguments = ["--endpoint", endpoint, "--no-cost", "manifests"]
            let first = try CLIProcess(
                ["apply", "--auto-approve", "--part-concurrency", "1"] + arguments, directory: project.path,
                environment: environment)
            let deadline = Date().addingTimeInterval(60)
            while Self.journaledChunks(project.path + "/.streamplan/upload-journal.json").isEmpty && first.process.isRunning
                && Date() < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(first.process.isRunning, "the apply finished before it could be killed")
            first.kill()
            _ = await first.finished()
            let refused = try await streamplan(
                ["apply", "--auto-approve", "--abort-incomplete"] + arguments, in: project.path, environment: environment)
            #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
            #expect(refused.stderr.contains("--allow-delete"), "\(refused.stderr)")
            let aborted = try await streamplan(
                ["apply", "--auto-approve", "--abort-incomplete", "--allow-delete"] + arguments, in: project.path,
                environment: environment)
            #expect(aborted.status == 0, "\(aborted.stdout)\n\(aborted.stderr)")
            #expect(aborted.stdout.contains("abandoned (--abort-incomplete)"), "\(aborted.stdout)")
            let state = try #require(await sandbox.server.aionvisionChunkLog).replacingOccurrences(
                of: "chunk-puts.log", with: "state.sqlite")
            // The emulator's rows, read with another SQLite client (python's).
            let (status, stored) = try await ToolRun.runOffPool(
                "python3",
                [
                    "-c",
                    "import sqlite3,sys; print('\\n'.join(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT record FROM media')))",
                    state,
                ])
            #expect(status == 0, "\(stored)")
            #expect(!stored.contains("\"uploading\""), "\(stored.prefix(300))")
            let plan = try await streamplan(["plan"] + arguments, in: project.path, environment: environment)
            #expect(plan.stdout.contains("# video.big will be created"), "\(plan.stdout)")
        }
    }

    /// Chunk indices (from 0) with a receipt in the upload journal.
    static func journaledChunks(_ path: String) -> Set<Int> {
        guard let data = FileManager.default.contents(atPath: path),
            let uploads = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
        else { return [] }
        var indices: Set<Int> = []
        for upload in uploads.values {
            for part in upload["parts"] as? [[String: Any]] ?? [] {
                if let index = (part["chunk"] as? [String: Any])?["index"] as? Int { indices.insert(index) }
            }
        }
        return indices
    }
}
