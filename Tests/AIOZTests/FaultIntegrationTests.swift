import AIOZ
import Foundation
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Retries against injected faults")
struct FaultIntegrationTests {
    static let kib: Int64 = 1024

    @Test("with 20% of calls failing (5xx, 429, dropped connections) an upload and edits still converge")
    func converges() async throws {
        let size = 3 * 1024 * 1024 + 77
        let file = try TestMedia.temporaryFile(size: size, seed: 9)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let faults = FaultConfiguration(
            rate: 0.2, seed: 2024, kinds: [.internalError, .badGateway, .unavailable, .tooManyRequests, .dropConnection],
            pathPrefixes: ["/videos/:id"], retryAfterSeconds: 1
        )
        let sandbox = SandboxConfiguration(minPartSize: Int(512 * Self.kib), faults: faults)
        try await TestSandbox.with(sandbox, retryPolicy: TestSandbox.fastRetries(12)) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "faulty"))
            let plan = try PartPlan(fileSize: Int64(size), partSize: 512 * Self.kib, minimumPartSize: 512 * Self.kib)
            let progress = Recorder<UploadProgress>()
            let session = try await AIOZUploadSession(
                client: client, videoID: video.id, file: file, size: Int64(size),
                partSize: 512 * Self.kib, minimumPartSize: 512 * Self.kib)
            let summary = try await ChunkUploader(maxConcurrentChunks: 3).upload(session, onProgress: { progress.append($0) })
            #expect(summary.receipts.count == plan.parts.count)
            // Bytes of failed attempts are taken back: the count never passes the file size and ends on it.
            #expect(progress.values.allSatisfy { $0.bytesSent >= 0 && $0.bytesSent <= Int64(size) })
            #expect(progress.values.last?.bytesSent == Int64(size))
            for round in 0..<10 {
                try await client.updateVideo(id: video.id, VideoUpdateRequest(title: "faulty \(round)"))
                #expect(try await client.getVideo(id: video.id).title == "faulty \(round)")
            }
            try await client.completeVideo(id: video.id)
            let source = try #require(try await client.getVideo(id: video.id).assets?.sourceURL)
            let downloaded = try await TestSandbox.download(source)
            let local = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(TestMedia.sha256(downloaded.body) == TestMedia.sha256(local))
        }
    }

    @Test(
        "a create that meets a 5xx is not retried and reports an unknown outcome",
        arguments: [
            FaultConfiguration.Kind.internalError, .badGateway, .dropConnection,
        ])
    func createNotRetried(kind: FaultConfiguration.Kind) async throws {
        let faults = FaultConfiguration(rate: 1, seed: 1, kinds: [kind], pathPrefixes: ["/videos/create", "/live_streams"])
        try await TestSandbox.with(SandboxConfiguration(faults: faults)) { sandbox in
            let client = sandbox.client
            let error = await #expect(throws: AIOZError.self) { try await client.createVideo(VideoCreateRequest(title: "once")) }
            #expect(error?.code == .outcomeUnknown && error?.attempts == 1)
            #expect(error?.description.contains("unknown whether AIOZ Stream carried out create video \"once\"") == true)
            let keyError = await #expect(throws: AIOZError.self) { try await client.createLiveStreamKey(.init(name: "k")) }
            #expect(keyError?.code == .outcomeUnknown)
        }
    }

    @Test("a create refused with 429 is retried, honouring Retry-After, then gives up naming the attempts")
    func createRateLimited() async throws {
        let faults = FaultConfiguration(
            rate: 1, seed: 1, kinds: [.tooManyRequests], pathPrefixes: ["/videos/create"], retryAfterSeconds: 1)
        try await TestSandbox.with(SandboxConfiguration(faults: faults), retryPolicy: TestSandbox.fastRetries(3)) { sandbox in
            let client = sandbox.client
            let error = await #expect(throws: AIOZError.self) { try await client.createVideo(VideoCreateRequest(title: "busy")) }
            #expect(error?.code == .rateLimited && error?.attempts == 3 && error?.retryAfterSeconds == 1)
            #expect(error?.description.contains("Gave up after 3 attempts") == true)
        }
    }

    @Test("a part that keeps failing gives up with an error naming the part, the video and the attempts")
    func partGivesUp() async throws {
        let file = try TestMedia.temporaryFile(size: 1000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let faults = FaultConfiguration(rate: 1, seed: 3, kinds: [.unavailable], pathPrefixes: ["/videos/:id/part"])
        try await TestSandbox.with(SandboxConfiguration(faults: faults), retryPolicy: TestSandbox.fastRetries(4)) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "doomed"))
            let error = await #expect(throws: AIOZError.self) {
                try await client.uploadPart(videoID: video.id, file: file, range: 0...999, index: 0, total: 1000)
            }
            #expect(error?.code == .server && error?.httpStatus == 503 && error?.attempts == 4)
            #expect(error?.description.contains("upload part 0 of video \(video.id)") == true)
            #expect(error?.description.contains("Gave up after 4 attempts") == true)
        }
    }

    @Test("an unreachable endpoint is a transport error after the configured attempts")
    func unreachable() async throws {
        let configuration = AIOZClient.Configuration(
            endpoint: try AIOZEndpoint("http://127.0.0.1:1/api"), credentials: TestSandbox.credentials,
            retryPolicy: TestSandbox.fastRetries(2), requestTimeout: .seconds(5)
        )
        try await AIOZClient.withClient(configuration) { client in
            let error = await #expect(throws: AIOZError.self) { try await client.getVideo(id: "x") }
            #expect(error?.code == .transport && error?.attempts == 2)
            #expect(error?.description.contains("Could not reach AIOZ Stream") == true)
            // A refused connection sent nothing, so even a create is retried rather than reported as unknown.
            let createError = await #expect(throws: AIOZError.self) {
                try await client.createVideo(VideoCreateRequest(title: "x"))
            }
            #expect(createError?.code == .transport && createError?.attempts == 2)
        }
    }
}
