import AIOZ
import Apply
import Foundation
import Planning
import Sandbox
import Testing

private let intro = """
    videos:
      intro:
        title: Welcome
        source: media/intro.mp4
        tags: [a, b]

    """

@Suite("plan and apply against the sandbox")
struct ApplyEndToEndTests {
    @Test("first plan only creates; after apply a second plan has no changes")
    func createThenNoChanges() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 200_000)
            try world.media("outro.mp4", size: 50_000, seed: 2)
            try world.manifest(intro + "  outro:\n    title: Bye\n    source: media/outro.mp4\n")
            let first = try await world.plan()
            #expect(first.changes.map(\.action) == [.create, .create])
            try await world.apply()
            let second = try await world.plan()
            #expect(!second.hasChanges, "\(second.changes)")
            let videos = try await world.remoteVideos()
            #expect(videos.count == 2)
            #expect(videos.allSatisfy { $0.metadata.contains { $0.key == OwnershipMark.project && $0.value == "demo" } })
        }
    }

    @Test("a file of several parts assembles to identical bytes")
    func multiPart() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 5 * 64 * 1024 + 123)  // 6 parts of 64 KiB
            try world.manifest(intro)
            try await world.apply()
            let video = try #require(try await world.remoteVideos().first)
            #expect(try await world.sourceHash(of: video) == (try world.fileHash("intro.mp4")))
        }
    }

    @Test("a title change is one in-place update")
    func titleChange() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 70_000)
            try world.manifest(intro)
            try await world.apply()
            let before = try #require(try await world.remoteVideos().first)
            try world.manifest(intro.replacingOccurrences(of: "title: Welcome", with: "title: Hello there"))
            let plan = try await world.plan()
            #expect(plan.changes.map(\.address) == ["video.intro"])
            #expect(plan.changes.first?.action == .update && plan.changes.first?.remoteID == before.id)
            #expect(plan.changes.first?.fields == [.title])
            #expect(plan.changes.first?.attributes == [AttributeChange(name: "title", before: "Welcome", after: "Hello there")])
            try await world.apply()
            let after = try await world.client.getVideo(id: before.id)
            #expect(after.title == "Hello there")
            #expect(!(try await world.plan()).hasChanges)
        }
    }

    @Test("changed source bytes are a replace with its reason, refused without --allow-delete")
    func sourceChanged() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 70_000)
            try world.manifest(intro)
            try await world.apply()
            let old = try #require(try await world.remoteVideos().first)
            try world.media("intro.mp4", size: 70_000, seed: 9)
            let plan = try await world.plan()
            #expect(plan.changes.map(\.action) == [.replace])
            #expect(plan.changes.first?.reasons == ["source changed"])
            await #expect(throws: ApplyError.self) { try await world.apply() }
            #expect(try await world.remoteVideos().map(\.id) == [old.id])
            try await world.apply(allowDelete: true)
            let videos = try await world.remoteVideos()
            #expect(videos.count == 1)
            #expect(videos.first?.id != old.id)
            #expect(try await world.sourceHash(of: try #require(videos.first)) == (try world.fileHash("intro.mp4")))
        }
    }

    @Test("a thumbnail is added, changed and removed in place")
    func thumbnails() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 40_000)
            try world.media("a.jpg", size: 2_000, seed: 3)
            try world.media("b.jpg", size: 2_000, seed: 4)
            try world.manifest(intro)
            try await world.apply()
            for (thumb, expected) in [("a.jpg", ThumbnailChange.set), ("b.jpg", .replace), (nil, .remove)]
                as [(String?, ThumbnailChange)]
            {
                try world.manifest(intro + (thumb.map { "    thumbnail: media/\($0)\n" } ?? ""))
                let plan = try await world.plan()
                #expect(plan.changes.map(\.action) == [.update])
                #expect(plan.changes.first?.thumbnail == expected)
                try await world.apply()
                #expect(!(try await world.plan()).hasChanges)
            }
        }
    }

    @Test("a video removed from the manifests is a delete, refused without --allow-delete")
    func delete() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 40_000)
            try world.manifest(intro)
            try await world.apply()
            try world.manifest("videos: {}\n")
            let plan = try await world.plan()
            #expect(plan.changes.map(\.action) == [.delete])
            await #expect(throws: ApplyError.self) { try await world.apply() }
            #expect(try await world.remoteVideos().count == 1)
            try await world.apply(allowDelete: true)
            #expect(try await world.remoteVideos().isEmpty)
        }
    }

    @Test("a video created outside streamplan is untouched and absent from the plan")
    func foreignVideo() async throws {
        try await World.with { world in
            let foreign = try await world.client.createVideo(VideoCreateRequest(title: "Made by hand"))
            try world.media("intro.mp4", size: 40_000)
            try world.manifest("videos: {}\n")
            #expect(!(try await world.plan()).hasChanges)
            try world.manifest(intro)
            let plan = try await world.plan()
            #expect(plan.changes.map(\.address) == ["video.intro"])
            try await world.apply(allowDelete: true)
            try world.manifest("videos: {}\n")
            try await world.apply(allowDelete: true)
            let left = try await world.remoteVideos()
            #expect(left.map(\.id) == [foreign.id])
            #expect(left.first?.title == "Made by hand")
        }
    }

    @Test("with 20 % of requests failing and connections dropped, apply converges without duplicates")
    func faults() async throws {
        var sandbox = SandboxConfiguration()
        sandbox.faults = FaultConfiguration(rate: 0.2, seed: 42)
        try await World.with(sandbox) { world in
            for i in 1...4 { try world.media("v\(i).mp4", size: 150_000, seed: UInt8(i)) }
            try world.manifest(
                "videos:\n" + (1...4).map { "  v\($0):\n    title: Video \($0)\n    source: media/v\($0).mp4\n" }.joined())
            var converged = false
            for _ in 0..<6 where !converged {
                _ = try? await world.apply()
                converged = (try? await world.plan())?.hasChanges == false
            }
            #expect(converged)
            // Read the account back without faults in the way.
            let videos = try await world.remoteVideos()
            let addresses = videos.compactMap { $0.metadata.first { $0.key == OwnershipMark.address }?.value }
            #expect(addresses.sorted() == ["video.v1", "video.v2", "video.v3", "video.v4"])
            for video in videos {
                let address = try #require(video.metadata.first { $0.key == OwnershipMark.address }?.value)
                #expect(
                    try await world.sourceHash(of: video)
                        == (try world.fileHash(address.replacingOccurrences(of: "video.", with: "") + ".mp4")))
            }
        }
    }
}
