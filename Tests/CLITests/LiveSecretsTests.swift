import AIOZ
import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("live stream secrets through the CLI", .gated, .eachGeneration, .namingGeneration)
struct LiveSecretsTests {
    @Test(
        "plan, apply, status and show never print the stream key or RTMP URL, nor write them under .streamplan/; show --reveal prints them",
        .timeLimit(.minutes(10)))
    func secretsStaySecret() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/manifests/media", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0, 0, 0, 0x18] + Array("ftypisom".utf8) + [UInt8](repeating: 7, count: 20_000))
            .write(to: URL(fileURLWithPath: directory + "/manifests/media/clip.mp4"))
        try """
        project: weekly
        videos:
          clip:
            title: A clip
            source: media/clip.mp4
        live_streams:
          townhall:
            name: Town Hall
            save: true
            streamings:
              kickoff:
                title: Kickoff
                save: true
                qualities: [720p]
        """.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)

        try await TestSandbox.with { sandbox in
            // Waits for the child off the cooperative pool (see TestSupport/CLIProcess.swift).
            func run(_ command: [String]) async throws -> CLIResult {
                try await sandbox.streamplan(command + ["manifests"], in: directory)
            }
            var outputs: [CLIResult] = []
            let plan = try await run(["plan"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("live_stream.townhall will be created"), "\(plan.stdout)")
            outputs.append(plan)
            let apply = try await run(["apply", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("live_stream.townhall: created, id "), "\(apply.stdout)")
            outputs.append(apply)
            let again = try await run(["plan", "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            outputs.append(again)
            // An encoder pushes, then stops: the saved streaming leaves a recording (seed 002).
            let registryKeyID = try #require(
                apply.stdout.split(separator: "\n")
                    .first { $0.hasPrefix("live_stream.townhall: created, id ") }?.split(separator: " ").last)
            for on in [true, false] { try await sandbox.broadcast(keyID: String(registryKeyID), on) }
            let status = try await run(["status"])
            #expect(status.stdout.contains("saved recordings:\n    \"Kickoff\" (streaming "), "\(status.stdout)")
            #expect(status.stdout.contains("status ended, video "), "\(status.stdout)")
            #expect(status.stdout.contains("mp4: http"), "\(status.stdout)")
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("live_stream.townhall (id "), "\(status.stdout)")
            #expect(status.stdout.contains("live_stream.townhall.streaming.kickoff"), "\(status.stdout)")
            outputs.append(status)
            // Broadcasting again, the key leaves the manifests: apply blocks the delete and exits 1.
            try await sandbox.broadcast(keyID: String(registryKeyID), true)
            let manifestPath = directory + "/manifests/streamplan.yaml"
            let full = try String(contentsOfFile: manifestPath, encoding: .utf8)
            try String(full[..<full.range(of: "live_streams:")!.lowerBound]).write(
                toFile: manifestPath, atomically: true, encoding: .utf8)
            let blocked = try await run(["apply", "--auto-approve", "--allow-delete"])
            #expect(blocked.status == 1)
            #expect(blocked.stdout.contains("blocked:"), "\(blocked.stdout)")
            #expect(blocked.stderr.contains("1 change was blocked and not applied"), "\(blocked.stderr)")
            outputs.append(blocked)
            try full.write(toFile: manifestPath, atomically: true, encoding: .utf8)
            let show = try await run(["show", "live_stream.townhall"])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("stream_key: ********"), "\(show.stdout)")
            outputs.append(show)

            let keys = try await sandbox.client.allLiveStreamKeys()
            let key = try #require(keys.first)
            #expect(keys.count == 1)
            let secrets = [key.streamKey, key.rtmpURL]
            #expect(secrets.allSatisfy { $0.count >= 8 })

            for output in outputs {
                for secret in secrets {
                    #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
                }
            }
            let state = directory + "/.streamplan"
            let files = (FileManager.default.enumerator(atPath: state)?.allObjects as? [String]) ?? []
            #expect(!files.isEmpty, "the state directory should hold at least the hash cache")
            for file in files {
                guard let data = FileManager.default.contents(atPath: state + "/" + file) else { continue }
                let text = String(decoding: data, as: UTF8.self)
                for secret in secrets { #expect(!text.contains(secret), "\(file) holds a secret") }
            }

            let reveal = try await run(["show", "live_stream.townhall", "--reveal"])
            #expect(reveal.status == 0, "\(reveal.stderr)")
            #expect(reveal.stdout.contains("stream_key: \(key.streamKey)"))
            #expect(reveal.stdout.contains("rtmp_url:   \(key.rtmpURL)"))
            #expect(!reveal.stderr.contains(key.streamKey))
        }
    }
}
