import AIOZ
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Audio media, a watermark and segment_duration through validate, plan and apply, against the sandbox.
private struct MediaStage {
    let sandbox: TestSandbox
    let workspace: TestWorkspace

    var directory: String { workspace.directory }

    static func with(_ body: (MediaStage) async throws -> Void) async throws {
        try await TestSandbox.with { sandbox in
            let workspace = try TestWorkspace(project: "audio", prefix: "media-fields")
            defer { workspace.remove() }
            try workspace.media("intro.mp4", size: 30_000)
            for name in ["audio-1s.mp3", "audio-2.5s.m4a"] {
                try FileManager.default.copyItem(
                    atPath: packageRoot + "/Tests/Fixtures/media/" + name, toPath: workspace.directory + "/media/" + name)
            }
            try await body(MediaStage(sandbox: sandbox, workspace: workspace))
        }
    }

    func manifest(opacity: String = "0.8", songSegments: Int = 4) throws {
        try workspace.manifest(
            """
            videos:
              song:
                title: Song
                source: media/audio-1s.mp3
                type: audio
                segment_duration: \(songSegments)
              voice:
                title: Voice
                source: media/audio-2.5s.m4a
                type: audio
                qualities:
                  - resolution: audio
                    audio_config: {bitrate: 96000}
              intro:
                title: Intro
                source: media/intro.mp4
                watermark: {id: logo-1, top: 10px, right: "5%", width: 20%, opacity: \(opacity)}
                segment_duration: 6

            """)
    }

    func run(_ arguments: [String], api: String = "media") async throws -> CLIResult {
        try await sandbox.streamplan(arguments + ["--api", api, "streamplan.yaml"], in: directory)
    }

    /// The ids and titles `POST /media` lists for a `type` filter (nil: none sent).
    func listed(type: String?) async throws -> [String] {
        let body = type.map { #"{"type":"\#($0)"}"# } ?? "{}"
        let result = try await sandbox.api.send(.POST, "/media", json: body)
        #expect(result.status == 200, "\(result.json)")
        let data = result.json["data"] as? [String: Any]
        let media = data?["media"] as? [[String: Any]] ?? []
        // The project's media only (not the account lease's record).
        let marked = media.filter { item in
            (item["metadata"] as? [[String: Any]] ?? []).contains { $0["key"] as? String == "streamplan.address" }
        }
        return marked.compactMap { $0["title"] as? String }.sorted()
    }
}

@Suite("audio media, watermark and segment_duration on the command line", .gated, .serialized)
struct MediaFieldsCLITests {
    @Test(
        "validate, plan, apply, then No changes; a new watermark or segment_duration plans a replace that says why",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await MediaStage.with { stage in
            try stage.manifest()
            let validate = try await streamplan(["validate", "streamplan.yaml"], in: stage.directory)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")

            let plan = try await stage.run(["plan"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("type") && plan.stdout.contains("audio"), "\(plan.stdout)")
            #expect(plan.stdout.contains("{id: logo-1, top: 10px, right: 5%, width: 20%, opacity: 80%}"), "\(plan.stdout)")
            #expect(plan.stdout.contains("not priced: an audio media"), "\(plan.stdout)")
            let apply = try await stage.run(["apply", "--auto-approve", "--no-cost"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

            // The service reports the type, and the list's `type` filter filters.
            #expect(try await stage.listed(type: "audio") == ["Song", "Voice"])
            #expect(try await stage.listed(type: "video") == ["Intro"])
            #expect(try await stage.listed(type: nil) == ["Intro", "Song", "Voice"])
            let bad = try await stage.sandbox.api.send(.POST, "/media", json: #"{"type":"podcast"}"#)
            #expect(bad.status == 400)
            // The create carried the watermark and the segment lengths: the sandbox's page shows them.
            let page = try await stage.sandbox.api.send(
                .GET, "", auth: .basic, url: String(stage.sandbox.baseURL.dropLast("api".count)))
            let html = String(decoding: page.bytes, as: UTF8.self)
            #expect(html.contains("id logo-1 · top 10px · right 5% · width 20% · opacity 80%"), "\(html)")
            #expect(html.contains("6 s") && html.contains("4 s"), "\(html)")

            let again = try await stage.run(["plan", "--no-cost", "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("No changes."), "\(again.stdout)")

            try stage.manifest(opacity: "\"60%\"", songSegments: 8)
            let changed = try await stage.run(["plan", "--no-cost", "--detailed-exitcode"])
            #expect(changed.status == 2, "\(changed.stdout)\(changed.stderr)")
            #expect(changed.stdout.contains("the watermark is fixed at creation"), "\(changed.stdout)")
            #expect(changed.stdout.contains("segment_duration is fixed at creation"), "\(changed.stdout)")
            #expect(changed.stdout.contains("4 s") && changed.stdout.contains("8 s"), "\(changed.stdout)")
            #expect(
                changed.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 2 to replace")
                    || changed.stdout.contains("2 to replace"), "\(changed.stdout)")
            // Through a saved plan: it carries the new values, and apply makes exactly those.
            let saved = try await stage.run(["plan", "--no-cost", "--out", "plan.json"])
            #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
            let document = try String(contentsOfFile: stage.directory + "/plan.json", encoding: .utf8)
            #expect(document.contains("segment_duration") && document.contains("60%"), "\(document)")
            let replace = try await stage.sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "--api", "media", "plan.json"], in: stage.directory)
            #expect(replace.status == 0, "\(replace.stdout)\(replace.stderr)")
            let settled = try await stage.run(["plan", "--no-cost", "--detailed-exitcode"])
            #expect(settled.status == 0 && settled.stdout.contains("No changes."), "\(settled.stdout)\(settled.stderr)")
            #expect(try await stage.listed(type: nil) == ["Intro", "Song", "Voice"])
        }
    }

    @Test(
        "under --api videos an audio media is blocked at plan with the way out; a watermark and segment_duration apply, then No changes"
    )
    func olderAPI() async throws {
        try await MediaStage.with { stage in
            try stage.manifest()
            let plan = try await stage.run(["plan", "--no-cost"], api: "videos")
            #expect(plan.stdout.contains("has no audio media (`type`); run with --api media"), "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("video.intro"), "\(plan.stdout)")
            // The 2025 create takes the watermark and segment_duration too (its CreateMediaRequest).
            try stage.workspace.manifest(
                """
                videos:
                  intro:
                    title: Intro
                    source: media/intro.mp4
                    watermark: {id: logo-1, bottom: 0px, left: 0px, opacity: "100%"}
                    segment_duration: 2

                """)
            let apply = try await stage.run(["apply", "--auto-approve", "--no-cost"], api: "videos")
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let again = try await stage.run(["plan", "--no-cost", "--detailed-exitcode"], api: "videos")
            #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")
        }
    }

    @Test(
        "the sandbox refuses what AIOZ's create cannot take: a watermark without id, a video quality on audio, segments out of range"
    )
    func sandboxRefusals() async throws {
        try await TestSandbox.with { sandbox in
            let bodies = [
                #"{"title":"t","watermark":{"top":"1px"}}"#,
                #"{"title":"t","type":"audio","qualities":[{"resolution":"720p","type":"hls","container_type":"mpegts"}]}"#,
                #"{"title":"t","type":"audio","watermark":{"id":"logo"}}"#,
                #"{"title":"t","segment_duration":0}"#,
            ]
            for body in bodies {
                let result = try await sandbox.api.send(.POST, "/media/create", json: body)
                #expect(result.status == 400, "\(body): \(result.json)")
            }
            let ok = try await sandbox.api.send(
                .POST, "/media/create", json: #"{"title":"t","type":"audio","segment_duration":6}"#)
            #expect(ok.status == 200, "\(ok.json)")
            let data = ok.json["data"] as? [String: Any]
            #expect(data?["type"] as? String == "audio")
            let qualities = data?["qualities"] as? [[String: Any]] ?? []
            #expect(qualities.map { $0["name"] as? String } == ["audio"])
        }
    }

    @Test("an audio media made by hand: generate writes `type: audio`, and the import adopts it with no replace")
    func generateAudio() async throws {
        try await MediaStage.with { stage in
            let sandbox = stage.sandbox
            let created = try await sandbox.api.send(.POST, "/media/create", json: #"{"title":"Podcast 1","type":"audio"}"#)
            let id = try #require(created.data["id"] as? String, "\(created.json)")
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/media/audio-2.5s.m4a")))
            #expect(try await sandbox.api.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0).status == 200)
            #expect(try await sandbox.api.send(.GET, "/videos/\(id)/complete").status == 200)

            let generated = try await sandbox.streamplan(
                ["generate", "--out", "gen", "--project", "pods", "--download-sources", "--api", "media"], in: stage.directory)
            #expect(generated.status == 0, "\(generated.stdout)\(generated.stderr)")
            let yaml = try String(contentsOfFile: stage.directory + "/gen/streamplan.yaml", encoding: .utf8)
            #expect(yaml.contains("    type: audio\n"), "\(yaml)")
            let validate = try await streamplan(["validate", "gen"], in: stage.directory)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--trust-source", "--no-cost", "--api", "media", "gen"], in: stage.directory)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("1 to import"), "\(apply.stdout)")
            let again = try await sandbox.streamplan(
                ["plan", "--no-cost", "--detailed-exitcode", "--api", "media", "gen"], in: stage.directory)
            #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")
        }
    }
}
