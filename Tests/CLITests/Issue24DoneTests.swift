import AIOZ
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// One project holding issue 24's pieces at once ("Done means", item 1): a restream destination whose
/// stream key comes from the environment, a watermark, an audio file, a 144p rung, a streaming whose
/// qualities change, and a saved recording's title. Validate, plan, a saved plan applied, `No changes.`;
/// then new qualities for the streaming (a replace while it is not live, in place while it is), each
/// applied to `No changes.`; the restream key in no output, saved plan, state file or sandbox log.
private struct DoneProject {
    static let variable = "STREAMPLAN_TEST_DONE24_RESTREAM_KEY"
    let sandbox: TestSandbox
    let workspace: TestWorkspace
    /// The restream stream key: random, so that finding it anywhere can only mean it leaked.
    let secret = "rk-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let outputs = OutputLog()

    var directory: String { workspace.directory }

    final class OutputLog: @unchecked Sendable {
        var results: [(command: String, result: CLIResult)] = []
    }

    /// The manifests: with `full`, every piece; without, only the key and its saved streaming (whose
    /// recording has to exist before an entry can select it).
    func write(full: Bool, main: String = "144p, 360p") throws {
        var yaml = "live_streams:\n  townhall:\n    name: Town Hall\n    save: true\n    streamings:\n"
        yaml += "      kickoff: {title: Kickoff, save: true}\n"
        if full {
            yaml += "      main: {title: Main stage, qualities: [\(main)]}\n"
            yaml += "    restream:\n      youtube:\n"
            yaml += "        url: \"rtmp://a.rtmp.youtube.com/live2/${\(Self.variable)}\"\n"
            yaml += "    recordings:\n      replay: {streaming: kickoff, title: \"Kickoff (replay)\"}\n"
            yaml += "videos:\n  song:\n    title: Song\n    source: media/audio-1s.mp3\n    type: audio\n"
            yaml += "  intro:\n    title: Intro\n    source: media/intro.mp4\n    qualities: [144p, 360p]\n"
            yaml += "    watermark: {id: logo-1, top: 10px, right: \"5%\", width: 20%, opacity: 0.8}\n"
        }
        try workspace.manifest(yaml)
    }

    /// Runs the CLI against the sandbox under the 2026 API (audio media need it), keeping what it printed.
    @discardableResult
    func run(_ arguments: [String], sandboxed: Bool = true) async throws -> CLIResult {
        let environment = [Self.variable: secret, "STREAMPLAN_API": "media"]
        let result =
            sandboxed
            ? try await sandbox.streamplan(arguments, in: directory, environment: environment)
            : try await streamplan(arguments, in: directory, environment: environment)
        outputs.results.append((arguments.joined(separator: " "), result))
        return result
    }

    func expectNoChanges(_ when: String) async throws {
        let plan = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
        #expect(plan.status == 0 && plan.stdout.contains("No changes."), "\(when): \(plan.stdout)\(plan.stderr)")
    }

    /// The key's streamings by title.
    func streamings(_ keyID: String) async throws -> [String: Streaming] {
        let page = try await sandbox.client.listStreamings(liveStreamKeyID: keyID)
        return Dictionary(page.streamings.map { ($0.title, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Fails for each place holding the secret: the commands' output, the saved plan, every file under
    /// the project's state directory, and the sandbox's webhook delivery log.
    func expectSecretNowhere() async throws {
        for (command, result) in outputs.results {
            #expect(!result.stdout.contains(secret), "streamplan \(command) printed the restream key on stdout")
            #expect(!result.stderr.contains(secret), "streamplan \(command) printed the restream key on stderr")
        }
        var files = ["plan.json"]
        let state = workspace.stateDirectory
        let under = FileManager.default.subpaths(atPath: state) ?? []
        #expect(!under.isEmpty, "no state directory at \(state)")
        files += under.map { ".streamplan/" + $0 }
        for name in files {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains(secret), "\(name) holds the restream key")
        }
        let deliveries = try await sandbox.api.send(.GET, "/_sandbox/webhook_deliveries")
        #expect(deliveries.status == 200)
        #expect(!String(decoding: deliveries.bytes, as: UTF8.self).contains(secret), "the delivery log holds the key")
    }
}

@Suite("issue 24, Done means 1: every new piece in one project through the CLI", .gated)
struct Issue24DoneTests {
    @Test(
        "validate, plan, saved plan applied, No changes.; new qualities replace a streaming that is not live and update a live one in place; the restream key is nowhere",
        .timeLimit(.minutes(10)))
    func everyPieceTogether() async throws {
        let workspace = try TestWorkspace(project: "done24", prefix: "issue24-done")
        defer { workspace.remove() }
        try workspace.media("intro.mp4", size: 30_000)
        try FileManager.default.copyItem(
            atPath: packageRoot + "/Tests/Fixtures/media/audio-1s.mp3", toPath: workspace.directory + "/media/audio-1s.mp3")
        try await TestSandbox.with { sandbox in
            let project = DoneProject(sandbox: sandbox, workspace: workspace)
            // The key and its saved streaming first; an encoder pushes, then stops: a recording.
            try project.write(full: false)
            let first = try await project.run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let recordingID = try #require(try await sandbox.provider.savedRecordings(keyID: keyID).first?.video?.id)

            try project.write(full: true)
            let validate = try await project.run(["validate", "streamplan.yaml"], sandboxed: false)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
            let plan = try await project.run(["plan", "streamplan.yaml"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            for line in [
                "live_stream.townhall.restream.youtube will be created", "rtmp://a.rtmp.youtube.com/live2/***",
                "live_stream.townhall.streaming.main will be created", "live_stream.townhall.recording.replay will be updated",
                "Kickoff (replay)", "video.song will be created", "video.intro will be created", "144p", "logo-1",
            ] {
                #expect(plan.stdout.contains(line), "plan lacks \(line): \(plan.stdout)")
            }
            for format in ["json", "markdown"] {
                let other = try await project.run(["plan", "--format", format, "streamplan.yaml"])
                #expect(other.status == 0, "\(format): \(other.stdout)\(other.stderr)")
            }
            let saved = try await project.run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
            let applied = try await project.run(["apply", "plan.json"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(
                applied.stdout.contains("live_stream.townhall.recording.replay: updated, id \(recordingID)"), "\(applied.stdout)")
            try await project.expectNoChanges("after the saved plan")
            try await Self.expectAccount(sandbox, keyID: keyID, recordingID: recordingID, secret: project.secret)

            // New qualities while `main` is not live: a replace that says why (a new id), then converged.
            let before = try #require(try await project.streamings(keyID)["Main stage"])
            try project.write(full: true, main: "144p, 720p")
            let replace = try await project.run(["plan", "streamplan.yaml"])
            #expect(replace.stdout.contains("live_stream.townhall.streaming.main must be replaced"), "\(replace.stdout)")
            #expect(replace.stdout.contains("only while it is live streaming"), "\(replace.stdout)")
            let replaced = try await project.run(["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"])
            #expect(replaced.status == 0, "\(replaced.stdout)\(replaced.stderr)")
            try await project.expectNoChanges("after the replace")
            let new = try #require(try await project.streamings(keyID)["Main stage"])
            #expect(new.id != before.id && Set(new.qualities) == ["144p", "720p"], "\(new)")
            // The kickoff's recording was not touched by it.
            #expect(try await sandbox.client.getVideo(id: recordingID).title == "Kickoff (replay)")

            // The encoder pushes again: `main` (the key's newest waiting streaming) goes live, and new
            // qualities are updated in place: the same streaming, the same URLs.
            try await sandbox.broadcast(keyID: keyID, true)
            #expect(try await project.streamings(keyID)["Main stage"]?.status == "streaming")
            try project.write(full: true, main: "144p, 480p")
            let update = try await project.run(["plan", "streamplan.yaml"])
            #expect(update.stdout.contains("live_stream.townhall.streaming.main will be updated in place"), "\(update.stdout)")
            let updated = try await project.run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(updated.status == 0, "\(updated.stdout)\(updated.stderr)")
            try await project.expectNoChanges("after the live update")
            let live = try #require(try await project.streamings(keyID)["Main stage"])
            #expect(live.id == new.id && Set(live.qualities) == ["144p", "480p"], "\(live)")
            #expect(
                try await sandbox.client.getMulticast(streamKey: Self.streamKey(sandbox, keyID), keyID: keyID).urls.count == 1)
            try await sandbox.broadcast(keyID: keyID, false)

            let status = try await project.run(["status", "streamplan.yaml"])
            #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
            try await project.expectSecretNowhere()
        }
    }

    static func streamKey(_ sandbox: TestSandbox, _ keyID: String) async throws -> String {
        try await sandbox.client.getLiveStreamKey(id: keyID).streamKey
    }

    /// What the account holds after the first apply, read through the sandbox's API and page.
    static func expectAccount(_ sandbox: TestSandbox, keyID: String, recordingID: String, secret: String) async throws {
        let destinations = try await sandbox.client.getMulticast(streamKey: streamKey(sandbox, keyID), keyID: keyID)
        #expect(destinations.urls == ["rtmp://a.rtmp.youtube.com/live2/\(secret)"])
        #expect(try await sandbox.client.getVideo(id: recordingID).title == "Kickoff (replay)")
        let videos = try await sandbox.projectVideos("done24")
        let song = try #require(videos.first { $0.title == "Song" })
        #expect(try await sandbox.client.getVideo(id: song.id).type == "audio")
        let intro = try #require(videos.first { $0.title == "Intro" })
        let read = try await sandbox.client.getVideo(id: intro.id)
        #expect(read.type == "video" && Set(read.qualities.map(\.name)) == ["144p", "360p"], "\(read.qualities)")
        let main = try #require(
            try await sandbox.client.listStreamings(liveStreamKeyID: keyID).streamings.first { $0.title == "Main stage" })
        #expect(Set(main.qualities) == ["144p", "360p"])
        // The watermark is not read back by the API; the sandbox's page shows what the create carried.
        let page = try await sandbox.api.send(.GET, "", auth: .basic, url: String(sandbox.baseURL.dropLast("api".count)))
        let html = String(decoding: page.bytes, as: UTF8.self)
        #expect(html.contains("id logo-1 · top 10px · right 5% · width 20% · opacity 80%"), "\(html)")
        #expect(!html.contains(secret), "the sandbox's page shows the restream key")
    }
}
