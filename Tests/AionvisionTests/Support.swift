import Aionvision
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Sandbox
import SandboxTesting
import Testing

/// An Aionvision client and provider against a fresh sandbox's emulation, with fast retries.
struct AionvisionHarness: Sendable {
    let sandbox: TestSandbox
    let baseURL: String
    let client: AionvisionClient
    let provider: AionvisionProvider
    static let token = TestSandbox.account.secretKey

    static func with<T: Sendable>(
        _ settings: AionvisionSettings = AionvisionSettings(chunkSize: 1 << 20), _ body: (AionvisionHarness) async throws -> T
    ) async throws -> T {
        var configuration = SandboxConfiguration()
        configuration.aionvision = settings
        return try await with(configuration, body)
    }

    static func with<T: Sendable>(
        _ configuration: SandboxConfiguration, _ body: (AionvisionHarness) async throws -> T
    ) async throws -> T {
        try await TestSandbox.with(configuration) { sandbox in
            let base = await sandbox.server.aionvisionBaseURL
            let client = AionvisionClient(
                configuration: .init(
                    baseURL: base, credentials: AionvisionCredentials(apiKey: token), baseDelay: .milliseconds(5),
                    maxDelay: .milliseconds(20)))
            do {
                let result = try await body(
                    AionvisionHarness(
                        sandbox: sandbox, baseURL: base, client: client, provider: AionvisionProvider(client: client)))
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Lines of the emulator's chunk PUT log (`MEDIA CHUNK ETAG`).
    func chunkPuts() async -> [String] {
        guard let path = await sandbox.server.aionvisionChunkLog, let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").map(String.init)
    }
}

/// A scratch file that looks like an MP4 (an `ftyp` box) followed by pseudo-random bytes.
struct TestVideoFile {
    let path: String
    let data: Data

    init(size: Int, seed: UInt64 = 42) throws {
        var bytes = [UInt8](repeating: 0, count: size)
        let head: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8)
        var state = seed
        for i in 0..<size {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = i < head.count ? head[i] : UInt8(truncatingIfNeeded: state >> 33)
        }
        data = Data(bytes)
        path = NSTemporaryDirectory() + "aionvision-test-\(UUID().uuidString).mp4"
        try data.write(to: URL(fileURLWithPath: path))
    }

    var md5: String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Raw requests to the emulation, as any HTTP client would send them.
enum Raw {
    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    static func send(
        _ method: HTTPMethod, _ url: String, token: String? = AionvisionHarness.token, json: Any? = nil, body: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(bytes.readableBytesView))
    }
}
