import Crypto
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// The servers `RemoteSourceTests` runs against (scripts/source-servers.py) and what its tests share.
extension RemoteSourceTests {
    /// The servers and a directory of manifests and files the HTTP server serves.
    final class Servers: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        let root: String
        var s3Port = 0
        var httpPort = 0
        var accessKeyID = ""
        var secret = ""

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("sources-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/web", withIntermediateDirectories: true)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", ToolRun.packageRoot + "/scripts/source-servers.py", root + "/web"]
            process.standardOutput = output
            _ = FileManager.default.createFile(atPath: root + "/servers.log", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: root + "/servers.log")
            process.standardInput = input
            try process.run()
            let ready = try readLine()
            s3Port = try #require(ready["s3_port"] as? Int)
            httpPort = try #require(ready["http_port"] as? Int)
            accessKeyID = try #require(ready["access_key_id"] as? String)
            secret = try #require(ready["secret_access_key"] as? String)
        }

        func readLine() throws -> [String: Any] {
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                line.append(byte)
            }
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                process.terminate()
                let log = (try? String(contentsOfFile: root + "/servers.log", encoding: .utf8)) ?? ""
                throw TestFailure(
                    "source-servers.py answered \(String(decoding: line, as: UTF8.self)) (is moto installed?): \(log.suffix(2000))"
                )
            }
            return object
        }

        /// Uploads `bytes` as s3://media/KEY, with S3's stored SHA-256 or without; returns the ETag.
        @discardableResult
        func put(_ key: String, _ bytes: [UInt8], checksum: Bool) throws -> String {
            let path = root + "/upload-\(UUID().uuidString)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try input.fileHandleForWriting.write(
                contentsOf: Data("put\t\(key)\t\(path)\t\(checksum ? "sha256" : "plain")\n".utf8))
            return try #require(try readLine()["etag"] as? String)
        }

        func requests() throws -> [String] {
            try input.fileHandleForWriting.write(contentsOf: Data("requests\n".utf8))
            return try readLine()["requests"] as? [String] ?? []
        }

        /// Serves `bytes` at http://127.0.0.1:PORT/NAME.
        func serve(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/web/" + name))
        }

        func environment(secret: String? = nil) -> [String: String] {
            [
                "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secret ?? self.secret, "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:\(s3Port)", "STREAMPLAN_MIN_PART_SIZE": "65536",
                "STREAMPLAN_PART_SIZE": "65536",
            ]
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    static func md5(_ bytes: [UInt8]) -> String { Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    func manifest(_ project: String, _ servers: Servers, thumbnails: Bool = false) throws -> String {
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        project: \(project)
        videos:
          checksummed:
            title: From S3 with its stored checksum
            source: s3://media/clips/intro one.mp4\(thumbnails ? "\n    thumbnail: s3://media/covers/cover.png" : "")
          unchecksummed:
            title: From S3, hashed by one read
            source: s3://media/clips/second.mp4
          web:
            title: From a URL
            source: http://127.0.0.1:\(servers.httpPort)/web.mp4\(thumbnails ? "\n    thumbnail: http://127.0.0.1:\(servers.httpPort)/cover.jpg" : "")

        """.write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    /// The video of `address` in the sandbox, and the SHA-256 and MD5 of its uploaded source.
    func uploaded(_ sandbox: TestSandbox, _ project: String, _ name: String) async throws -> (sha256: String, md5: String) {
        let videos = try await sandbox.projectVideos(project)
        let video = try #require(
            videos.first { $0.metadata.contains { $0.key == "streamplan.address" && $0.value == "video.\(name)" } })
        let source = try await sandbox.api.send(.GET, "/videos/\(video.id)/source", auth: .none)
        #expect(source.status == 200)
        let marked = video.metadata.first { $0.key == "streamplan.source_sha256" }?.value
        #expect(marked == Self.sha256(source.bytes), "the source mark names the uploaded bytes")
        return (Self.sha256(source.bytes), Self.md5(source.bytes))
    }
}
