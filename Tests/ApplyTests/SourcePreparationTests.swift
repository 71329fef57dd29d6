import AIOZ
import Foundation
import Planning
import Providers
import Sandbox
import SandboxTesting
import Synchronization
import Testing

@testable import Apply

/// Waits until `condition` holds, for at most `seconds` (a generous deadline, not a timing claim).
private func eventually(_ seconds: Double = 60, _ condition: () -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
    return true
}

@Suite("a create's source hashed while the lease settles")
struct SourcePreparationTests {
    @Test("read ahead, the SHA-256 is read from disk alone and the upload's bytes are ignored")
    func readAhead() async throws {
        let size = 300_000
        let path = try TestMedia.temporaryFile(size: size, seed: 9)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = try TestMedia.sha256(file: path)
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 0)
        hashing.readAhead()
        let wrong = [UInt8](repeating: 0, count: 4096)
        wrong.withUnsafeBytes { hashing.observe(0, $0) }
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.fromUpload == 0)
        #expect(hashing.counters.reread == Int64(size))
    }

    @Test("each part's MD5 is the MD5 of its bytes; a chunk cut differently has none")
    func partDigests() async throws {
        let size = 5 * 64 * 1024 + 123
        let path = try TestMedia.temporaryFile(size: size, seed: 3)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let digests = PartDigests(path: path, size: Int64(size), partSize: 64 * 1024)
        digests.start()
        #expect(try await eventually { digests.computed == 6 })
        for index in 0..<6 {
            let start = index * 64 * 1024
            let end = min(size, start + 64 * 1024)
            let chunk = UploadChunk(index: index, start: Int64(start), endInclusive: Int64(end - 1))
            #expect(digests.digest(for: chunk) == TestMedia.md5(bytes[start..<end]))
        }
        #expect(digests.digest(for: UploadChunk(index: 0, start: 0, endInclusive: 1000)) == nil)
        #expect(digests.digest(for: UploadChunk(index: 1, start: 1000, endInclusive: 66_535)) == nil)
    }

    @Test(
        "before the lease is confirmed, preparing a create makes no request; the upload then sends the MD5s computed, which the sandbox checks"
    )
    func noRequestBeforeConfirmation() async throws {
        let requests = Mutex<[String]>([])
        var configuration = SandboxConfiguration()
        configuration.recorder = ExchangeRecorder { exchange in
            requests.withLock { $0.append("\(exchange.method) \(exchange.path)") }
        }
        try await World.with(configuration) { world in
            try world.media("intro.mp4", size: 5 * 64 * 1024 + 123)  // 6 parts of 64 KiB
            try world.manifest(
                "videos:\n  intro:\n    title: Welcome\n    source: media/intro.mp4\n")
            let applier = world.applier()
            let plan = try await applier.plan(try world.load())
            #expect(plan.changes.map(\.action) == [.create])
            let before = requests.withLock { $0 }
            applier.prepare(plan)
            let path = try #require(plan.changes.first?.desired?.video?.source.path)
            let prepared = try #require(applier.context.prepared.peek(path))
            #expect(
                try await eventually {
                    prepared.parts.computed == 6 && prepared.sha256.counters.reread == Int64(5 * 64 * 1024 + 123)
                })
            #expect(requests.withLock { $0 } == before, "preparing must not talk to the account")
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes)")
            #expect(applier.context.prepared.peek(path) == nil, "the upload took the prepared hashes")
            let video = try #require(try await world.remoteVideos().first)
            let hash = try world.fileHash("intro.mp4")
            #expect(try await world.sourceHash(of: video) == hash)
            #expect(video.metadata.contains { $0.key == OwnershipMark.sourceSHA256 && $0.value == hash })
            #expect(requests.withLock { $0 }.filter { $0.hasSuffix("/part") }.count == 6)
        }
    }

    @Test("a part whose bytes changed after their MD5 was computed is refused by the service: the create does not complete")
    func changedAfterHashing() async throws {
        try await World.with { world in
            try world.media("intro.mp4", size: 2 * 64 * 1024)
            try world.manifest("videos:\n  intro:\n    title: Welcome\n    source: media/intro.mp4\n")
            let applier = world.applier()
            let plan = try await applier.plan(try world.load())
            applier.prepare(plan)
            let path = try #require(plan.changes.first?.desired?.video?.source.path)
            let prepared = try #require(applier.context.prepared.peek(path))
            #expect(try await eventually { prepared.parts.computed == 2 })
            // Same size, inode and modification time: only the bytes differ (the identity cannot tell).
            var info = stat()
            #expect(stat(path, &info) == 0)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.write(contentsOf: Data(repeating: 0x5a, count: 1024))
            try handle.close()
            var times = [info.st_atim, info.st_mtim]
            #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
            let outcomes = try await applier.apply(plan)
            #expect(outcomes.count == 1 && !outcomes[0].succeeded)
            let video = try #require(try await world.remoteVideos().first)
            #expect(video.status != .transcoding && video.status != .done)
        }
    }
}
