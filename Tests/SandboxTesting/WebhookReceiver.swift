import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A loopback HTTP server that records every JSON body POSTed to it: what a webhook's owner runs.
public final class WebhookReceiver: Sendable {
    private let inbox: Inbox
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String

    private init(inbox: Inbox, port: Int) {
        self.inbox = inbox
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Every body received so far (its values as text), in order of arrival.
    public var bodies: [[String: String]] { inbox.bodies.withLock { $0 } }

    /// The header names (lowercased) of every GET received, in order: what a download sent.
    public var getHeaders: [Set<String>] { inbox.getHeaders.withLock { $0 } }

    /// The `type` of every body received, in order.
    public var types: [String] { bodies.compactMap { $0["type"] } }

    /// Starts a receiver answering `answer` to every POST, runs `body` with it, and stops it.
    public static func with<T: Sendable>(answer: Int = 200, _ body: (WebhookReceiver) async throws -> T) async throws -> T {
        let inbox = Inbox()
        let router = Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
            inbox.bodies.withLock { $0.append(object.mapValues { "\($0)" }) }
            return Response(status: .init(code: answer))
        }
        // Any GET: an asset on another host (a logo, a CDN file); answers `asset` and keeps the header names.
        router.get("**") { request, _ -> String in
            inbox.getHeaders.withLock { $0.append(Set(request.headers.map { $0.name.rawName.lowercased() })) }
            return "asset"
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        // A server that cannot start ends the stream, so the test fails instead of waiting forever.
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            _ = await task.result
            throw WebhookReceiverError.notStarted
        }
        let receiver = WebhookReceiver(inbox: inbox, port: port)
        do {
            let result = try await body(receiver)
            await group.triggerGracefulShutdown()
            _ = await task.result
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }

    /// Waits until `count` bodies arrived (or `seconds` passed: then returns what there is). A bound on
    /// a test that would otherwise hang, never an assertion about time.
    public func waitFor(_ count: Int, seconds: Double = 60) async -> [[String: String]] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while bodies.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return bodies
    }
}

/// The receiver's server ended before it listened on a port.
public enum WebhookReceiverError: Error { case notStarted }

private final class Inbox: Sendable {
    let bodies = Mutex<[[String: String]]>([])
    let getHeaders = Mutex<[Set<String>]>([])
}
