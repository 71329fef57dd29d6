import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// `streamplan output` and `apply --outputs FILE` after the quickstart, against a sandbox: every
/// managed object with its links, read from the account; secrets only with --reveal.
@Suite("output: the links of every managed object", .gated, .serialized)
struct OutputCLITests {
    /// The quickstart's 13 objects and the links each one has on the sandbox.
    static let expected: [String: Set<String>] = {
        var expected: [String: Set<String>] = [:]
        for video in ["intro", "lesson-1", "lesson-2", "office-hours"] {
            expected["video.\(video)"] = ["hls", "dash", "player", "dash_player", "mp4", "thumbnail"]
        }
        expected["video.intro.caption.en"] = ["vtt"]
        expected["video.intro.caption.vi"] = ["vtt"]
        expected["video.intro.chapter.en"] = ["vtt"]
        expected["playlist.course"] = ["playlist", "thumbnail"]
        expected["player.brand"] = ["logo"]
        expected["webhook.encoded"] = []
        expected["live_stream.townhall"] = []
        expected["live_stream.townhall.streaming.kickoff"] = []
        expected["live_stream.townhall.streaming.q-and-a"] = []
        return expected
    }()

    static func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func checkSchema(_ file: String) async throws -> (status: Int32, output: String) {
        try await ToolRun.runOffPool("python3", ["scripts/check-outputs-schema.py", file])
    }

    /// Applies the examples to a fresh sandbox (writing `outputs.json`), then runs `body`.
    static func quickstart(_ body: (TestSandbox, ExampleCopy) async throws -> Void) async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--outputs", "outputs.json", "manifests"], in: copy.path,
                environment: ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"])
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("Outputs written to outputs.json (13 objects)."), "\(apply.stdout)")
            try await body(sandbox, copy)
        }
    }

    @Test(
        "output --format json: valid, every object of the quickstart with its links, each answering 200; apply --outputs wrote the same",
        .timeLimit(.minutes(10)))
    func jsonAfterQuickstart() async throws {
        try await Self.quickstart { sandbox, copy in
            let output = try await sandbox.streamplan(["output", "--format", "json"], in: copy.path)
            #expect(output.status == 0, "\(output.stderr)")
            let written = try String(contentsOfFile: copy.path + "/outputs.json", encoding: .utf8)
            #expect(written == output.stdout)

            let file = copy.path + "/printed.json"
            try output.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let check = try await Self.checkSchema(file)
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.contains("check-outputs-schema: 1 file(s), 0 invalid"), "\(check.output)")

            let document = try Self.object(output.stdout)
            #expect(document["format_version"] as? Int == 1)
            #expect(document["project"] as? String == "northwind-academy")
            let objects = try #require(document["objects"] as? [[String: Any]])
            let addresses = objects.compactMap { $0["address"] as? String }
            #expect(addresses == addresses.sorted())
            #expect(Set(addresses) == Set(Self.expected.keys), "\(addresses)")
            var links: [(String, String)] = []
            for object in objects {
                let address = try #require(object["address"] as? String)
                #expect(object["id"] is String, "\(address)")
                #expect(object["stream_key"] == nil && object["rtmp_url"] == nil, "\(address)")
                let named = try #require(object["links"] as? [String: String])
                #expect(Set(named.keys) == Self.expected[address], "\(address): \(named)")
                links += named.map { ("\(address) \($0.key)", $0.value) }
            }
            let videos = try #require(objects.first { $0["address"] as? String == "playlist.course" }?["videos"] as? [String])
            #expect(videos == ["video.intro", "video.lesson-1", "video.lesson-2"])
            let hook = try #require(objects.first { $0["address"] as? String == "webhook.encoded" })
            #expect(hook["url"] as? String == "https://hooks.example.com/northwind/encoded")
            for object in objects where (object["address"] as? String)?.hasPrefix("video.") == true {
                if (object["address"] as? String)?.split(separator: ".").count == 2 {
                    #expect(object["status"] as? String == "done")
                }
            }

            #expect(links.count == 30, "4 videos × 6, 3 text tracks, the playlist's 2, the logo")
            for (name, url) in links {
                #expect(url.hasPrefix(sandbox.baseURL), "\(name): \(url)")
                let (status, body) = try await TestSandbox.download(url)
                #expect(status == 200, "\(name): \(url)")
                #expect(!body.isEmpty, "\(name): \(url)")
                // Public, as players and a static page fetch them: no keys needed.
                let keyless = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                #expect(keyless.status.code == 200, "\(name) without keys: \(url)")
                _ = try await keyless.body.collect(upTo: 64 << 20)
            }
        }
    }

    @Test(
        "output selects by address, refuses an unmanaged one by name; the stream key appears only with --reveal",
        .timeLimit(.minutes(10)))
    func addressesAndReveal() async throws {
        try await Self.quickstart { sandbox, copy in
            let keyID = try #require(
                (try Self.object(try String(contentsOfFile: copy.path + "/outputs.json", encoding: .utf8))["objects"]
                    as? [[String: Any]])?.first { $0["address"] as? String == "live_stream.townhall" }?["id"] as? String)
            let secrets = try #require(try await sandbox.provider.liveKeySecrets(id: keyID))

            let text = try await sandbox.streamplan(["output"], in: copy.path)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.hasPrefix("Outputs of project northwind-academy (13 objects):\n"), "\(text.stdout)")
            #expect(text.stdout.contains("  stream_key: ********\n"))
            #expect(text.stdout.contains("(secrets masked; add --reveal to print them)"))

            let video = try await sandbox.streamplan(["output", "video.intro", "--format", "json"], in: copy.path)
            #expect(video.status == 0, "\(video.stderr)")
            let selected = try #require(try Self.object(video.stdout)["objects"] as? [[String: Any]]).compactMap {
                $0["address"] as? String
            }
            #expect(selected == ["video.intro", "video.intro.caption.en", "video.intro.caption.vi", "video.intro.chapter.en"])

            let unknown = try await sandbox.streamplan(["output", "video.intro", "video.nope", "manifests"], in: copy.path)
            #expect(unknown.status == 1)
            #expect(unknown.stdout.isEmpty)
            #expect(unknown.stderr.contains("error: video.nope is not managed by project northwind-academy"), "\(unknown.stderr)")

            let revealed = try await sandbox.streamplan(["output", "live_stream.townhall", "--reveal"], in: copy.path)
            #expect(revealed.status == 0, "\(revealed.stderr)")
            #expect(revealed.stdout.contains("  stream_key: \(secrets.streamKey)\n"), "\(revealed.stdout)")
            #expect(revealed.stdout.contains("  rtmp_url: \(secrets.rtmpURL)\n"))
            let revealedJSON = try await sandbox.streamplan(["output", "--reveal", "--format", "json"], in: copy.path)
            #expect(revealedJSON.stdout.contains(secrets.streamKey))

            let written = try String(contentsOfFile: copy.path + "/outputs.json", encoding: .utf8)
            for unrevealed in [text.stdout, text.stderr, video.stdout, written] {
                #expect(!unrevealed.contains(secrets.streamKey))
                #expect(!unrevealed.contains(secrets.rtmpURL))
            }
        }
    }
}
