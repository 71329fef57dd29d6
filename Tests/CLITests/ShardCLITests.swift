import Foundation
import Planning
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("--shard I/N on the command line", .gated, .eachGeneration, .namingGeneration)
struct ShardCLITests {
    @Test("three shard applies make the whole project; a saved plan of one shard is refused by another", .timeLimit(.minutes(10)))
    func shards() async throws {
        // Videos and live streams only (the examples as 0.1.0 knew them): the shards run one after
        // the other, in any order (`onePass` below runs them side by side with references across).
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
            let lone = try await sandbox.streamplan(["apply", "--shard-wait", "5", "manifests"], in: copy.path)
            #expect(lone.status == 64 && lone.stderr.contains("--shard-wait applies only with --shard I/N"), "\(lone.stderr)")
        }
    }

    /// Issue 25, item 3: a new player theme (shard 1's) named by videos of every shard and a new
    /// playlist (shard 1's) naming videos of every shard, applied by four jobs at once: the videos
    /// wait for the player theme, the playlist for the videos, and one pass makes the whole project.
    @Test(
        "four shards side by side make a new player theme and playlist spanning every shard in one pass",
        .timeLimit(.minutes(10)))
    func onePass() async throws {
        let workspace = try TestWorkspace(project: "sharded", prefix: "shard-one-pass")
        defer { workspace.remove() }
        // Two videos per shard, whatever the hash gives.
        var names: [String] = []
        var perShard = [Int: Int]()
        for n in 0..<200 where names.count < 8 {
            let name = "v\(n)"
            let owner = Shard.owner(of: Address(parsing: "video.\(name)")!, count: 4)
            guard perShard[owner, default: 0] < 2 else { continue }
            perShard[owner, default: 0] += 1
            names.append(name)
        }
        #expect(names.count == 8 && perShard.count == 4)
        var yaml = "players:\n  brand:\n    name: Brand\n    theme: {main_color: \"#f05138\"}\nvideos:\n"
        for (index, name) in names.enumerated() {
            try workspace.media("\(name).mp4", size: 48 * 1024, seed: UInt8(index + 1))
            yaml += "  \(name): {title: \"\(name)\", source: media/\(name).mp4, player: brand}\n"
        }
        yaml += "playlists:\n  all:\n    name: All\n    videos: [\(names.joined(separator: ", "))]\n"
        try workspace.manifest(yaml)
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]
            // Shard 1 last, so that the others are already waiting for its player theme.
            let jobs = try ["4/4", "3/4", "2/4", "1/4"].map { shard in
                try sandbox.start(
                    ["apply", "--auto-approve", "--shard", shard, "--shard-wait", "300", "streamplan.yaml"],
                    in: workspace.directory, environment: environment)
            }
            for (shard, job) in zip(["4/4", "3/4", "2/4", "1/4"], jobs) {
                let result = await job.finished()
                #expect(result.status == 0, "shard \(shard): \(result.stdout)\(result.stderr)")
            }
            let whole = try await sandbox.streamplan(["plan", "--detailed-exitcode", "streamplan.yaml"], in: workspace.directory)
            #expect(whole.status == 0 && whole.stdout.hasPrefix("No changes."), "\(whole.stdout)\(whole.stderr)")
            let players = try await sandbox.provider.players(named: "Brand")
            #expect(players.count == 1, "one player theme, not one per shard: \(players.count)")
        }
    }
}
