import Aionvision
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// The chunk PUT of the upload session against a real S3 implementation (moto's server, started by
/// the test on a free port): presigned SigV4 URLs, quoted-MD5 ETags, Content-Length, a complete
/// multipart upload whose object is the file. Skipped when moto is not installed.
@Suite("Aionvision chunk PUT against moto S3", .timeLimit(.minutes(10)))
struct MotoS3Tests {
    static var motoInstalled: Bool {
        (try? ToolRun.run("python3", ["-c", "import moto.server, boto3"]).status) == 0
    }

    /// moto's server in a python process of ours; it stops when its stdin closes.
    final class MotoServer: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        let port: Int

        init() throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", ToolRun.packageRoot + "/scripts/moto-s3.py", "serve"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = input
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                line.append(byte)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else {
                process.terminate()
                throw TestFailure("moto did not start")
            }
            self.port = port
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test(
        "presigned part PUTs to moto: quoted MD5 ETags that complete the multipart upload into the same bytes",
        .enabled(if: motoInstalled))
    func presignedParts() async throws {
        let moto = try await Self.offPool { try MotoServer() }
        defer { moto.stop() }
        let file = try TestVideoFile(size: 5 * 1_048_576 + 700_001)
        defer { file.remove() }
        let prepared = try await ToolRun.runOffPool(
            "python3", ["scripts/moto-s3.py", "prepare", String(moto.port), "clip.mp4", "2"])
        #expect(prepared.status == 0, "\(prepared.output)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(prepared.output.utf8)) as? [String: Any])
        let upload = try #require(json["upload_id"] as? String)
        let urls = try #require(json["urls"] as? [String])
        let client = AionvisionClient(configuration: .init(baseURL: "http://unused.invalid", credentials: .init(apiKey: "k")))
        let ranges: [Range<Int64>] = [0..<5_242_880, 5_242_880..<Int64(file.data.count)]
        var etags: [String] = []
        do {
            for (url, range) in zip(urls, ranges) {
                let answer = try await client.putChunk(
                    url: url, file: file.path, range: range, contentType: "video/mp4", operation: "test PUT")
                #expect(answer.etag == "\"\(answer.md5)\"", "S3 answers the part's MD5, quoted")
                etags.append(answer.etag)
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let etagJSON = String(decoding: try JSONSerialization.data(withJSONObject: etags), as: UTF8.self)
        let finished = try await ToolRun.runOffPool(
            "python3", ["scripts/moto-s3.py", "finish", String(moto.port), "clip.mp4", upload, etagJSON])
        #expect(finished.status == 0, "\(finished.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(finished.output.utf8)) as? [String: Any])
        #expect(object["size"] as? Int == file.data.count)
        #expect(object["md5"] as? String == file.md5)
    }
}
