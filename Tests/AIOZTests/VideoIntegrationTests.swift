import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import Testing

@Suite("Videos over loopback")
struct VideoIntegrationTests {
    @Test("create, get, patch and delete a video")
    func crud() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let created = try await client.createVideo(
                VideoCreateRequest(
                    title: "First", description: "d", isPublic: false, tags: ["a"],
                    metadata: [MetadataPair(key: "streamplan", value: "v1")],
                    qualities: [
                        QualityRequest(
                            resolution: "720p", type: "hls", containerType: "mpegts",
                            videoConfig: .init(codec: "h264", bitrate: 3_000_000))
                    ]
                ))
            #expect(created.title == "First" && !created.isPublic && created.status == .new)
            #expect(created.metadata == [MetadataPair(key: "streamplan", value: "v1")])

            try await client.updateVideo(id: created.id, VideoUpdateRequest(title: "Renamed", tags: []))
            let fetched = try await client.getVideo(id: created.id)
            #expect(fetched.title == "Renamed" && fetched.tags.isEmpty && fetched.description == "d")

            try await client.deleteVideo(id: created.id)
            let error = await #expect(throws: AIOZError.self) { try await client.getVideo(id: created.id) }
            #expect(error?.code == .notFound)
            #expect(error?.description.contains("video \(created.id)") == true)
        }
    }

    @Test("a 401 tells the user to check STREAM_PUBLIC_KEY and never shows the secret")
    func wrongKeys() async throws {
        let wrong = AIOZCredentials(publicKey: "pk_wrong", secretKey: "sk_wrong_secret_xyz")
        try await TestSandbox.with(credentials: wrong) { sandbox in
            let client = sandbox.client
            let error = await #expect(throws: AIOZError.self) { try await client.listVideos() }
            #expect(error?.code == .unauthorized && error?.httpStatus == 401)
            #expect(error?.description.contains("STREAM_PUBLIC_KEY") == true)
            #expect(error?.description.contains("sk_wrong_secret_xyz") == false)
            #expect(error?.attempts == 1)
        }
    }

    @Test("a malformed id is a bad request naming the video")
    func malformedID() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let error = await #expect(throws: AIOZError.self) { try await client.getVideo(id: "nope") }
            #expect(error?.code == .badRequest || error?.code == .notFound)
            #expect(error?.description.contains("video nope") == true)
        }
    }

    @Test("listing pages by 100 until total, and allVideos gathers all 120")
    func paging() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<4 {
                    group.addTask {
                        for number in 0..<30 {
                            _ = try await client.createVideo(VideoCreateRequest(title: "v\(batch)-\(number)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let first = try await client.listVideos(VideoListQuery(limit: 100))
            #expect(first.videos.count == 100 && first.total == 120)
            let all = try await client.allVideos()
            #expect(all.count == 120 && Set(all.map(\.id)).count == 120)
            let searched = try await client.allVideos(VideoListQuery(search: "v3-"))
            #expect(searched.count == 30)
            await #expect(throws: AIOZError.self) { try await client.listVideos(VideoListQuery(limit: 101)) }
        }
    }

    @Test("cost accepts the server's price")
    func cost() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let cost = try await client.cost(qualities: ["360p", "1080p"], duration: 60)
            #expect(cost.priceValue != nil && cost.isEnough)
        }
    }
}

@Suite("the /media generation")
struct MediaGenerationTests {
    @Test("a client speaking /media creates, lists, gets and deletes the videos a /videos client sees")
    func media() async throws {
        try await TestSandbox.with { sandbox in
            var configuration = sandbox.client.configuration
            configuration.generation = .media
            let media = sandbox.client.with(configuration)
            let created = try await media.createVideo(VideoCreateRequest(title: "through /media"))
            #expect(try await sandbox.client.getVideo(id: created.id).title == "through /media")
            #expect(try await media.listVideos(VideoListQuery(limit: 10)).videos.map(\.id) == [created.id])
            try await media.deleteVideo(id: created.id)
            let error = await #expect(throws: AIOZError.self) { try await sandbox.client.getVideo(id: created.id) }
            #expect(error?.code == .notFound)
        }
    }
}
