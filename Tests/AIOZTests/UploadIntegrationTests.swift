import AIOZ
import Foundation
import NIOConcurrencyHelpers
import Providers
import Sandbox
import SandboxTesting
import Testing

/// Collects callbacks from concurrent upload tasks.
final class Recorder<Value: Sendable>: Sendable {
    private let box = NIOLockedValueBox<[Value]>([])
    func append(_ value: Value) { box.withLockedValue { $0.append(value) } }
    var values: [Value] { box.withLockedValue { $0 } }
}

@Suite("Uploads over loopback")
struct UploadIntegrationTests {
    static let kib: Int64 = 1024
    /// Small parts so a few-MB file has several; the sandbox's minimum is lowered to match.
    static let partSize: Int64 = 512 * kib
    static let sandbox = SandboxConfiguration(minPartSize: Int(partSize))

    func makePlan(_ size: Int) throws -> PartPlan {
        try PartPlan(fileSize: Int64(size), partSize: Self.partSize, minimumPartSize: Self.partSize)
    }

    /// AIOZ's upload session for `file` in this suite's part size.
    func session(_ client: AIOZClient, _ videoID: String, _ file: String, size: Int, partSize: Int64 = partSize) async throws
        -> AIOZUploadSession
    {
        try await AIOZUploadSession(
            client: client, videoID: videoID, file: file, size: Int64(size), partSize: partSize,
            minimumPartSize: min(partSize, Self.partSize))
    }

    /// Completes the video and checks the sandbox's source bytes against the local file.
    func completeAndVerify(_ client: AIOZClient, videoID: String, file: String) async throws {
        try await client.completeVideo(id: videoID)
        let video = try await client.getVideo(id: videoID)
        let source = try #require(video.assets?.sourceURL)
        #expect(!source.isEmpty)
        let downloaded = try await TestSandbox.download(source)
        #expect(downloaded.status == 200)
        let local = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(TestMedia.sha256(downloaded.body) == TestMedia.sha256(local))
    }

    @Test("a multi-part upload with 3 parts in flight reassembles byte-exact after complete")
    func multipart() async throws {
        let size = 3 * 1024 * 1024 + 12345
        let file = try TestMedia.temporaryFile(size: size)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "upload"))
            let plan = try makePlan(size)
            #expect(plan.parts.count == 7)
            let acknowledged = Recorder<ChunkReceipt>()
            let progress = Recorder<UploadProgress>()
            let summary = try await ChunkUploader(maxConcurrentChunks: 3).upload(
                try await session(client, video.id, file, size: size),
                onReceipt: { acknowledged.append($0) }, onProgress: { progress.append($0) }
            )
            #expect(summary.sentChunks == 7 && summary.receipts.map(\.chunk) == plan.parts)
            #expect(Set(acknowledged.values) == Set(summary.receipts))
            #expect(progress.values.last?.bytesSent == Int64(size))
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            for entry in summary.receipts {
                let bytes = data[Int(entry.chunk.start)...Int(entry.chunk.endInclusive)]
                #expect(entry.proof == TestMedia.md5(Data(bytes)))
            }
            try await completeAndVerify(client, videoID: video.id, file: file)
        }
    }

    @Test("real part sizes: an 11 MiB file in 5 MiB parts against the sandbox's default minimum")
    func defaultMinimum() async throws {
        let size = 11 * 1024 * 1024
        let file = try TestMedia.temporaryFile(size: size, seed: 6)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "real parts"))
            let plan = try PartPlan(fileSize: Int64(size), partSize: PartPlan.minimumPartSize)
            #expect(plan.parts.map(\.length) == [5 << 20, 5 << 20, 1 << 20])
            _ = try await ChunkUploader(maxConcurrentChunks: 3).upload(
                try await AIOZUploadSession(
                    client: client, videoID: video.id, file: file, size: Int64(size),
                    partSize: PartPlan.minimumPartSize))
            try await completeAndVerify(client, videoID: video.id, file: file)
        }
    }

    @Test("a part sent twice overwrites itself, and a single-part file works")
    func resend() async throws {
        let size = 700 * 1024
        let file = try TestMedia.temporaryFile(size: size, seed: 2)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "resend"))
            let plan = try makePlan(size)
            for part in plan.parts {
                let first = try await client.uploadPart(
                    videoID: video.id, file: file, range: part.start...part.endInclusive, index: part.index, total: plan.fileSize)
                let second = try await client.uploadPart(
                    videoID: video.id, file: file, range: part.start...part.endInclusive, index: part.index, total: plan.fileSize)
                #expect(first == second)
            }
            try await completeAndVerify(client, videoID: video.id, file: file)

            let small = try TestMedia.temporaryFile(size: 1000, seed: 3)
            defer { try? FileManager.default.removeItem(atPath: small) }
            let single = try await client.createVideo(VideoCreateRequest(title: "single"))
            let summary = try await ChunkUploader().upload(try await session(client, single.id, small, size: 1000))
            #expect(summary.receipts.count == 1 && summary.receipts[0].chunk.index == 0)
            try await completeAndVerify(client, videoID: single.id, file: small)
        }
    }

    @Test("resuming skips acknowledged parts and sends only the rest")
    func resume() async throws {
        let size = 2 * 1024 * 1024 + 3
        let file = try TestMedia.temporaryFile(size: size, seed: 4)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "resume"))
            let plan = try makePlan(size)
            var journal = Set<ChunkReceipt>()
            for part in plan.parts.prefix(2) {
                let md5 = try await client.uploadPart(
                    videoID: video.id, file: file, range: part.start...part.endInclusive, index: part.index, total: plan.fileSize)
                journal.insert(ChunkReceipt(chunk: part, proof: md5))
            }
            let fresh = Recorder<ChunkReceipt>()
            let summary = try await ChunkUploader(maxConcurrentChunks: 2).upload(
                try await session(client, video.id, file, size: size), acknowledged: journal, onReceipt: { fresh.append($0) }
            )
            #expect(summary.sentChunks == plan.parts.count - 2)
            #expect(Set(fresh.values.map(\.chunk.index)) == Set(plan.parts.dropFirst(2).map(\.index)))
            #expect(summary.receipts.count == plan.parts.count)
            try await completeAndVerify(client, videoID: video.id, file: file)
        }
    }

    @Test("complete with a missing part is refused by the server")
    func gap() async throws {
        let size = 1024 * 1024 + 10
        let file = try TestMedia.temporaryFile(size: size, seed: 5)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "gap"))
            let part = try makePlan(size).parts[0]
            try await client.uploadPart(
                videoID: video.id, file: file, range: part.start...part.endInclusive, index: 0, total: Int64(size))
            let error = await #expect(throws: AIOZError.self) { try await client.completeVideo(id: video.id) }
            #expect(error?.code == .badRequest)
        }
    }

    @Test("a part for an unknown video is a 404 naming the video, not retried")
    func unknownVideo() async throws {
        let file = try TestMedia.temporaryFile(size: 1000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let id = UUID().uuidString.lowercased()
            let error = await #expect(throws: AIOZError.self) {
                try await client.uploadPart(videoID: id, file: file, range: 0...999, index: 0, total: 1000)
            }
            #expect(error?.code == .notFound && error?.attempts == 1)
            #expect(error?.description.contains("video \(id)") == true)
        }
    }

    @Test("a file that changed size since planning is refused before sending")
    func changedFile() async throws {
        let file = try TestMedia.temporaryFile(size: 1000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(Self.sandbox) { sandbox in
            let client = sandbox.client
            let error = await #expect(throws: AIOZError.self) {
                _ = try await session(client, UUID().uuidString.lowercased(), file, size: 2000)
            }
            #expect(error?.code == .invalidFile)
        }
    }

    @Test("thumbnails upload as PNG or JPEG by content, and can be removed; other files are refused")
    func thumbnail() async throws {
        let directory = FileManager.default.temporaryDirectory
        let png = directory.appendingPathComponent("thumb-\(UUID().uuidString)").path
        let jpeg = directory.appendingPathComponent("thumb-\(UUID().uuidString).bin").path
        let text = directory.appendingPathComponent("thumb-\(UUID().uuidString).png").path
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 3000)).write(
            to: URL(fileURLWithPath: png))
        try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 1, count: 500)).write(to: URL(fileURLWithPath: jpeg))
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: text))
        defer { for path in [png, jpeg, text] { try? FileManager.default.removeItem(atPath: path) } }
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "thumb"))
            try await client.uploadThumbnail(videoID: video.id, file: png)
            let withThumbnail = try await client.getVideo(id: video.id)
            let url = try #require(withThumbnail.assets?.thumbnailURL)
            let downloaded = try await TestSandbox.download(url)
            #expect(downloaded.status == 200 && downloaded.body.count == 3008)
            try await client.uploadThumbnail(videoID: video.id, file: jpeg)
            try await client.deleteThumbnail(videoID: video.id)
            let error = await #expect(throws: AIOZError.self) { try await client.uploadThumbnail(videoID: video.id, file: text) }
            #expect(error?.code == .invalidFile && error?.attempts == 1)
        }
    }
}

@Suite("Uploads cancelled midway")
struct CancelledUploadTests {
    /// Descriptors this process has open on `path` now.
    func descriptors(on path: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) == path }
            .count
    }

    @Test("a part cancelled while its file streams closes the file: no leaked descriptor, no crash")
    func cancelledPart() async throws {
        let size = 4 * 1024 * 1024
        let file = try TestMedia.temporaryFile(size: size, seed: 11)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let faults = FaultConfiguration(
            rate: 1, seed: 3, kinds: [.latency], pathPrefixes: ["/videos/:id/part"], latencyMilliseconds: 300)
        try await TestSandbox.with(SandboxConfiguration(minPartSize: 512 * 1024, faults: faults)) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "cancelled"))
            for round in 0..<5 {
                let started = Recorder<Int64>()
                let task = Task {
                    try await client.uploadPart(
                        videoID: video.id, file: file, range: 0...Int64(size - 1), index: 0, total: Int64(size),
                        onBytes: { started.append($0) })
                }
                // Cancel once the part's bytes are flowing (its file is open and being read).
                let deadline = Date().addingTimeInterval(10)
                while started.values.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(2)) }
                #expect(!started.values.isEmpty, "round \(round): the part never started")
                task.cancel()
                _ = await task.result
            }
            // Give NIO's thread pool a moment to finish closing.
            try await Task.sleep(for: .milliseconds(200))
            #expect(descriptors(on: file) == 0, "\(descriptors(on: file)) descriptors of the part's file are still open")
        }
    }
}

@Suite("Uploads completed by an earlier, interrupted apply")
struct CompletedUploadTests {
    @Test("parts and complete sent again after complete succeed: the upload is done, not an error")
    func alreadyComplete() async throws {
        let size = 1024 * 1024 + 5
        let file = try TestMedia.temporaryFile(size: size, seed: 12)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(SandboxConfiguration(minPartSize: 512 * 1024)) { sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "twice"))
            func session() async throws -> AIOZUploadSession {
                try await AIOZUploadSession(
                    client: client, videoID: video.id, file: file, size: Int64(size),
                    partSize: 512 * 1024, minimumPartSize: 512 * 1024)
            }
            let first = try await ChunkUploader().upload(try await session())
            try await session().finish(first.receipts)
            // As an apply killed right after `complete` would do on its next run, with or without a journal.
            let again = try await ChunkUploader().upload(try await session())
            #expect(again.receipts.allSatisfy { $0.proof == AIOZUploadSession.completedProof })
            try await session().finish(again.receipts)
            let error = await #expect(throws: AIOZError.self) { try await client.completeVideo(id: video.id) }
            #expect(
                error?.serverMessage?.contains("already complete") == true, "the sandbox still refuses a bare second complete")
            #expect(try await client.getVideo(id: video.id).status.rawValue != "new")
        }
    }
}
