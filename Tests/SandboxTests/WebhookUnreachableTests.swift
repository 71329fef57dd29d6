import AIOZ
import Foundation
import SandboxTesting
import Synchronization
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// A blackholed address on loopback: a listening socket with a backlog of 0 whose one queued
/// connection (made here) is never accepted. Linux then drops every further SYN, as a firewall that
/// drops packets would: a client's connection attempt neither succeeds nor fails until it gives up.
final class BlackholeReceiver: Sendable {
    private let listener: Int32
    private let filler: Int32
    let port: Int

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0, filler >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let (fd, other) = (listener, filler)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 0) == 0
                    && connect(other, $0, length) == 0
            }
        }
        guard ready else {
            close(listener)
            close(filler)
            throw TestFailure("bind/listen/connect: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    var url: String { "http://127.0.0.1:\(port)/hooks" }

    deinit {
        close(filler)
        close(listener)
    }
}

/// A receiver that answers a head (200, a body of 100 bytes to come) on each connection and then
/// nothing: a delivery that read the body to its end would wait forever.
final class HeadOnlyReceiver: Sendable {
    private let listener: Int32
    private let connections = Mutex<[Int32]>([])
    let port: Int

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, listen(fd, 16) == 0, fcntl(fd, F_SETFL, O_NONBLOCK) == 0 else {
            close(fd)
            throw TestFailure("bind/listen: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    var url: String { "http://127.0.0.1:\(port)/hooks" }

    /// Answers the head on every connection that arrives until `body` returns.
    func serving<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let task = Task {
            while !Task.isCancelled {
                connections.withLock { held in
                    while case let fd = accept(listener, nil, nil), fd >= 0 {
                        let head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                        _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                        held.append(fd)
                    }
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { task.cancel() }
        return try await body()
    }

    deinit {
        for fd in connections.withLock({ $0 }) { close(fd) }
        close(listener)
    }
}

/// A loopback port nobody listens on: a connection to it is refused at once.
func refusedURL() throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("bind: errno \(errno)") }
    return "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/hooks"
}

@Suite("webhook deliveries when receivers are unreachable")
struct WebhookUnreachableTests {
    /// Transcoding takes a second (so its end is an event of its own); a delivery waits a minute for an
    /// answer: a reachable receiver that waited for an unreachable one would see nothing for a minute.
    static var configuration: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.webhookTimeout = 60
        configuration.transcodeSeconds = 1
        return configuration
    }

    static let expected = [
        "file_received", "encoding_started", "partial_finished", "partial_finished", "partial_finished",
        "encoding_finished",
    ]

    @Test("refused, silent and blackholed receivers: the reachable one gets encoding_finished without waiting for them")
    func reachableBesideUnreachable() async throws {
        let silent = try SilentReceiver()
        let blackhole = try BlackholeReceiver()
        let refused = try refusedURL()
        try await WebhookReceiver.with { receiver in
            try await TestSandbox.with(Self.configuration) { sandbox in
                var unreachable: [String: String] = [:]
                for (name, url) in [("refused", refused), ("silent", silent.url), ("blackholed", blackhole.url)] {
                    let hook = try await sandbox.client.createWebhook(
                        WebhookRequest(name: name, url: url, events: WebhookStopTests.allEvents))
                    unreachable[name] = hook.id
                }
                let reachable = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "listening", url: receiver.baseURL + "/hooks", events: WebhookStopTests.allEvents))
                let id = try await WebhookStopTests.upload(sandbox)
                let bodies = await receiver.waitFor(Self.expected.count)
                #expect(bodies.compactMap { $0["type"] } == Self.expected)
                #expect(bodies.allSatisfy { $0["video_id"] == id })
                let log = try await sandbox.webhookDeliveries { log in
                    log.contains { $0["webhook_id"] as? String == reachable.id && $0["event"] as? String == "encoding_finished" }
                }
                let finished = log.first {
                    $0["webhook_id"] as? String == reachable.id && $0["event"] as? String == "encoding_finished"
                }
                #expect(finished?["status"] as? Int == 200)
                #expect(finished?["event_at"] is String)
                // The silent and blackholed receivers still hold their first delivery (a minute's timeout):
                // the reachable receiver's events, the transcode's end included, came before any of
                // their attempts ended.
                #expect(!log.contains { $0["webhook_id"] as? String == unreachable["silent"] })
                #expect(!log.contains { $0["webhook_id"] as? String == unreachable["blackholed"] })
                #expect(await silent.waitForConnection() == 1)
                // A refused connection fails at once (it is not tried again until the timeout).
                let refusals = try await sandbox.webhookDeliveries { log in
                    log.filter { $0["webhook_id"] as? String == unreachable["refused"] }.count >= WebhookDispatcher.attempts
                }.filter { $0["webhook_id"] as? String == unreachable["refused"] }
                #expect(refusals.count >= WebhookDispatcher.attempts)
                #expect(refusals.prefix(WebhookDispatcher.attempts).map { $0["attempt"] as? Int } == [1, 2, 3])
                #expect(refusals.allSatisfy { ($0["error"] as? String)?.lowercased().contains("refused") == true })
                await sandbox.server.shutdown()
                // The blackholed receiver's first attempt was under way (waiting for the connection) all along.
                let stopped = await sandbox.server.deliveriesAtShutdown.filter { $0.webhookID == unreachable["blackholed"] }
                #expect(stopped.first?.event == "file_received")
                #expect(stopped.first?.error == WebhookDispatcher.stoppedInFlight)
            }
        }
    }

    @Test("check answers at once for a refused URL, whatever the timeout")
    func checkRefused() async throws {
        var configuration = SandboxConfiguration()
        configuration.webhookTimeout = 3600
        try await TestSandbox.with(configuration) { sandbox in
            let hook = try await sandbox.client.createWebhook(
                WebhookRequest(name: "refused", url: try refusedURL(), events: [.fileReceived]))
            // Tried until the hour's timeout, this would outlast the test client's own minute.
            let answer = try await sandbox.api.send(.POST, "/webhooks/check/\(hook.id)")
            #expect(answer.status == 400)
            #expect(answer.message.contains("could not be reached"))
            #expect(answer.message.lowercased().contains("refused"))
        }
    }

    @Test("a receiver that answers its head and never its body: check answers with its status after the timeout")
    func checkHeadOnly() async throws {
        var configuration = SandboxConfiguration()
        configuration.webhookTimeout = 1
        let receiver = try HeadOnlyReceiver()
        try await receiver.serving {
            try await TestSandbox.with(configuration) { sandbox in
                let hook = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "half", url: receiver.url, events: [.fileReceived]))
                // Reading the body until it ended, this would outlast the test client's own minute.
                let answer = try await sandbox.api.send(.POST, "/webhooks/check/\(hook.id)")
                #expect(answer.status == 200, "\(answer.json)")
                #expect(answer.message.contains("answered 200"))
            }
        }
    }

    @Test("check answers after the delivery timeout for a silent or blackholed URL")
    func checkTimesOut() async throws {
        var configuration = SandboxConfiguration()
        configuration.webhookTimeout = 1
        let silent = try SilentReceiver()
        let blackhole = try BlackholeReceiver()
        try await TestSandbox.with(configuration) { sandbox in
            for (name, url) in [("silent", silent.url), ("blackholed", blackhole.url)] {
                let hook = try await sandbox.client.createWebhook(WebhookRequest(name: name, url: url, events: [.fileReceived]))
                let answer = try await sandbox.api.send(.POST, "/webhooks/check/\(hook.id)")
                #expect(answer.status == 400, "\(name)")
                #expect(answer.message.contains("could not be reached"), "\(name): \(answer.message)")
            }
        }
    }
}
