import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("--shard I/N on the command line", .gated, .eachGeneration, .namingGeneration)
struct ShardCLITests {
    @Test("three shard applies make the whole project; a saved plan of one shard is refused by another", .timeLimit(.minutes(10)))
    func shards() async throws {
        // Videos and live streams only (the examples as 0.1.0 knew them): with player themes and
        // playlists, shard 1 must run before the others (players) and after them (playlists);
        // docs/manifests.md says so. Here the shards run in any order.
        let copy = try ExampleCopy.version010()
        defer { copy.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]
            let json = try await sandbox.streamplan(["plan", "--shard", "1/3", "--format", "json", "manifests"], in: copy.path)
            #expect(json.status == 0, "\(json.stderr)")
            #expect(json.stdout.contains("\"shard\" : \"1/3\""))
            #expect(json.stderr.contains("note: shard 1/3: this plan holds the"), "\(json.stderr)")
            #expect(json.stdout.contains("live_stream.townhall"), "live streams belong to shard 1")

            let saved = try await sandbox.streamplan(
                ["plan", "--shard", "2/3", "--out", "shard2.json", "manifests"], in: copy.path)
            #expect(saved.status == 0, "\(saved.stderr)")
            let refused = try await sandbox.streamplan(
                ["apply", "--shard", "1/3", "shard2.json"], in: copy.path, environment: environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("shard2.json was planned for shard 2/3, not for shard 1/3"), "\(refused.stderr)")
            let applied = try await sandbox.streamplan(
                ["apply", "--shard", "2/3", "shard2.json"], in: copy.path, environment: environment)
            #expect(applied.status == 0, "\(applied.stderr)")

            for shard in ["1/3", "3/3"] {
                let run = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "--shard", shard, "manifests"], in: copy.path, environment: environment)
                #expect(run.status == 0, "\(shard): \(run.stderr)")
            }
            let whole = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: copy.path)
            #expect(whole.status == 0, "\(whole.stdout)")
            let bad = try await sandbox.streamplan(["plan", "--shard", "4/3", "manifests"], in: copy.path)
            #expect(bad.status == 64 && bad.stderr.contains("--shard must be I/N with 1 ≤ I ≤ N"), "\(bad.stderr)")
        }
    }
}
