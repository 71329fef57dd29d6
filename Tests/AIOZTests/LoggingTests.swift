import AIOZ
import Foundation
import Logging
import NIOConcurrencyHelpers
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Keeps every log line and its metadata in memory.
struct RecordingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)") }
    }
}

@Suite("Logging", .gated)
struct LoggingTests {
    @Test("debug request lines name method, path and status, and never carry keys or secrets")
    func noSecretsInLogs() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "streamplan.aioz") { _ in RecordingLogHandler(lines: lines) }
        let faults = FaultConfiguration(
            rate: 0.3, seed: 11, kinds: [.internalError, .tooManyRequests, .dropConnection], pathPrefixes: ["/videos/:id"])
        try await SandboxServer.withSandbox(SandboxConfiguration(accounts: [TestSandbox.account], faults: faults)) { server in
            let endpoint = try AIOZEndpoint(await server.baseURL)
            for credentials in [
                TestSandbox.credentials, AIOZCredentials(publicKey: "pk_wrong", secretKey: "sk_wrong_secret_xyz"),
            ] {
                let configuration = AIOZClient.Configuration(
                    endpoint: endpoint, credentials: credentials, retryPolicy: TestSandbox.fastRetries(10), logger: logger
                )
                try await AIOZClient.withClient(configuration) { client in
                    if let video = try? await client.createVideo(VideoCreateRequest(title: "logged")) {
                        for _ in 0..<5 { _ = try await client.getVideo(id: video.id) }
                        let key = try await client.createLiveStreamKey(.init(name: "k"))
                        _ = try await client.getLiveStreamKey(id: key.id)
                    }
                }
            }
        }
        let text = lines.withLockedValue { $0 }.joined(separator: "\n")
        #expect(text.contains("POST /videos/create → 200") || text.contains("POST /videos/create → 201"))
        #expect(text.contains("→ 401"))
        for secret in [TestSandbox.account.secretKey, "sk_wrong_secret_xyz", "stream-secret-key", "rtmp://"] {
            #expect(!text.contains(secret))
        }
    }
}
