import AIOZ
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// A project with one video and its captions, against the shared sandbox harness.
private struct CaptionStage {
    let sandbox: TestSandbox
    let workspace: TestWorkspace

    var directory: String { workspace.directory }
    var client: AIOZClient { sandbox.client }

    static func with(_ body: (CaptionStage) async throws -> Void) async throws {
        try await TestSandbox.with { sandbox in
            let workspace = try TestWorkspace(project: "captions", prefix: "captions")
            defer { workspace.remove() }
            try workspace.media("intro.mp4", size: 40_000)
            try FileManager.default.createDirectory(atPath: workspace.directory + "/subs", withIntermediateDirectories: true)
            let stage = CaptionStage(sandbox: sandbox, workspace: workspace)
            try stage.vtt("en", "Hello")
            try stage.vtt("vi", "Xin chào")
            try await body(stage)
        }
    }

    func vtt(_ language: String, _ text: String) throws {
        try "WEBVTT\n\n00:00.000 --> 00:01.000\n\(text)\n".write(
            toFile: directory + "/subs/\(language).vtt", atomically: true, encoding: .utf8)
    }

    func manifest(captions: [String], defaultCaption: String? = "en", chapters: [String] = []) throws {
        var yaml = "videos:\n  intro:\n    title: Intro\n    source: media/intro.mp4\n"
        if !captions.isEmpty {
            yaml += "    captions: {" + captions.map { "\($0): subs/\($0).vtt" }.joined(separator: ", ") + "}\n"
        }
        if let defaultCaption { yaml += "    default_caption: \(defaultCaption)\n" }
        if !chapters.isEmpty {
            yaml += "    chapters: {" + chapters.map { "\($0): subs/\($0).vtt" }.joined(separator: ", ") + "}\n"
        }
        try workspace.manifest(yaml)
    }

    /// Runs the CLI on `streamplan.yaml` (or on a saved plan, when one is named).
    func run(_ arguments: [String]) async throws -> CLIResult {
        let paths = arguments.contains("plan.json") && arguments.first == "apply" ? [] : ["streamplan.yaml"]
        return try await sandbox.streamplan(arguments + paths, in: directory)
    }

    func videoID() async throws -> String {
        let videos = try await client.allVideos()
        return try #require(videos.first { $0.metadata.contains { $0.key == "streamplan.address" } }?.id)
    }
}

@Suite("captions on the command line, against the sandbox", .gated, .serialized, .eachGeneration, .namingGeneration)
struct TextTrackCLITests {
    @Test(
        "two captions and a default apply; re-plan is No changes; a changed file is one upload; a removed language one delete",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await CaptionStage.with { stage in
            try stage.manifest(captions: ["en", "vi"])
            let plan = try await stage.run(["plan", "--no-cost"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("video.intro.caption.en"), "\(plan.stdout)")
            #expect(plan.stdout.contains("Plan: 3 to create"), "\(plan.stdout)")
            let apply = try await stage.run(["apply", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let id = try await stage.videoID()
            let captions = try await stage.client.listTextTracks("captions", videoID: id)
            #expect(captions.map(\.language).sorted() == ["en", "vi"])
            #expect(captions.first { $0.language == "en" }?.isDefault == true)

            let again = try await stage.run(["plan", "--no-cost", "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("No changes."), "\(again.stdout)")

            try stage.vtt("vi", "Xin chào lần nữa")
            let changed = try await stage.run(["plan", "--no-cost", "--format", "json"])
            #expect(changed.status == 0, "\(changed.stderr)")
            #expect(
                changed.stdout.contains("\"address\" : \"video.intro.caption.vi\"")
                    || changed.stdout.contains("\"address\":\"video.intro.caption.vi\""), "\(changed.stdout)")
            let update = try await stage.run(["apply", "--auto-approve"])
            #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
            #expect(update.stdout.contains("Plan: 0 to create, 1 to update"), "\(update.stdout)")

            try stage.manifest(captions: ["en"])
            let refused = try await stage.run(["apply", "--auto-approve"])
            #expect(refused.status != 0, "a delete needs --allow-delete: \(refused.stdout)")
            let delete = try await stage.run(["apply", "--auto-approve", "--allow-delete"])
            #expect(delete.status == 0, "\(delete.stdout)\(delete.stderr)")
            #expect(delete.stdout.contains("1 to delete"), "\(delete.stdout)")
            let left = try await stage.client.listTextTracks("captions", videoID: id)
            #expect(left.map(\.language) == ["en"])
            let final = try await stage.run(["plan", "--no-cost"])
            #expect(final.stdout.contains("No changes."), "\(final.stdout)")
        }
    }

    @Test("chapters: two languages apply, re-plan is No changes, a removed one is deleted", .timeLimit(.minutes(10)))
    func chapters() async throws {
        try await CaptionStage.with { stage in
            try stage.manifest(captions: [], defaultCaption: nil, chapters: ["en", "vi"])
            let apply = try await stage.run(["apply", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("video.intro.chapter.vi"), "\(apply.stdout)")
            let id = try await stage.videoID()
            #expect(try await stage.client.listTextTracks("chapters", videoID: id).map(\.language).sorted() == ["en", "vi"])
            #expect(try await stage.run(["plan", "--no-cost"]).stdout.contains("No changes."))
            try stage.manifest(captions: [], defaultCaption: nil, chapters: ["en"])
            let delete = try await stage.run(["apply", "--auto-approve", "--allow-delete"])
            #expect(delete.status == 0, "\(delete.stdout)\(delete.stderr)")
            #expect(try await stage.client.listTextTracks("chapters", videoID: id).map(\.language) == ["en"])
            let video = try await stage.client.getVideo(id: id)
            #expect(video.metadata.contains { $0.key == "streamplan.chapters" && $0.value.hasPrefix("en=") })
            #expect(!video.metadata.contains { $0.key == "streamplan.captions" })
            #expect(try await stage.run(["plan", "--no-cost"]).stdout.contains("No changes."))
        }
    }

    @Test(
        "a caption streamplan did not upload: left alone when unwanted, adopted when equal, an update when it differs",
        .timeLimit(.minutes(10)))
    func unmanaged() async throws {
        try await CaptionStage.with { stage in
            try stage.manifest(captions: ["en"], defaultCaption: nil)
            #expect(try await stage.run(["apply", "--auto-approve"]).status == 0)
            let id = try await stage.videoID()
            // By hand: fr (never wanted), vi (the manifests' file, byte for byte), de (another text).
            for language in ["fr", "vi", "de"] {
                try await stage.client.uploadTextTrack(
                    "captions", videoID: id, language: language, file: stage.directory + "/subs/vi.vtt")
            }
            #expect(try await stage.run(["plan", "--no-cost"]).stdout.contains("No changes."))
            try stage.vtt("de", "Hallo")
            try stage.manifest(captions: ["en", "vi", "de"], defaultCaption: nil)
            let plan = try await stage.run(["plan", "--no-cost"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("video.intro.caption.vi will be imported"), "\(plan.stdout)")
            #expect(plan.stdout.contains("with the same content as subs/vi.vtt"), "\(plan.stdout)")
            #expect(plan.stdout.contains("video.intro.caption.de will be updated"), "\(plan.stdout)")
            #expect(plan.stdout.contains("(not uploaded by streamplan)\" -> "), "\(plan.stdout)")
            #expect(!plan.stdout.contains("caption.fr"), "\(plan.stdout)")
            #expect(!plan.stdout.contains("blocked"), "\(plan.stdout)")
            let apply = try await stage.run(["apply", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let tracks = try await stage.client.listTextTracks("captions", videoID: id)
            #expect(tracks.map(\.language).sorted() == ["de", "en", "fr", "vi"])
            let de = try #require(tracks.first { $0.language == "de" }?.url)
            let body = try await TestSandbox.download(de).body
            #expect(String(decoding: body, as: UTF8.self) == "WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n")
            let video = try #require(try await stage.client.allVideos().first { $0.id == id })
            let mark = video.metadata.first { $0.key == "streamplan.captions" }?.value ?? ""
            #expect(mark.contains("vi=") && mark.contains("de=") && !mark.contains("fr="), "\(mark)")
            #expect(try await stage.run(["plan", "--no-cost"]).stdout.contains("No changes."))
        }
    }

    @Test("a saved plan is refused when a caption changed on the service since", .timeLimit(.minutes(10)))
    func stale() async throws {
        try await CaptionStage.with { stage in
            try stage.manifest(captions: ["en"], defaultCaption: nil)
            #expect(try await stage.run(["apply", "--auto-approve"]).status == 0)
            let id = try await stage.videoID()
            try stage.vtt("en", "Changed")
            let saved = try await stage.run(["plan", "--no-cost", "--out", "plan.json"])
            #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
            let (schemaStatus, schemaOutput) = try await ToolRun.runOffPool(
                "python3", ["scripts/check-plan-schema.py", stage.directory + "/plan.json"])
            #expect(schemaStatus == 0, "\(schemaOutput)")
            let markdown = try await stage.run(["plan", "--no-cost", "--format", "markdown"])
            #expect(markdown.stdout.contains("video.intro.caption.en"), "\(markdown.stdout)")
            // Someone deletes the caption by hand after the plan.
            try await stage.client.deleteTextTrack("captions", videoID: id, language: "en")
            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status != 0, "\(apply.stdout)\(apply.stderr)")
            #expect((apply.stdout + apply.stderr).contains("video.intro.caption.en"), "\(apply.stderr)")
        }
    }

    @Test("the sandbox refuses an upload that is not WebVTT", .timeLimit(.minutes(10)))
    func notWebVTT() async throws {
        try await CaptionStage.with { stage in
            try stage.manifest(captions: ["en"], defaultCaption: nil)
            #expect(try await stage.run(["apply", "--auto-approve"]).status == 0)
            let id = try await stage.videoID()
            try "1\n00:00:00,000 --> 00:00:01,000\nSRT\n".write(
                toFile: stage.directory + "/subs/x.srt", atomically: true, encoding: .utf8)
            await #expect {
                try await stage.client.uploadTextTrack(
                    "captions", videoID: id, language: "de", file: stage.directory + "/subs/x.srt")
            } throws: { error in
                "\(error)".contains("WebVTT")
            }
        }
    }
}
