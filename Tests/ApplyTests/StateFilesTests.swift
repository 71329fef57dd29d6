import Apply
import Foundation
import Providers
import Testing

@Suite("files under .streamplan")
struct StateFilesTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("content hashes are cached by path, size, mtime and inode: unchanged files are not read again")
    func hashCache() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/video.mp4"
        try Data("first version".utf8).write(to: URL(fileURLWithPath: file))
        let first = ContentHasher(cachePath: dir + "/cache.json")
        let a = try await first.sha256(of: file)
        #expect(a == "80d8f975e768eecac59d22a788bf8e811e51ca85e309ee47f1e821e3e58280f2")
        try await first.save()

        let second = ContentHasher(cachePath: dir + "/cache.json")
        #expect(try await second.sha256(of: file) == a)
        #expect(await second.filesRead == 0)

        // A new file under the same name (new inode and size) is read again.
        try FileManager.default.removeItem(atPath: file)
        try Data("second, longer version".utf8).write(to: URL(fileURLWithPath: file))
        let b = try await second.sha256(of: file)
        #expect(b != a)
        #expect(await second.filesRead == 1)
    }

    @Test("a file longer than the 4 MiB read buffer, not a multiple of it, hashes to its SHA-256")
    func hashAcrossReadBuffers() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/video.mp4"
        let count = 9 * 1_048_576 + 123
        let bytes = (0..<count).map { i in UInt8(truncatingIfNeeded: i &* 31 &+ (i >> 13)) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let hasher = ContentHasher(cachePath: nil)
        // python3: hashlib.sha256(bytes(((i*31)+(i>>13))&0xff for i in range(9*1048576+123))).hexdigest()
        #expect(try await hasher.sha256(of: file) == "30b10375e2692e9b5543aeebd94478a9cfc91c860217d8bee8cfbc897ac83650")
    }

    @Test("the journal keeps acknowledged parts across processes, only for the same bytes")
    func journal() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.json"
        let part = ChunkReceipt(chunk: UploadChunk(index: 0, start: 0, endInclusive: 99), proof: "abc")
        let writer = UploadJournal(path: path)
        try await writer.begin(videoID: "v1", address: "video.a", source: "s1", fileSize: 300, partSize: 100)
        try await writer.record(videoID: "v1", receipt: part)

        let reader = UploadJournal(path: path)
        #expect(await reader.acknowledged(videoID: "v1", source: "s1", fileSize: 300, partSize: 100) == [part])
        #expect(await reader.acknowledged(videoID: "v1", source: "s2", fileSize: 300, partSize: 100).isEmpty)
        #expect(await reader.acknowledged(videoID: "v1", source: "s1", fileSize: 300, partSize: 50).isEmpty)
        try await reader.finish(videoID: "v1")
        #expect(
            await UploadJournal(path: path).acknowledged(videoID: "v1", source: "s1", fileSize: 300, partSize: 100).isEmpty)
    }

    @Test("state files are written readable by the owner only")
    func permissions() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Data("{}".utf8), to: dir + "/x/state.json")
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/x/state.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
