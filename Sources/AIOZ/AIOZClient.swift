import AsyncHTTPClient
import Logging
import NIOCore

/// The two generations of AIOZ Stream's video API: the same calls under `/videos` (2025, what AIOZ's
/// documentation describes) or `/media` (2026, what AIOZ's current SDK calls; create also takes `type`).
public enum APIGeneration: String, Sendable, CaseIterable {
    case videos, media
}

/// The HTTP client for AIOZ Stream: authenticated requests, envelopes, errors, retries, paging and uploads.
///
/// A value type over an AsyncHTTPClient `HTTPClient` (pooled connections). It either owns the
/// `HTTPClient` (call `shutdown()`, or use `withClient`) or borrows one the caller shuts down.
public struct AIOZClient: Sendable {
    /// Everything that shapes the client's behaviour.
    public struct Configuration: Sendable {
        public var endpoint: AIOZEndpoint
        public var credentials: AIOZCredentials
        public var retryPolicy: RetryPolicy
        /// Deadline of one JSON request attempt, its answer's body included (30 s by default; a request
        /// left unanswered twice fails: about a minute against a server that never answers).
        public var requestTimeout: Duration
        /// Deadline of one part or thumbnail upload attempt.
        public var uploadTimeout: Duration
        public var logger: Logger
        /// Which path family the video calls use: `/videos` (the 2025 API, the documentation's) or `/media` (2026).
        public var generation: APIGeneration = .videos
        /// Sent as `User-Agent`, so the service (and the sandbox's contract recording) can tell streamplan's requests.
        public var userAgent = "streamplan"

        public init(
            endpoint: AIOZEndpoint = .production,
            credentials: AIOZCredentials,
            retryPolicy: RetryPolicy = .standard,
            requestTimeout: Duration = .seconds(30),
            uploadTimeout: Duration = .seconds(30 * 60),
            logger: Logger = Logger(label: "streamplan.aioz")
        ) {
            self.endpoint = endpoint
            self.credentials = credentials
            self.retryPolicy = retryPolicy
            self.requestTimeout = requestTimeout
            self.uploadTimeout = uploadTimeout
            self.logger = logger
        }
    }

    public let configuration: Configuration
    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool

    /// A client over a borrowed `HTTPClient`; the caller keeps responsibility for shutting it down.
    public init(configuration: Configuration, httpClient: HTTPClient) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.ownsHTTPClient = false
    }

    /// The same connection pool with another configuration (the pool stays the original's to shut down).
    public func with(_ configuration: Configuration) -> AIOZClient {
        AIOZClient(configuration: configuration, httpClient: httpClient, owns: false)
    }

    private init(configuration: Configuration, httpClient: HTTPClient, owns: Bool) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.ownsHTTPClient = owns
    }

    /// A client with its own connection pool; call `shutdown()` when done.
    public init(configuration: Configuration) {
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(10), read: .seconds(120))
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        // Connection failures surface at once and go through the RetryPolicy like every other failure,
        // instead of AHC retrying silently until the request deadline.
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        self.configuration = configuration
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        self.ownsHTTPClient = true
    }

    /// Shuts the connection pool down if this client owns it; a borrowed client is left alone.
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    /// Runs `body` with a client that owns its pool, and shuts the pool down afterwards.
    public static func withClient<Result: Sendable>(
        _ configuration: Configuration,
        _ body: (AIOZClient) async throws -> Result
    ) async throws -> Result {
        let client = AIOZClient(configuration: configuration)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    var logger: Logger { configuration.logger }
}
