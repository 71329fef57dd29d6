public import AIOZ
import AsyncHTTPClient
import Foundation
import Logging
import NIOFoundationCompat
public import Sandbox
import Synchronization
public import TestSupport
import Testing

/// The one harness for tests that need an emulator: a sandbox on a free loopback port, an AIOZ
/// client and provider pointed at it (fast retries), a raw HTTP client for the API and its admin
/// endpoints, and the environment a CLI process needs to reach it.
public struct TestSandbox: Sendable {
    public static let account = SandboxAccount(publicKey: "pk_test_0001", secretKey: "sk_test_very_secret_0001")
    public static let credentials = AIOZCredentials(publicKey: account.publicKey, secretKey: account.secretKey)

    public let server: SandboxServer
    /// The API base URL, e.g. `http://127.0.0.1:PORT/api`.
    public let baseURL: String
    public let client: AIOZClient
    public let provider: AIOZProvider
    /// Raw requests, as any HTTP client would send them.
    public let api: APIClient

    /// A fast policy for tests: retries quickly, honours Retry-After only up to 20 ms.
    public static func fastRetries(_ attempts: Int = 8, seed: UInt64 = 7) -> RetryPolicy {
        .seeded(
            seed, maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40),
            maximumServerDelay: .milliseconds(20))
    }

    /// Debug-level client logs when AIOZ_TEST_DEBUG is set.
    public static var logger: Logger {
        var logger = Logger(label: "streamplan.aioz")
        if ProcessInfo.processInfo.environment["AIOZ_TEST_DEBUG"] != nil { logger.logLevel = .debug }
        return logger
    }

    /// Runs `body` against a fresh sandbox (the test account is added to `configuration`); the client
    /// and the server are shut down afterwards. `minimumPartSize` lowers the part floor for small files.
    public static func with<T: Sendable>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        credentials: AIOZCredentials = TestSandbox.credentials,
        retryPolicy: RetryPolicy = TestSandbox.fastRetries(),
        minimumPartSize: Int64 = PartPlan.minimumPartSize,
        checkContract: Bool = true,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
        _ body: (TestSandbox) async throws -> T
    ) async throws -> T {
        // One of the suite's bounded permits for the sandbox's life (see SuiteGate).
        try await SuiteGate.run {
            try await run(
                configuration, credentials: credentials, retryPolicy: retryPolicy, minimumPartSize: minimumPartSize,
                checkContract: checkContract,
                sourceLocation: SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column), body)
        }
    }

    private static func run<T: Sendable>(
        _ configuration: SandboxConfiguration, credentials: AIOZCredentials, retryPolicy: RetryPolicy,
        minimumPartSize: Int64, checkContract: Bool, sourceLocation: SourceLocation,
        _ body: (TestSandbox) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        if !configuration.accounts.contains(account) { configuration.accounts.append(account) }
        configuration.logsWebhookFailures = false
        if minimumPartSize < PartPlan.minimumPartSize { configuration.minPartSize = Int(minimumPartSize) }
        // Every exchange is checked against AIOZ's OpenAPI documents once the test's body is done.
        let recorded = Mutex<[Data]>([])
        if checkContract, configuration.recorder == nil {
            let encoder = JSONEncoder()
            configuration.recorder = ExchangeRecorder { exchange in
                if let line = try? encoder.encode(exchange) { recorded.withLock { $0.append(line) } }
            }
        }
        let result = try await SandboxServer.withSandbox(configuration) { server in
            let base = await server.baseURL
            let clientConfiguration = AIOZClient.Configuration(
                endpoint: try AIOZEndpoint(base), credentials: credentials, retryPolicy: retryPolicy,
                requestTimeout: .seconds(30), uploadTimeout: .seconds(60), logger: logger)
            return try await AIOZClient.withClient(clientConfiguration) { client in
                let sandbox = TestSandbox(
                    server: server, baseURL: base, client: client,
                    provider: AIOZProvider(client: client, minimumPartSize: minimumPartSize),
                    api: await APIClient(server, account: account))
                return try await body(sandbox)
            }
        }
        await expectContract(recorded.withLock { $0 }, sourceLocation: sourceLocation)
        return result
    }

    /// What a `streamplan` process needs to reach this sandbox as the test account.
    /// The lease's settle delay is short here: tests that race two applies set their own.
    public var cliEnvironment: [String: String] {
        [
            "STREAM_PUBLIC_KEY": Self.account.publicKey, "STREAM_SECRET_KEY": Self.account.secretKey,
            "STREAMPLAN_LEASE_SETTLE_MS": "20",
        ]
    }

    /// The sandbox's admin switch: an encoder starts or stops pushing to the key.
    public func broadcast(keyID: String, _ on: Bool) async throws {
        let result = try await api.send(.POST, "/_sandbox/live_streams/\(keyID)/broadcasting", json: "{\"broadcasting\": \(on)}")
        guard result.status == 200 else { throw TestFailure("broadcasting switch answered \(result.status): \(result.json)") }
    }

    /// Downloads a URL the API gave out (with the test account's keys, as the sandbox's API wants them).
    public static func download(_ url: String) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "stream-public-key", value: account.publicKey)
        request.headers.add(name: "stream-secret-key", value: account.secretKey)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(body.readableBytesView))
    }
}

extension TestSandbox {
    /// Runs the `streamplan` binary against this sandbox as the test account: `--endpoint` is appended
    /// to `arguments` and the keys are in its environment (with `environment` on top).
    public func streamplan(_ arguments: [String], in directory: String, environment: [String: String] = [:]) async throws
        -> CLIResult
    {
        try await TestSupport.streamplan(
            arguments + ["--endpoint", baseURL], in: directory,
            environment: cliEnvironment.merging(environment) { _, new in new })
    }

    /// Starts the `streamplan` binary against this sandbox without waiting (to stop it midway).
    /// With `terminal`, its standard input and output are a pseudo-terminal (`CLIProcess.readTerminal`).
    public func start(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], terminal: Bool = false
    ) throws -> CLIProcess {
        try CLIProcess(
            arguments + ["--endpoint", baseURL], directory: directory,
            environment: cliEnvironment.merging(environment) { _, new in new }, terminal: terminal)
    }
}

extension TestSandbox {
    /// The videos of `project` on the account (those carrying its ownership mark): what a project's
    /// applies made, without the registry and lease videos streamplan keeps beside them.
    public func projectVideos(_ project: String) async throws -> [Video] {
        var query = VideoListQuery()
        query.metadata = [MetadataPair(key: "streamplan.project", value: project)]
        return try await client.allVideos(query)
    }
}

extension TestSandbox {
    /// The sandbox's webhook delivery log (`GET /_sandbox/webhook_deliveries`) once `ready` holds of
    /// it, or as it is after `seconds`. A delivery is logged when its answer has been read, a moment
    /// after the receiver has the body: a test that has seen the bodies waits for their log lines.
    public func webhookDeliveries(seconds: Double = 60, until ready: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let answer = try await api.send(.GET, "/_sandbox/webhook_deliveries")
            guard answer.status == 200, let log = answer.json["data"] as? [[String: Any]] else {
                throw TestFailure("the delivery log answered \(answer.status): \(answer.json)")
            }
            if ready(log) || ContinuousClock.now >= deadline { return log }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
