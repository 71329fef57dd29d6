import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Restream destinations (issue 24, "Restreaming"): a key's destination whose stream key comes from
/// the environment is created, shown masked everywhere, kept out of saved plans, and removed when it
/// leaves the manifests (only it: a destination streamplan did not make stays); a literal stream key
/// is refused by validate at its position.
@Suite("restream destinations through the CLI", .gated, .eachGeneration, .namingGeneration)
struct RestreamCLITests {
    static let secret = "yt-Secret-0a1b2c3d4e5f6789"
    static let variable = "STREAMPLAN_TEST_YOUTUBE_KEY"
    static let url = "rtmp://a.rtmp.youtube.com/live2/\(secret)"
    static let foreign = "rtmp://live.twitch.tv/app/live_someone_else_0123456789"

    static func manifest(_ workspace: TestWorkspace, restream: Bool) throws {
        var yaml = "live_streams:\n  townhall:\n    name: Town Hall\n"
        if restream {
            yaml += "    restream:\n      youtube:\n        url: \"rtmp://a.rtmp.youtube.com/live2/${\(variable)}\"\n"
        }
        try workspace.manifest(yaml)
    }

    @Test(
        "validate, plan, apply, No changes.; the stream key appears in no output, saved plan or .streamplan/ file; removing it deletes only it",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        let workspace = try TestWorkspace(project: "relay", prefix: "restream")
        defer { workspace.remove() }
        try Self.manifest(workspace, restream: true)
        try await TestSandbox.with { sandbox in
            var outputs: [CLIResult] = []
            func run(_ arguments: [String]) async throws -> CLIResult {
                let result = try await sandbox.streamplan(
                    arguments, in: workspace.directory, environment: [Self.variable: Self.secret])
                outputs.append(result)
                return result
            }
            let validate = try await streamplan(
                ["validate", "streamplan.yaml"], in: workspace.directory, environment: [Self.variable: Self.secret])
            outputs.append(validate)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
            let plan = try await run(["plan", "streamplan.yaml"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("live_stream.townhall.restream.youtube will be created"), "\(plan.stdout)")
            #expect(plan.stdout.contains("rtmp://a.rtmp.youtube.com/live2/***"), "\(plan.stdout)")
            for format in ["json", "markdown"] {
                _ = try await run(["plan", "--format", format, "streamplan.yaml"])
            }
            let saved = try await run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(saved.status == 0, "\(saved.stderr)")
            let planFile = try String(contentsOfFile: workspace.directory + "/plan.json", encoding: .utf8)
            #expect(!planFile.contains(Self.secret))
            #expect(planFile.contains("${\(Self.variable)}"))
            let applied = try await run(["apply", "plan.json"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("live_stream.townhall.restream.youtube: created"), "\(applied.stdout)")

            // The key restreams to the URL, stream key and all.
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            let streamKey = try await sandbox.client.getLiveStreamKey(id: keyID).streamKey
            #expect(try await sandbox.client.getMulticast(streamKey: streamKey, keyID: keyID).urls == [Self.url])

            let again = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")
            let output = try await run(["output", "--format", "json", "streamplan.yaml"])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("live_stream.townhall.restream.youtube"), "\(output.stdout)")
            #expect(output.stdout.contains("live2/***"), "\(output.stdout)")
            let status = try await run(["status", "streamplan.yaml"])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(
                status.stdout.contains("live_stream.townhall.restream.youtube: rtmp://a.rtmp.youtube.com/live2/***"),
                "\(status.stdout)")

            let show = try await run(["show", "live_stream.townhall.restream.youtube", "--reveal", "streamplan.yaml"])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("url:        rtmp://a.rtmp.youtube.com/live2/***"), "\(show.stdout)")
            let showKey = try await run(["show", "live_stream.townhall", "streamplan.yaml"])
            #expect(
                showKey.stdout.contains("live_stream.townhall.restream.youtube: rtmp://a.rtmp.youtube.com/live2/***"),
                "\(showKey.stdout)")

            // Someone adds a destination of their own; then youtube leaves the manifests.
            _ = try await sandbox.client.addMulticast(
                streamKey: streamKey, keyID: keyID, .init(multicastURLs: [Self.foreign]))
            try Self.manifest(workspace, restream: false)
            let planDelete = try await run(["plan", "streamplan.yaml"])
            #expect(
                planDelete.stdout.contains("live_stream.townhall.restream.youtube will be deleted"), "\(planDelete.stdout)")
            #expect(!planDelete.stdout.contains("twitch"), "\(planDelete.stdout)")
            let refused = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--allow-delete"), "\(refused.stderr)")
            #expect(try await sandbox.client.getMulticast(streamKey: streamKey, keyID: keyID).urls.count == 2)
            let deleted = try await run(["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"])
            #expect(deleted.status == 0, "\(deleted.stdout)\(deleted.stderr)")
            #expect(try await sandbox.client.getMulticast(streamKey: streamKey, keyID: keyID).urls == [Self.foreign])
            let settled = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(settled.status == 0 && settled.stdout.contains("No changes."), "\(settled.stdout)\(settled.stderr)")

            for result in outputs {
                #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret), "\(result.stdout)")
            }
            // Nothing under .streamplan/ keeps it either.
            let state = workspace.directory + "/.streamplan"
            for name in (FileManager.default.subpaths(atPath: state) ?? []) {
                guard let data = FileManager.default.contents(atPath: state + "/" + name) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains(Self.secret), "\(name)")
            }
        }
    }

    @Test("a stream key written literally is refused by validate at the url, with the ${NAME} fix", .timeLimit(.minutes(10)))
    func literalKey() async throws {
        let workspace = try TestWorkspace(project: "relay", prefix: "restream-literal")
        defer { workspace.remove() }
        try workspace.manifest(
            "live_streams:\n  townhall:\n    name: Town Hall\n    restream:\n      youtube:\n"
                + "        url: \"\(Self.url)\"\n")
        try await TestSandbox.with { sandbox in
            let validate = try await streamplan(["validate", "streamplan.yaml"], in: workspace.directory)
            #expect(validate.status != 0)
            let text = validate.stdout + validate.stderr
            // project: is line 1; url: is line 7, its value at column 14.
            #expect(text.contains("streamplan.yaml:7:14"), "\(text)")
            #expect(text.contains("${NAME}") && text.contains("written literally"), "\(text)")
            #expect(!text.contains(Self.secret), "\(text)")
        }
    }
}
