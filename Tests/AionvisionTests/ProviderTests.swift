import Foundation
import Manifest
import Providers
import Sandbox
import Testing

@testable import Aionvision

/// `AionvisionProvider` and its upload session against the sandbox's emulation.
@Suite("Aionvision provider", .timeLimit(.minutes(10)))
struct ProviderTests {
    let marks = [
        MetadataEntry(key: "streamplan.project", value: "demo"), MetadataEntry(key: "streamplan.address", value: "video.intro"),
    ]

    func create(_ h: AionvisionHarness, _ file: TestVideoFile, title: String = "Intro") async throws -> String {
        try await h.provider.createVideo(
            NewVideo(
                title: title, tags: ["site-a"], metadata: marks,
                source: NewVideoSource(path: file.path, size: Int64(file.data.count), format: .mp4)))
    }

    @Test("create, upload in parallel, finish: the server's layout, ETags as proofs, the bytes assembled")
    func upload() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 3_500_000)
            defer { file.remove() }
            let id = try await create(h, file)
            #expect(try await h.provider.video(id: id)?.state == .new)
            let session = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            #expect(session.chunks.count == 4)
            #expect(session.layoutKey == 1 << 20)
            let summary = try await ChunkUploader(maxConcurrentChunks: 3).upload(session)
            #expect(summary.receipts.allSatisfy { $0.proof.hasPrefix("\"") && $0.proof.count == 34 })
            try await session.finish(summary.receipts)
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(id))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
            let found = try await h.provider.videos(markedWith: marks)
            #expect(found.map(\.id) == [id])
            #expect(found.first?.state == .done)
            #expect(found.first?.title == "Intro")
            #expect(try await h.provider.videos(markedWith: [MetadataEntry(key: "streamplan.project", value: "other")]).isEmpty)
            #expect(await h.chunkPuts().count == 4)
        }
    }

    @Test("an expired URL is renewed through chunks/retry and the upload completes")
    func renewal() async throws {
        try await AionvisionHarness.with(AionvisionSettings(chunkSize: 1 << 20, expiredURLs: 2)) { h in
            let file = try TestVideoFile(size: 2_200_000)
            defer { file.remove() }
            let id = try await create(h, file)
            let session = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            let summary = try await ChunkUploader(maxConcurrentChunks: 1).upload(session)
            try await session.finish(summary.receipts)
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(id))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
            #expect(await h.chunkPuts().count == 3)
        }
    }

    @Test("no more chunks in flight than the server's concurrent_upload_limit, whatever the engine asks")
    func concurrencyLimit() async throws {
        try await AionvisionHarness.with(AionvisionSettings(chunkSize: 1 << 20, concurrentUploadLimit: 2)) { h in
            let file = try TestVideoFile(size: 6_000_000)
            defer { file.remove() }
            let id = try await create(h, file)
            let session = try #require(
                try await h.provider.startUpload(
                    videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
                    as? AionvisionUploadSession)
            try await session.finish(try await ChunkUploader(maxConcurrentChunks: 8).upload(session).receipts)
            #expect(await session.gate.highWater == 2)
        }
    }

    @Test("injected faults on chunk PUTs, confirms and renewals (500, 502, 503, 429, dropped connections) are retried")
    func faults() async throws {
        var configuration = SandboxConfiguration()
        configuration.aionvision = AionvisionSettings(chunkSize: 1 << 20, expiredURLs: 1)
        configuration.faults = FaultConfiguration(
            rate: 0.3, seed: 11, kinds: [.internalError, .badGateway, .unavailable, .tooManyRequests, .dropConnection],
            pathPrefixes: ["/aionvision-s3", "/aionvision/api/v2/video-uploads/chunks"], retryAfterSeconds: 0)
        try await AionvisionHarness.with(configuration) { h in
            let file = try TestVideoFile(size: 5_500_000)
            defer { file.remove() }
            let id = try await create(h, file)
            let session = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            let summary = try await ChunkUploader(maxConcurrentChunks: 3).upload(session)
            try await session.finish(summary.receipts)
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(id))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
        }
    }

    @Test("a resumed upload (new process: no initiate answer) sends only the chunks not yet acknowledged")
    func resume() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 3_300_000)
            defer { file.remove() }
            let id = try await create(h, file)
            let first = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            let early = [
                try await first.send(first.chunks[0], onBytes: { _ in }),
                try await first.send(first.chunks[2], onBytes: { _ in }),
            ]
            // Another provider, as a later apply has: the layout and upload id come from progress.
            let later = AionvisionProvider(client: h.client)
            let session = try await later.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            #expect(session.chunks == first.chunks)
            let summary = try await ChunkUploader().upload(session, acknowledged: Set(early))
            #expect(summary.sentChunks == 2)
            try await session.finish(summary.receipts)
            #expect(await h.chunkPuts().count == 4)
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(id))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
        }
    }

    @Test("a resume without the journal's receipts sends only what the server has not confirmed")
    func resumeWithoutJournal() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 3_300_000)
            defer { file.remove() }
            let id = try await create(h, file)
            let first = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            _ = try await first.send(first.chunks[1], onBytes: { _ in })
            let session = try await AionvisionProvider(client: h.client).startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            let summary = try await ChunkUploader().upload(session)
            #expect(summary.receipts[1].proof == AionvisionUploadSession.confirmedProof)
            try await session.finish(summary.receipts)
            #expect(await h.chunkPuts().count == 4)
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(id))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
        }
    }

    @Test("delete aborts an open upload and deletes a finished one; updates that change nothing pass, others are refused")
    func deleteAndUpdate() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 100_000)
            defer { file.remove() }
            let open = try await create(h, file)
            try await h.provider.deleteVideo(id: open)
            #expect(try await h.provider.video(id: open) == nil)
            let id = try await create(h, file)
            let session = try await h.provider.startUpload(
                videoID: id, file: file.path, size: Int64(file.data.count), preferredChunkSize: 50 << 20)
            try await session.finish(try await ChunkUploader().upload(session).receipts)
            try await h.provider.updateVideo(id: id, VideoPatch(title: "Intro", metadata: marks))
            await #expect(throws: AionvisionError.self) {
                try await h.provider.updateVideo(id: id, VideoPatch(title: "Renamed"))
            }
            do {
                try await h.provider.updateVideo(id: id, VideoPatch(title: "Renamed"))
            } catch {
                #expect("\(error)".contains("offers no call to change them"))
            }
            try await h.provider.deleteVideo(id: id)
            #expect(try await h.provider.video(id: id) == nil)
            await #expect(throws: AionvisionError.self) { try await h.provider.liveKeys(named: "x") }
        }
    }

    @Test("an ETag that is an MD5 must be the MD5 of the bytes sent; other ETags (KMS, composite) are taken as they are")
    func etagCheck() throws {
        let md5 = "0123456789abcdef0123456789abcdef"
        try AionvisionUploadSession.check(.init(etag: "\"\(md5)\"", md5: md5), operation: "x")
        try AionvisionUploadSession.check(.init(etag: md5.uppercased(), md5: md5), operation: "x")
        try AionvisionUploadSession.check(.init(etag: "\"\(md5)-3\"", md5: "ffff"), operation: "x")
        #expect(throws: AionvisionError.self) {
            try AionvisionUploadSession.check(.init(etag: "\"fedcba9876543210fedcba9876543210\"", md5: md5), operation: "x")
        }
    }

    @Test("the API key is sent as a Bearer token and never shown")
    func credentials() throws {
        let key = AionvisionCredentials(apiKey: "aion_secret_value")
        #expect(!"\(key)".contains("aion_secret_value"))
        #expect(!String(reflecting: key).contains("aion_secret_value"))
        #expect(throws: AionvisionError.self) { try AionvisionCredentials.fromEnvironment([:]) }
        do {
            _ = try AionvisionCredentials.fromEnvironment(["AIONVISION_API_KEY": "aion_secret\nvalue"])
            Issue.record("a key with a line break was accepted")
        } catch {
            #expect(!"\(error)".contains("aion_secret"))
        }
        #expect(key.redact("header Bearer aion_secret_value refused") == "header Bearer ******** refused")
        try AionvisionCredentials.checkEndpoint("https://api.aionvision.tech/api/v2")
        try AionvisionCredentials.checkEndpoint("http://127.0.0.1:8080/aionvision/api/v2")
        #expect(throws: AionvisionError.self) { try AionvisionCredentials.checkEndpoint("http://api.aionvision.tech/api/v2") }
        #expect(throws: AionvisionError.self) { try AionvisionCredentials.checkEndpoint("api.aionvision.tech") }
    }

    @Test("an audio media, a watermark or segment_duration is refused before anything is created, naming it")
    func createTimeFieldsRefused() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 1000)
            defer { file.remove() }
            let source = NewVideoSource(path: file.path, size: Int64(file.data.count), format: .mp4)
            var audio = NewVideo(title: "A", metadata: marks, source: source)
            audio.mediaType = .audio
            var marked = NewVideo(title: "W", metadata: marks, source: source)
            marked.watermark = WatermarkSpec(id: "logo")
            var segmented = NewVideo(title: "S", metadata: marks, source: source)
            segmented.segmentDuration = 6
            for (video, named) in [(audio, "audio media"), (marked, "watermark"), (segmented, "segment_duration")] {
                do {
                    _ = try await h.provider.createVideo(video)
                    Issue.record("\(named) was accepted")
                } catch {
                    #expect("\(error)".contains(named), "\(error)")
                }
            }
            #expect(try await h.provider.videos(markedWith: marks).isEmpty)
            #expect(h.provider.audioMediaUnsupported?.contains("Aionvision") == true)
        }
    }
}
