import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Chunked upload: part, complete, assembled source", .gated)
struct UploadTests {
    static let small = SandboxConfiguration(minPartSize: 64 * 1024)

    @Test("a single part, hash sent after file as in seed 000, completes and serves the same bytes")
    func singlePart() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(300_000)
            let id = try await client.createVideo()
            let part = try await client.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0)
            #expect(part.status == 200)
            #expect(part.message == "Upload part successfully.")
            let complete = try await client.send(.GET, "/videos/\(id)/complete")
            #expect(complete.status == 200)
            #expect(complete.message == "Upload video complete successfully.")
            let video = try await client.send(.GET, "/videos/\(id)").data
            #expect(video["status"] as? String == "done")
            #expect(video["size"] as? Int == bytes.count)
            let assets = video["assets"] as? [String: String] ?? [:]
            for (name, url) in assets { #expect(!url.isEmpty, "\(name) is empty") }
            for quality in video["qualities"] as? [[String: Any]] ?? [] { #expect(quality["status"] as? String == "done") }
            let sourceURL: String = try #require(assets["source_url"])
            let source = try await client.send(.GET, "", auth: .none, url: sourceURL)
            #expect(MD5Hex.of(source.bytes) == MD5Hex.of(bytes))
        }
    }

    @Test("a done video's thumbnail_url resolves: a generated image without a thumbnail of its own, also after DELETE")
    func generatedThumbnail() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(100_000)
            let id = try await client.createVideo()
            _ = try await client.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0)
            _ = try await client.send(.GET, "/videos/\(id)/complete")
            func thumbnail() async throws -> APIResult {
                let assets = try await client.send(.GET, "/videos/\(id)").data["assets"] as? [String: String] ?? [:]
                let url: String = try #require(assets["thumbnail_url"])
                return try await client.send(.GET, "", url: url)
            }
            let generated = try await thumbnail()
            #expect(generated.status == 200)
            #expect(generated.headers["content-type"].first == "image/png")
            #expect(generated.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let png = [UInt8](repeating: 7, count: 100)
            let form = MultipartForm.make(
                fields: [], file: ("file", "t.png", ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + png)[...]))
            #expect(
                try await client.send(
                    .POST, "/videos/\(id)/thumbnail", body: form.body, headers: [("Content-Type", form.contentType)]
                ).status == 200)
            #expect(try await thumbnail().bytes.count == 108)
            #expect(try await client.send(.DELETE, "/videos/\(id)/thumbnail").status == 200)
            let after = try await thumbnail()
            #expect(
                after.status == 200 && after.bytes == generated.bytes,
                "after DELETE the URL still resolves, to the generated image")
        }
    }

    @Test("parts sent out of order and concurrently assemble to the source bytes")
    func concurrentOutOfOrder() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let partSize = 64 * 1024
            let bytes = TestBytes.make(partSize * 7 + 1234, seed: 7)
            let id = try await client.createVideo()
            let starts = Array(stride(from: 0, to: bytes.count, by: partSize))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, start) in starts.enumerated().reversed() {
                    group.addTask {
                        let end = min(start + partSize, bytes.count)
                        return try await client.uploadPart(
                            id, bytes: bytes[start..<end], start: start, total: bytes.count,
                            index: index, hashFirst: index % 2 == 0
                        ).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            let source = try await client.send(.GET, "/videos/\(id)/source", auth: .none)
            #expect(source.bytes.count == bytes.count)
            #expect(MD5Hex.of(source.bytes) == MD5Hex.of(bytes))
        }
    }

    @Test("complete links the parts instead of copying them: the same files (inodes) become the source, served whole")
    func completeLinksParts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("link-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = Self.small
        config.dataDirectory = directory
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            let partSize = 64 * 1024
            let bytes = TestBytes.make(partSize * 3 + 17, seed: 3)
            func inode(_ path: String) throws -> Int {
                try #require(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
            }
            // Several parts: the parts directory becomes `sources/ID.parts`, the part files unmoved within it.
            let id = try await client.createVideo()
            var inodes: [Int] = []
            for (index, start) in stride(from: 0, to: bytes.count, by: partSize).enumerated() {
                let end = min(start + partSize, bytes.count)
                #expect(
                    try await client.uploadPart(id, bytes: bytes[start..<end], start: start, total: bytes.count, index: index)
                        .status == 200)
                inodes.append(try inode("\(directory)/parts/\(id)/\(index).part"))
            }
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/parts/\(id)"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/sources/\(id)"))
            for (index, before) in inodes.enumerated() {
                #expect(try inode("\(directory)/sources/\(id).parts/\(index).part") == before, "part \(index) was copied")
            }
            let source = try await client.send(.GET, "/videos/\(id)/source", auth: .none)
            #expect(source.headers["content-length"].first == String(bytes.count))
            #expect(source.bytes == bytes)

            // One part: renamed to `sources/ID`.
            let one = try await client.createVideo()
            #expect(try await client.uploadPart(one, bytes: bytes[...], start: 0, total: bytes.count, index: 0).status == 200)
            let before = try inode("\(directory)/parts/\(one)/0.part")
            #expect(try await client.send(.GET, "/videos/\(one)/complete").status == 200)
            #expect(try inode("\(directory)/sources/\(one)") == before)
            #expect(try await client.send(.GET, "/videos/\(one)/source", auth: .none).bytes == bytes)

            // Deleting the video removes its linked source.
            #expect(try await client.send(.DELETE, "/videos/\(id)").status == 200)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/sources/\(id).parts"))
        }
    }

    @Test("a re-sent part overwrites the previous bytes")
    func resendOverwrites() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(1000)
            let wrong = TestBytes.make(1000, seed: 99)
            let id = try await client.createVideo()
            #expect(try await client.uploadPart(id, bytes: wrong[...], start: 0, total: 1000, index: 0).status == 200)
            #expect(try await client.uploadPart(id, bytes: bytes[...], start: 0, total: 1000, index: 0).status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            let source = try await client.send(.GET, "/videos/\(id)/source", auth: .none)
            #expect(source.bytes == bytes)
        }
    }

    @Test("a bad hash is 400")
    func badHash() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(1000)
            let id = try await client.createVideo()
            let result = try await client.uploadPart(
                id, bytes: bytes[...], start: 0, total: 1000, index: 0,
                hash: "00000000000000000000000000000000")
            #expect(result.status == 400)
            #expect(result.message.contains("hash"))
        }
    }

    @Test(
        "wrong Content-Range is 400",
        arguments: [
            "", "bytes 0-999", "bytes=0-999/1000", "bytes 0-998/1000", "bytes 0-1000/1000", "bytes 5-1/1000", "bytes a-b/c",
            "items 0-999/1000",
        ])
    func badRange(range: String) async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(1000)
            let id = try await client.createVideo()
            let result = try await client.uploadPart(id, bytes: bytes[...], start: 0, total: 1000, index: 0, contentRange: range)
            #expect(result.status == 400, "\(range)")
        }
    }

    @Test("a total that changes between parts is 400")
    func changingTotal() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 100)) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(400)
            let id = try await client.createVideo()
            #expect(try await client.uploadPart(id, bytes: bytes[0..<200], start: 0, total: 400, index: 0).status == 200)
            #expect(try await client.uploadPart(id, bytes: bytes[200..<400], start: 200, total: 401, index: 1).status == 400)
        }
    }

    @Test("complete with a gap is 400, and succeeds once the gap is filled")
    func gap() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 100)) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(600)
            let id = try await client.createVideo()
            #expect(try await client.uploadPart(id, bytes: bytes[0..<200], start: 0, total: 600, index: 0).status == 200)
            #expect(try await client.uploadPart(id, bytes: bytes[400..<600], start: 400, total: 600, index: 2).status == 200)
            let complete = try await client.send(.GET, "/videos/\(id)/complete")
            #expect(complete.status == 400)
            #expect(complete.message.contains("gap"))
            #expect(try await client.uploadPart(id, bytes: bytes[200..<400], start: 200, total: 600, index: 1).status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
        }
    }

    @Test("a non-final part under the minimum size is 400; a small last part is fine")
    func minimumPartSize() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 500)) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(700)
            let id = try await client.createVideo()
            #expect(try await client.uploadPart(id, bytes: bytes[0..<200], start: 0, total: 700, index: 0).status == 400)
            #expect(try await client.uploadPart(id, bytes: bytes[0..<500], start: 0, total: 700, index: 0).status == 200)
            #expect(try await client.uploadPart(id, bytes: bytes[500..<700], start: 500, total: 700, index: 1).status == 200)
        }
    }

    @Test("missing form fields, a completed video and complete without parts are 400")
    func otherPartErrors() async throws {
        try await SandboxServer.withSandbox(Self.small) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(100)
            let id = try await client.createVideo()
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 400)
            let noHash = MultipartForm.make(fields: [("index", "0")], file: ("file", "a.mp4", bytes[...]))
            let result = try await client.send(
                .POST, "/videos/\(id)/part", body: noHash.body,
                headers: [("Content-Type", noHash.contentType), ("Content-Range", "bytes 0-99/100")])
            #expect(result.status == 400)
            let noFile = MultipartForm.make(fields: [("index", "0"), ("hash", MD5Hex.of(bytes))], file: nil)
            #expect(
                try await client.send(
                    .POST, "/videos/\(id)/part", body: noFile.body,
                    headers: [("Content-Type", noFile.contentType), ("Content-Range", "bytes 0-99/100")]
                ).status == 400)
            #expect(try await client.uploadPart(id, bytes: bytes[...], start: 0, total: 100, index: -1).status == 400)
            #expect(try await client.uploadPart(id, bytes: bytes[...], start: 0, total: 100, index: 0).status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            #expect(try await client.uploadPart(id, bytes: bytes[...], start: 0, total: 100, index: 0).status == 400)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 400)
        }
    }
}
