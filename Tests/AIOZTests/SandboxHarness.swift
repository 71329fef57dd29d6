import AIOZ
import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import Sandbox

/// Starts a sandbox on a free loopback port and hands a client pointed at it.
enum SandboxHarness {
    static let account = SandboxAccount(publicKey: "pk_test_0001", secretKey: "sk_test_very_secret_0001")
    static let credentials = AIOZCredentials(publicKey: account.publicKey, secretKey: account.secretKey)

    /// A fast policy for tests: retries quickly, honours Retry-After only up to 20 ms.
    static func fastRetries(_ attempts: Int = 8, seed: UInt64 = 7) -> RetryPolicy {
        .seeded(seed, maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), maximumServerDelay: .milliseconds(20))
    }

    /// Debug-level client logs when AIOZ_TEST_DEBUG is set.
    static var logger: Logger {
        var logger = Logger(label: "streamplan.aioz")
        if ProcessInfo.processInfo.environment["AIOZ_TEST_DEBUG"] != nil { logger.logLevel = .debug }
        return logger
    }

    static func with<T: Sendable>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        credentials: AIOZCredentials = SandboxHarness.credentials,
        retryPolicy: RetryPolicy = SandboxHarness.fastRetries(),
        _ body: (SandboxServer, AIOZClient) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.accounts = [account]
        return try await SandboxServer.withSandbox(configuration) { server in
            let endpoint = try AIOZEndpoint(await server.baseURL)
            let clientConfiguration = AIOZClient.Configuration(
                endpoint: endpoint, credentials: credentials, retryPolicy: retryPolicy,
                requestTimeout: .seconds(30), uploadTimeout: .seconds(60), logger: logger
            )
            return try await AIOZClient.withClient(clientConfiguration) { client in try await body(server, client) }
        }
    }

    /// A temporary file of `size` deterministic pseudo-random bytes.
    static func makeFile(size: Int, seed: UInt64 = 1) throws -> String {
        var generator = seed
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: generator >> 33)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aioz-upload-\(UUID().uuidString).bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func md5(_ data: Data) -> String {
        Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Downloads an asset URL (with the keys, as the sandbox's API does) into memory.
    static func download(_ url: String) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "stream-public-key", value: account.publicKey)
        request.headers.add(name: "stream-secret-key", value: account.secretKey)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(body.readableBytesView))
    }
}
