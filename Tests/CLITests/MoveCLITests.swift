import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import Synchronization
import TestSupport
import Testing

/// Every request the sandbox answered, in order (the "request log" a test reads).
final class RequestLog: Sendable {
    let entries = Mutex<[RecordedExchange]>([])

    var count: Int { entries.withLock { $0.count } }

    /// The requests after the first `from`, as `METHOD path`.
    func lines(from start: Int) -> [String] {
        entries.withLock { Array($0[start...]).map { "\($0.method) \($0.path)" } }
    }

    var configuration: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.recorder = ExchangeRecorder { exchange in self.entries.withLock { $0.append(exchange) } }
        return configuration
    }
}

/// `moved:` blocks, moves found by a video's source, and what they must never do (upload again, make
/// a new stream key), on a copy of the examples against the sandbox.
@Suite("moves: renaming an address keeps the object", .gated, .serialized)
struct MoveCLITests {
    static let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]

    /// Applies the examples on a fresh sandbox (its requests logged), then runs `body`.
    static func applied(_ body: (TestSandbox, ExampleCopy, RequestLog) async throws -> Void) async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let log = RequestLog()
        try await TestSandbox.with(log.configuration, minimumPartSize: 16_384) { sandbox in
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            try await body(sandbox, copy, log)
        }
    }

    static func edit(_ file: String, _ replacements: [(String, String)]) throws {
        var text = try String(contentsOfFile: file, encoding: .utf8)
        for (old, new) in replacements {
            #expect(text.contains(old), "\(file) has no \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    static func video(_ sandbox: TestSandbox, _ address: String) async throws -> Video? {
        try await sandbox.projectVideos("northwind-academy").first { video in
            video.metadata.contains { $0.key == "streamplan.address" && $0.value == address }
        }
    }

    @Test(
        "intro renamed welcome (playlist too): one move planned; apply keeps the id, uploads nothing, keeps captions and the playlist item",
        .timeLimit(.minutes(10)))
    func renameIsOneMove() async throws {
        try await Self.applied { sandbox, copy, log in
            let intro = try #require(try await Self.video(sandbox, "video.intro"))
            let captions = try await sandbox.provider.textTracks(.caption, videoID: intro.id)
            let query = PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: "northwind-academy")])
            let items = try #require(try await sandbox.client.allPlaylists(query).first).items
            try Self.edit(copy.path + "/manifests/videos/course.yaml", [("\n  intro:\n", "\n  welcome:\n")])
            try Self.edit(copy.path + "/manifests/playlists.yaml", [("videos: [intro,", "videos: [welcome,")])

            let plan = try await sandbox.streamplan(["plan", "manifests"], in: copy.path, environment: Self.environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(
                plan.stdout.contains("# video.intro => video.welcome will be moved: video.intro left the manifests"),
                "\(plan.stdout)")
            #expect(plan.stdout.contains("wants the same source (../media/intro.mp4"), "\(plan.stdout)")
            #expect(
                plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete. 1 to move."), "\(plan.stdout)")
            // One block: the move, and nothing for the captions, the chapter, the playlist or the player.
            #expect(plan.stdout.components(separatedBy: "\n  # ").count == 2, "\(plan.stdout)")

            let json = try await sandbox.streamplan(
                ["plan", "--format", "json", "manifests"], in: copy.path, environment: Self.environment)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let changes = try #require(document["changes"] as? [[String: Any]])
            #expect(changes.count == 1)
            #expect(changes.first?["action"] as? String == "move")
            #expect(changes.first?["moved_from"] as? String == "video.intro")
            #expect(changes.first?["address"] as? String == "video.welcome")
            #expect((document["summary"] as? [String: Any])?["move"] as? Int == 1)
            let file = copy.path + "/plan.json"
            try json.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let schema = try await ToolRun.runOffPool("python3", ["scripts/check-plan-schema.py", file])
            #expect(schema.status == 0, "\(schema.output)")

            let markdown = try await sandbox.streamplan(
                ["plan", "--format", "markdown", "manifests"], in: copy.path, environment: Self.environment)
            #expect(markdown.stdout.contains("<b>video.intro =&gt; video.welcome</b> will be moved"), "\(markdown.stdout)")

            let start = log.count
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: Self.environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("video.welcome: moved, id \(intro.id)"), "\(apply.stdout)")
            let requests = log.lines(from: start)
            let uploads = requests.filter { $0.hasSuffix("/part") || $0.hasSuffix("/complete") || $0.contains("/thumbnail") }
            #expect(uploads.isEmpty, "\(requests)")
            #expect(!requests.contains { $0.contains("/captions") && !$0.hasPrefix("GET") }, "\(requests)")
            #expect(!requests.contains { $0.contains("/items") }, "\(requests)")
            #expect(!requests.contains { $0.hasPrefix("DELETE") }, "\(requests)")

            let welcome = try #require(try await Self.video(sandbox, "video.welcome"))
            #expect(welcome.id == intro.id)
            #expect(try await Self.video(sandbox, "video.intro") == nil)
            #expect(try await sandbox.provider.textTracks(.caption, videoID: welcome.id) == captions)
            #expect(try #require(try await sandbox.client.allPlaylists(query).first).items == items)

            let again = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode", "manifests"], in: copy.path, environment: Self.environment)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
        }
    }

    /// The compatibility scenario (office-hours renamed bonus with other qualities) relies on this too.
    @Test(
        "a renamed video whose qualities change too is not moved automatically: it would be replaced anyway",
        .timeLimit(.minutes(10)))
    func renameWithOtherQualities() async throws {
        try await Self.applied { sandbox, copy, _ in
            try Self.edit(
                copy.path + "/manifests/videos/course.yaml",
                [
                    ("\n  intro:\n", "\n  welcome:\n"),
                    (
                        "    is_public: true\n    tags: [swift, tutorial, trailer]\n",
                        "    is_public: true\n    qualities: web-hd\n    tags: [swift, tutorial, trailer]\n"
                    ),
                ])
            try Self.edit(copy.path + "/manifests/playlists.yaml", [("videos: [intro,", "videos: [welcome,")])
            let plan = try await sandbox.streamplan(["plan", "manifests"], in: copy.path, environment: Self.environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(!plan.stdout.contains("will be moved"), "\(plan.stdout)")
            #expect(plan.stdout.contains("# video.welcome will be created"), "\(plan.stdout)")
            #expect(plan.stdout.contains("# video.intro will be deleted"), "\(plan.stdout)")
        }
    }

    @Test(
        "a key renamed with a moved: block keeps its id and stream key, with its streamings; the block then stays a no-op",
        .timeLimit(.minutes(10)))
    func keyMove() async throws {
        try await Self.applied { sandbox, copy, _ in
            let keys = try await sandbox.provider.allLiveKeys()
            let keyID = try #require(keys.first { $0.name == "Northwind Town Hall" }?.id)
            let streamKey = try #require(
                (try await sandbox.api.send(.GET, "/live_streams/\(keyID)")).data["stream_key"] as? String)
            try Self.edit(
                copy.path + "/manifests/live.yaml",
                [
                    ("  townhall:", "  all-hands:"),
                    ("live_streams:\n", "moved:\n  - {from: live_stream.townhall, to: live_stream.all-hands}\n\nlive_streams:\n"),
                ])

            let plan = try await sandbox.streamplan(["plan", "manifests"], in: copy.path, environment: Self.environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(
                plan.stdout.contains("# live_stream.townhall => live_stream.all-hands will be moved: moved: block"),
                "\(plan.stdout)")
            #expect(plan.stdout.components(separatedBy: "\n  # ").count == 2, "\(plan.stdout)")
            #expect(!plan.stdout.contains(streamKey))

            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: Self.environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("live_stream.all-hands: moved, id \(keyID)"), "\(apply.stdout)")
            let after = try await sandbox.api.send(.GET, "/live_streams/\(keyID)")
            #expect(after.status == 200)
            #expect(after.data["stream_key"] as? String == streamKey)

            let again = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode", "manifests"], in: copy.path, environment: Self.environment)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
            // The block stays in the manifests: nothing is managed at the old address any more.
            #expect(
                again.stdout.contains("Note: live_stream.townhall: moved to live_stream.all-hands: nothing is managed at"),
                "\(again.stdout)")
        }
    }
}
