import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The AIOZ Stream emulator: a real HTTP server on loopback, usable in-process or from `streamplan sandbox`.
public actor SandboxServer {
    public nonisolated let configuration: SandboxConfiguration
    private var task: Task<Void, any Error>?
    private var serviceGroup: ServiceGroup?
    private var boundPort: Int?
    private var temporaryRoot: String?
    private var store: SandboxStore?
    private var webhooks: WebhookDispatcher?
    /// Set when a stop is forced, to keep what the server then says of its cancelled tasks at debug level.
    private var stopping: StoppingLogHandler.Switch?
    private var logger: Logger?
    /// The webhook delivery log as it was when the server stopped (those cut short included), for tests.
    private(set) var deliveriesAtShutdown: [WebhookDispatcher.Delivery] = []

    public init(_ configuration: SandboxConfiguration = SandboxConfiguration()) {
        self.configuration = configuration
    }

    /// The bound port, after `start()`; 0 before.
    public var port: Int { boundPort ?? 0 }

    /// The API base URL with the `/api` prefix, like `https://api.aiozstream.network/api`.
    public var baseURL: String { "http://\(Self.urlHost(configuration.host)):\(port)/api" }

    /// The account page (`/`): the videos, live keys and streamings of the account whose keys the browser
    /// gives (HTTP Basic: the public key as the user name, the secret key as the password).
    public var pageURL: String { "http://\(Self.urlHost(configuration.host)):\(port)/" }

    /// The Aionvision API base URL, like `https://api.aionvision.tech/api/v2`; a Bearer token is an
    /// account's secret key.
    public var aionvisionBaseURL: String { "http://\(Self.urlHost(configuration.host)):\(port)/aionvision/api/v2" }

    /// The file with one line per accepted presigned chunk PUT (`MEDIA CHUNK ETAG`), for tests to count.
    public var aionvisionChunkLog: String? { aionvisionRoot.map { $0 + "/chunk-puts.log" } }
    private var aionvisionRoot: String?

    /// Where the emulator keeps a completed Aionvision video's assembled bytes.
    public func aionvisionMediaFile(_ id: String) -> String? { aionvisionRoot.map { "\($0)/media/\(id)" } }

    /// The accounts served (the generated one when none was configured), after `start()`.
    public private(set) var accounts: [SandboxAccount] = []

    /// Binds the port and starts serving; returns once requests are accepted.
    public func start() async throws {
        guard task == nil else { return }
        let root: String
        if let data = configuration.dataDirectory {
            root = data
        } else {
            root = NSTemporaryDirectory() + "streamplan-sandbox-" + UUID().uuidString.lowercased()
            temporaryRoot = root
        }
        let files = FileLayout(root: root)
        try files.createDirectories()
        let store = try SandboxStore(
            files: files, persistent: configuration.dataDirectory != nil,
            configured: configuration.accounts, balance: configuration.balance)
        self.store = store
        accounts = store.accountList

        let portBox = PortBox()
        var env = SandboxEnvironment(
            store: store, files: files, minPartSize: configuration.minPartSize,
            transcodeSeconds: configuration.transcodeSeconds, keepsClearedValues: configuration.keepsClearedValues,
            apiBase: { [configuration] in "http://\(Self.urlHost(configuration.host)):\(portBox.port)/api" })
        let aionvision = AionvisionRoutes(
            stores: LazyAionvisionStore(root: root + "/aionvision", settings: configuration.aionvision),
            settings: configuration.aionvision,
            tokens: Dictionary(accounts.map { ($0.secretKey, $0.publicKey) }, uniquingKeysWith: { first, _ in first }),
            origin: { [configuration] in "http://\(Self.urlHost(configuration.host)):\(portBox.port)" })
        aionvisionRoot = root + "/aionvision"
        var webhookLogger = Logger(label: "streamplan.sandbox.webhooks")
        webhookLogger.logLevel = configuration.logsWebhookFailures ? .warning : .error
        let webhooks = WebhookDispatcher(
            store: store, transcodeSeconds: configuration.transcodeSeconds, timeout: configuration.webhookTimeout,
            logger: webhookLogger)
        env.webhooks = webhooks
        self.webhooks = webhooks
        let router = SandboxRouter.make(env: env, configuration: configuration, aionvision: aionvision)
        var bootstrapped = Logger(label: "streamplan.sandbox")
        bootstrapped.logLevel = .warning
        let stopping = StoppingLogHandler.Switch()
        self.stopping = stopping
        let logger = Logger(label: "streamplan.sandbox") { _ in
            StoppingLogHandler(base: bootstrapped.handler, stopping: stopping)
        }
        self.logger = logger
        let (ports, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "streamplan-sandbox"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                portBox.port = port
                continuation.yield(.success(port))
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        serviceGroup = group
        task = Task {
            do {
                try await group.run()
                continuation.yield(.failure(SandboxError.bindFailed("the server stopped")))
            } catch {
                continuation.yield(.failure(SandboxError.bindFailed("\(error)")))
                throw error
            }
        }
        var iterator = ports.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let port)?:
            boundPort = port
        case .failure(let error)?:
            task = nil
            throw error
        case nil:
            task = nil
            throw SandboxError.bindFailed("the server did not start")
        }
    }

    /// Stops serving and removes the temporary directory of an in-memory sandbox.
    public func shutdown() async {
        // Graceful first (lets in-flight requests finish); cancel if that takes more than two seconds.
        if let task, let serviceGroup {
            await serviceGroup.triggerGracefulShutdown()
            let deadline = Task { [stopping, logger] in
                try await Task.sleep(for: .seconds(2))
                stopping?.force()
                logger?.warning("the sandbox stopped requests still running two seconds after it was asked to stop")
                task.cancel()
            }
            _ = await task.result
            deadline.cancel()
        }
        task = nil
        serviceGroup = nil
        // Deliveries end before the store closes: none may read it afterwards.
        if let webhooks {
            await webhooks.shutdown()
            deliveriesAtShutdown = await webhooks.deliveries
        }
        webhooks = nil
        await store?.close()
        store = nil
        if let temporaryRoot { try? FileManager.default.removeItem(atPath: temporaryRoot) }
        temporaryRoot = nil
    }

    /// Starts a sandbox, runs `body` with it and always shuts it down.
    public static func withSandbox<T: Sendable>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(),
        _ body: (SandboxServer) async throws -> T
    ) async throws -> T {
        let server = SandboxServer(configuration)
        try await server.start()
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}

/// The bound port, readable from route closures once the server runs.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var port: Int {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
