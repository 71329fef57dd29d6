import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// One read of each byte for a create: the plan does not hash a create's source, the upload does, and
/// the source mark is pending until one `PATCH` before `complete`.
extension EngineTests {
    @Test(
        "a create's plan does not read its source; the upload hashes it, the marks end as before, and the next plan reads nothing"
    )
    func createHashesWhileUploading() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            let applier = engine.applier()
            let plan = try await applier.plan(try engine.workspace.load())
            #expect(plan.changes.map(\.action) == [.create])
            #expect(plan.changes.first?.desired?.video?.sourceSHA256 == nil)
            #expect(plan.changes.first?.desired?.video?.source.identity?.size == 10_000)
            #expect(await applier.context.hashes.filesRead == 0)
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let video = try #require(await engine.videos("video.a").first)
            #expect(video.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a.mp4")))
            // The source mark is written before complete.
            let patch = try #require(await engine.first(.updateVideo))
            let complete = try #require(await engine.first(.finishUpload))
            #expect(patch < complete)
            let next = engine.applier()
            #expect(!(try await next.plan(try engine.workspace.load())).hasChanges)
            #expect(await next.context.hashes.filesRead == 0)
        }
    }

    @Test("killed before the source mark's PATCH: the video is pending, the next apply resumes it without sending a part again")
    func crashBeforeSourceMark() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            await engine.provider.inject(.crash, on: .updateVideo)
            let first = try await engine.apply()
            #expect(first.first?.error?.contains("crashed") == true)
            let pending = try #require(await engine.videos("video.a").first)
            #expect(OwnershipMark.isPendingSource(pending.mark(OwnershipMark.sourceSHA256)))
            #expect(pending.state == .new)
            let plan = try await engine.plan()
            #expect(plan.changes.map(\.action) == [.resume])
            await engine.provider.resetCalls()
            let second = try await engine.apply()
            #expect(second.allSatisfy { $0.succeeded }, "\(second.compactMap(\.error))")
            // Every part was journaled before the crash: the upload only re-reads them to hash.
            #expect(await engine.provider.calls.filter { $0.operation == .uploadChunk }.isEmpty)
            let videos = await engine.videos("video.a")
            #expect(videos.count == 1 && videos.first?.id == pending.id)
            #expect(videos.first?.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a.mp4")))
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("killed after the source mark's PATCH, before complete: the next plan resumes from the cached hash")
    func crashAfterSourceMark() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            await engine.provider.inject(.crash, on: .finishUpload)
            let first = try await engine.apply()
            #expect(first.first?.error?.contains("crashed") == true)
            let marked = try #require(await engine.videos("video.a").first)
            #expect(marked.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a.mp4")))
            let applier = engine.applier()
            let plan = try await applier.plan(try engine.workspace.load())
            #expect(plan.changes.map(\.action) == [.resume])
            #expect(await applier.context.hashes.filesRead == 0)
            let second = try await applier.apply(plan)
            #expect(second.allSatisfy { $0.succeeded }, "\(second.compactMap(\.error))")
            #expect(await engine.videos("video.a").map(\.state) == [.done])
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a source changed after an interrupted create is not uploaded into the unfinished video: it is replaced")
    func changedAfterInterruptedCreate() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            await engine.provider.inject(.crash, on: .uploadChunk, nth: 2)
            _ = try await engine.apply()
            let unfinished = try #require(await engine.videos("video.a").first)
            try engine.workspace.media("a.mp4", size: 12_000, seed: 9)
            let plan = try await engine.plan()
            #expect(plan.changes.map(\.action) == [.replace])
            #expect(plan.changes.first?.reasons == ["the source changed since an interrupted upload began"])
            await #expect(throws: ApplyError.self) { try await engine.apply() }
            let outcomes = try await engine.apply(allowDelete: true)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let left = await engine.videos("video.a")
            #expect(left.count == 1 && left.first?.id != unfinished.id)
            #expect(left.first?.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a.mp4")))
            #expect(!(try await engine.plan()).hasChanges)
        }
    }

    @Test("a source changed between plan and apply fails the create before its source mark is written")
    func changedBetweenPlanAndApply() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            let applier = engine.applier()
            let plan = try await applier.plan(try engine.workspace.load())
            try engine.workspace.media("a.mp4", size: 10_000, seed: 9)
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.first?.error?.contains("changed since the plan") == true, "\(outcomes.compactMap(\.error))")
            #expect(await engine.provider.calls.contains { $0.operation == .updateVideo } == false)
            #expect(await engine.provider.calls.contains { $0.operation == .finishUpload } == false)
        }
    }
}

extension EngineTests {
    @Test("a plan that hashed every source (a saved plan) applies where the file's identity differs but not its bytes")
    func hashedPlanElsewhere() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            let applier = engine.applier()
            let plan = try await applier.plan(try engine.workspace.load(), hashEverySource: true)
            #expect(plan.changes.first?.desired?.video?.sourceSHA256 == (try engine.workspace.fileHash("a.mp4")))
            // Another checkout: same bytes, another modification time.
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: engine.workspace.directory + "/media/a.mp4")
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let video = try #require(await engine.videos("video.a").first)
            #expect(video.mark(OwnershipMark.sourceSHA256) == (try engine.workspace.fileHash("a.mp4")))
        }
    }

    @Test("a plan that hashed the source refuses, before the source mark, bytes that hash differently")
    func hashedPlanChangedBytes() async throws {
        try await Engine.with { engine in
            try engine.workspace.manifest(videos(["a": "a.mp4"]))
            let applier = engine.applier()
            let plan = try await applier.plan(try engine.workspace.load(), hashEverySource: true)
            try engine.workspace.media("a.mp4", size: 10_000, seed: 9)
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.first?.error?.contains("changed since the plan (sha256") == true, "\(outcomes.compactMap(\.error))")
            #expect(await engine.provider.calls.contains { $0.operation == .finishUpload } == false)
            let pending = try #require(await engine.videos("video.a").first)
            #expect(OwnershipMark.isPendingSource(pending.mark(OwnershipMark.sourceSHA256)))
            // The next plan sees a pending video of the same file (as it is now): it resumes it.
            #expect(try await engine.plan().changes.map(\.action) == [.resume])
        }
    }
}
