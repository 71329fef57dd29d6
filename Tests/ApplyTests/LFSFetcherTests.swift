import Apply
import Crypto
import Foundation
import Manifest
import Planning
import TestSupport
import Testing

/// `LFSFetcher` without a remote: the local store, a damaged object, a pointer changed since the
/// plan, a pointer outside any repository. (With git-lfs and a remote: CLITests/LFSSourceTests.)
@Suite("LFS objects for uploads: the local store, verified", .gated)
struct LFSFetcherTests {
    static let content = Array("the content of a video kept in Git LFS".utf8)
    static let oid = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
    static let pointer = LFSPointer(oid: oid, size: Int64(content.count))

    /// A directory (a git repository when `git` is true) holding `clip.mp4`, a pointer to `content`.
    static func withDirectory(git: Bool, _ body: (String, DesiredFile) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lfs-fetch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/media", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if git {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "init", "-q", directory]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let path = directory + "/media/clip.mp4"
        try pointer.text.write(toFile: path, atomically: true, encoding: .utf8)
        let file = DesiredFile(
            written: "media/clip.mp4", path: path, size: pointer.size, format: .mp4, sha256: oid, lfs: pointer)
        try await body(directory, file)
    }

    static func storePath(_ directory: String) -> String {
        "\(directory)/.git/lfs/objects/\(oid.prefix(2))/\(oid.dropFirst(2).prefix(2))/\(oid)"
    }

    static func realpath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    static func store(_ bytes: [UInt8], in directory: String) throws {
        let path = storePath(directory)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("an object in the local store is used as it is, from a subdirectory of the work tree too")
    func localStore() async throws {
        try await Self.withDirectory(git: true) { directory, file in
            try Self.store(Self.content, in: directory)
            let path = try await LFSFetcher.contentPath(of: file, hashes: ContentHasher(cachePath: nil))
            #expect(Self.realpath(path) == Self.realpath(Self.storePath(directory)))
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == Self.content)
        }
    }

    @Test("a damaged object in the store is refused, naming the pointer's oid")
    func damaged() async throws {
        try await Self.withDirectory(git: true) { directory, file in
            var bytes = Self.content
            bytes[0] ^= 0xFF
            try Self.store(bytes, in: directory)
            let error = await #expect(throws: ApplyError.self) {
                try await LFSFetcher.contentPath(of: file, hashes: ContentHasher(cachePath: nil))
            }
            #expect(error?.message.contains("not the pointer's \(Self.oid.prefix(12))") == true, "\(String(describing: error))")
        }
    }

    @Test("a pointer changed since the plan is refused: plan again")
    func changedPointer() async throws {
        try await Self.withDirectory(git: true) { directory, file in
            try Self.store(Self.content, in: directory)
            let other = LFSPointer(oid: String(repeating: "0", count: 64), size: 1)
            try other.text.write(toFile: file.path, atomically: true, encoding: .utf8)
            let error = await #expect(throws: ApplyError.self) {
                try await LFSFetcher.contentPath(of: file, hashes: ContentHasher(cachePath: nil))
            }
            #expect(error?.message.contains("changed since the plan") == true, "\(String(describing: error))")
        }
    }

    @Test("a pointer outside any git repository cannot be fetched, and says so")
    func outsideRepository() async throws {
        try await Self.withDirectory(git: false) { _, file in
            let error = await #expect(throws: ApplyError.self) {
                try await LFSFetcher.contentPath(of: file, hashes: ContentHasher(cachePath: nil))
            }
            #expect(error?.message.contains("outside a git repository") == true, "\(String(describing: error))")
        }
    }
}
