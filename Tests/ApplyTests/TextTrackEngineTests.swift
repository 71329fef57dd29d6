import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// Captions and chapters through the engine, against the in-memory provider.
private struct Tracks {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (Tracks) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in
            try workspace.media("a.mp4", size: 10_000, seed: 1)
            try FileManager.default.createDirectory(
                atPath: workspace.directory + "/subs", withIntermediateDirectories: true)
            let tracks = Tracks(workspace: workspace)
            try tracks.vtt("en", "Hello")
            try tracks.vtt("vi", "Xin chào")
            try tracks.vtt("ch", "Intro")
            try await body(tracks)
        }
    }

    func vtt(_ name: String, _ text: String) throws {
        try "WEBVTT\n\n00:00.000 --> 00:01.500\n\(text)\n".write(
            toFile: workspace.directory + "/subs/\(name).vtt", atomically: true, encoding: .utf8)
    }

    func manifest(title: String = "A", captions: [String] = ["en", "vi"], defaultCaption: String? = "en", chapters: Bool = true)
        throws
    {
        var yaml = "videos:\n  a:\n    title: \(title)\n    source: media/a.mp4\n"
        if !captions.isEmpty {
            yaml += "    captions: {" + captions.map { "\($0): subs/\($0).vtt" }.joined(separator: ", ") + "}\n"
        }
        if let defaultCaption { yaml += "    default_caption: \(defaultCaption)\n" }
        if chapters { yaml += "    chapters: {en: subs/ch.vtt}\n" }
        try workspace.manifest(yaml)
    }

    func applier(allowDelete: Bool = false) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.partSize = 4096
        options.partConcurrency = 1
        options.parallelism = 1
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier().plan(try workspace.load()) }

    @discardableResult
    func apply(allowDelete: Bool = false) async throws -> [ApplyOutcome] {
        let applier = applier(allowDelete: allowDelete)
        return try await applier.apply(try await applier.plan(try workspace.load()))
    }

    func video() async throws -> RemoteVideo {
        let found = await provider.allVideos.filter { $0.mark(OwnershipMark.address) == "video.a" }
        return try #require(found.first)
    }

    func sha256(_ name: String) throws -> String { try TestMedia.sha256(file: workspace.directory + "/subs/\(name).vtt") }
}

private func summary(_ plan: Plan) -> [String] {
    plan.changes.map { "\($0.action.rawValue) \($0.address)" + ($0.blocked == nil ? "" : " (blocked)") }
}

@Suite("captions and chapters against an in-memory provider")
struct TextTrackEngineTests {
    @Test("a new video's captions and chapters wait for it; the default is set; the mark names each file's hash")
    func create() async throws {
        try await Tracks.with { t in
            try t.manifest()
            let plan = try await t.plan()
            #expect(
                summary(plan) == [
                    "create video.a", "create video.a.caption.en", "create video.a.caption.vi", "create video.a.chapter.en",
                ])
            #expect(plan.changes.dropFirst().allSatisfy { $0.parentID == nil })
            let outcomes = try await t.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let video = try await t.video()
            #expect(
                await t.provider.textTrackFiles(.caption, videoID: video.id) == [
                    "en": try t.sha256("en"), "vi": try t.sha256("vi"),
                ])
            #expect(await t.provider.textTrackFiles(.chapter, videoID: video.id) == ["en": try t.sha256("ch")])
            #expect(await t.provider.defaultCaption(videoID: video.id) == "en")
            let en = String(try t.sha256("en").prefix(16))
            let vi = String(try t.sha256("vi").prefix(16))
            #expect(video.mark(TextTrackMark.captionsKey) == "en=\(en),vi=\(vi)")
            #expect(video.mark(TextTrackMark.chaptersKey) == "en=\(String(try t.sha256("ch").prefix(16)))")
            let again = try await t.plan()
            #expect(!again.hasChanges, "\(summary(again))")
        }
    }

    @Test("a changed file is uploaded again, a removed language deleted, a new default set with its own call")
    func updateAndDelete() async throws {
        try await Tracks.with { t in
            try t.manifest()
            try await t.apply()
            try t.vtt("en", "Hello again")
            try t.manifest(captions: ["en"], defaultCaption: "en")
            let plan = try await t.plan()
            #expect(summary(plan) == ["update video.a.caption.en", "delete video.a.caption.vi"])
            #expect(plan.changes[0].fields == [.file])
            await t.provider.resetCalls()
            let outcomes = try await t.apply(allowDelete: true)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let calls = await t.provider.calls.map(\.operation)
            #expect(calls.filter { $0 == .uploadTextTrack }.count == 1)
            let video = try await t.video()
            #expect(await t.provider.textTrackFiles(.caption, videoID: video.id) == ["en": try t.sha256("en")])
            #expect(video.mark(TextTrackMark.captionsKey) == "en=\(String(try t.sha256("en").prefix(16)))")
            #expect(await t.provider.defaultCaption(videoID: video.id) == "en")
            #expect(!(try await t.plan()).hasChanges)
            // Removing every caption and chapter removes the marks: the video is as one without them.
            try t.manifest(captions: [], defaultCaption: nil, chapters: false)
            #expect(summary(try await t.plan()) == ["delete video.a.caption.en", "delete video.a.chapter.en"])
            try await t.apply(allowDelete: true)
            let bare = try await t.video()
            #expect(bare.mark(TextTrackMark.captionsKey) == nil && bare.mark(TextTrackMark.chaptersKey) == nil)
            #expect(!(try await t.plan()).hasChanges)
        }
    }

    @Test("the default moves with one PATCH-like call and no upload")
    func defaultMoves() async throws {
        try await Tracks.with { t in
            try t.manifest()
            try await t.apply()
            try t.manifest(defaultCaption: "vi")
            let plan = try await t.plan()
            #expect(summary(plan) == ["update video.a.caption.vi"])
            #expect(plan.changes[0].fields == [.isDefault])
            await t.provider.resetCalls()
            try await t.apply()
            #expect(
                await t.provider.calls.map(\.operation).filter { ![.listVideos, .listTextTracks, .listPlaylists].contains($0) }
                    == [
                        .setDefaultCaption
                    ])
            #expect(await t.provider.defaultCaption(videoID: try await t.video().id) == "vi")
        }
    }

    @Test("a language streamplan did not upload is never deleted; a wanted one that cannot be compared is a planned update")
    func unmanaged() async throws {
        try await Tracks.with { t in
            try t.manifest(captions: ["en"], chapters: false)
            try await t.apply()
            let id = try await t.video().id
            await t.provider.putTextTrack(.caption, videoID: id, language: "fr")
            await t.provider.putTextTrack(.caption, videoID: id, language: "vi")
            #expect(!(try await t.plan()).hasChanges)
            try t.manifest(captions: ["en", "vi"], chapters: false)
            let plan = try await t.plan()
            // The in-memory service gives no link to read the file by: it cannot be compared, so it is
            // replaced, and the plan says so (never blocked, never overwritten without a line).
            #expect(summary(plan) == ["update video.a.caption.vi"])
            #expect(plan.changes[0].reasons.first?.contains("did not upload and that could not be read") == true)
            try await t.apply()
            #expect(await t.provider.textTrackFiles(.caption, videoID: id)["vi"] != "outside")
            #expect(await t.provider.textTrackFiles(.caption, videoID: id)["fr"] == "outside")
            #expect(!(try await t.plan()).hasChanges)
        }
    }

    @Test("a crash before an upload, or a lost answer after it, leaves a mark the next plan finishes from")
    func crashes() async throws {
        try await Tracks.with { t in
            try t.manifest(chapters: false)
            await t.provider.inject(.crash, on: .uploadTextTrack, nth: 2)
            let first = try await t.apply()
            #expect(first.contains { !$0.succeeded })
            let video = try await t.video()
            #expect(video.mark(TextTrackMark.captionsKey)?.contains("vi=pending") == true)
            #expect(summary(try await t.plan()) == ["create video.a.caption.vi"])
            await t.provider.resetCalls()
            await t.provider.inject(.lostAnswer, on: .uploadTextTrack)
            _ = try await t.apply()
            // Uploaded, but its answer lost: marked pending, so the next plan uploads it again.
            let plan = try await t.plan()
            #expect(summary(plan) == ["update video.a.caption.vi"])
            try #require(plan.changes.count == 1)
            #expect(plan.changes[0].reasons == ["an earlier apply did not finish uploading it"])
            try await t.apply()
            #expect(!(try await t.plan()).hasChanges)
        }
    }

    @Test("deleting a video plans no caption or chapter deletes: they go with it")
    func videoDeleted() async throws {
        try await Tracks.with { t in
            try t.manifest()
            try await t.apply()
            try t.workspace.manifest("videos: {}\n")
            let plan = try await t.plan()
            #expect(summary(plan) == ["delete video.a"])
            await t.provider.resetCalls()
            try await t.apply(allowDelete: true)
            #expect(await t.provider.calls.map(\.operation).filter { $0 == .deleteTextTrack }.isEmpty)
            #expect(await t.provider.allVideos.isEmpty)
        }
    }

    @Test("an update of the video keeps the caption marks; a replaced video gets its captions again")
    func videoChanges() async throws {
        try await Tracks.with { t in
            try t.manifest(chapters: false)
            try await t.apply()
            try t.manifest(title: "B", chapters: false)
            #expect(summary(try await t.plan()) == ["update video.a"])
            try await t.apply()
            #expect(try await t.video().mark(TextTrackMark.captionsKey) != nil)
            #expect(!(try await t.plan()).hasChanges)
            try t.workspace.media("a.mp4", size: 10_000, seed: 9)
            let plan = try await t.plan()
            #expect(summary(plan) == ["replace video.a", "create video.a.caption.en", "create video.a.caption.vi"])
            try await t.apply(allowDelete: true)
            let video = try await t.video()
            #expect(await t.provider.textTrackFiles(.caption, videoID: video.id).keys.sorted() == ["en", "vi"])
            #expect(!(try await t.plan()).hasChanges)
        }
    }

    @Test("a crash between a chapter's delete and its mark's update: the next plan removes only the mark, without --allow-delete")
    func markNamingWhatIsGone() async throws {
        try await Tracks.with { t in
            try t.manifest()
            try await t.apply()
            try t.manifest(chapters: false)
            await t.provider.resetCalls()
            // The service deletes the chapter; the process dies before the mark is written.
            await t.provider.inject(.crash, on: .updateVideo)
            let first = try await t.apply(allowDelete: true)
            #expect(first.contains { $0.address == "video.a.chapter.en" && $0.error != nil }, "\(first)")
            #expect(TextTrackMark(.chapter, of: try await t.video()).entries["en"] != nil)
            let plan = try await t.plan()
            let change = try #require(plan.changes.first)
            #expect(plan.changes.count == 1 && change.action == .delete && change.isMarkOnly && !plan.isDestructive)
            #expect(change.reasons.first?.contains("only the mark is removed") == true)
            await t.provider.resetCalls()
            let outcomes = try await t.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            #expect(await t.provider.calls.allSatisfy { $0.operation != .deleteTextTrack })
            #expect(try await t.video().mark(TextTrackMark.chaptersKey) == nil)
            #expect(!(try await t.plan()).hasChanges)
        }
    }
}
