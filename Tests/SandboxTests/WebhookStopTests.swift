import AIOZ
import Foundation
import Manifest
import SandboxTesting
import Synchronization
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// A receiver that never answers: a listening socket whose connections are accepted and then left
/// silent, as a host that swallows requests would (the README's `hooks.example.com` on some networks).
final class SilentReceiver: Sendable {
    private let socketFD: Int32
    private let connections = Mutex<[Int32]>([])
    let port: Int

    init() throws {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = socketFD
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

    /// Accepts the connections that arrived (and keeps them open, unanswered); waits until there is at
    /// least one (a bound on a wait that would otherwise hang, not a timing). Returns how many are held.
    func waitForConnection(seconds: Double = 60) async -> Int {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let count = connections.withLock { held in
                while case let fd = accept(socketFD, nil, nil), fd >= 0 { held.append(fd) }
                return held.count
            }
            if count > 0 || ContinuousClock.now >= deadline { return count }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit {
        for fd in connections.withLock({ $0 }) { close(fd) }
        close(socketFD)
    }
}

@Suite("webhook deliveries when a receiver never answers")
struct WebhookStopTests {
    static let allEvents: [WebhookEvent] = [
        .fileReceived, .encodingStarted, .partialFinished, .encodingFinished, .encodingFailed,
    ]

    /// Creates a video, uploads 4 KiB in one part and completes it: the sandbox queues its events.
    static func upload(_ sandbox: TestSandbox) async throws -> String {
        let file = try TestMedia.temporaryFile(size: 4096)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let video = try await sandbox.client.createVideo(VideoCreateRequest(title: "to be announced"))
        try await sandbox.client.uploadPart(videoID: video.id, file: file, range: 0...4095, index: 0, total: 4096)
        try await sandbox.client.completeVideo(id: video.id)
        return video.id
    }

    /// The delivery timeout is an hour: a stop that waited for it, or a receiver that waited for another,
    /// would show as a delivery with a timeout error or as events never received, whatever the machine's speed.
    static var patient: SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.webhookTimeout = 3600
        return configuration
    }

    @Test("stopping the sandbox cancels a delivery in flight and drops the queue, each logged as not delivered")
    func stopDoesNotWait() async throws {
        let silent = try SilentReceiver()
        try await TestSandbox.with(Self.patient) { sandbox in
            _ = try await sandbox.client.createWebhook(WebhookRequest(name: "silent", url: silent.url, events: Self.allEvents))
            _ = try await Self.upload(sandbox)
            #expect(await silent.waitForConnection() == 1)
            await sandbox.server.shutdown()
            let log = await sandbox.server.deliveriesAtShutdown
            #expect(log.first?.event == "file_received")
            #expect(log.first?.error == WebhookDispatcher.stoppedInFlight)
            #expect(log.first?.attempt == 1)
            #expect(log.dropFirst().map(\.error).allSatisfy { $0 == WebhookDispatcher.stoppedQueued })
            #expect(log.contains { $0.event == "encoding_started" && $0.error == WebhookDispatcher.stoppedQueued })
            #expect(log.allSatisfy { $0.status == nil })
        }
    }

    @Test("a receiver that never answers delays no other webhook's deliveries")
    func oneSilentReceiverDelaysNoOther() async throws {
        let silent = try SilentReceiver()
        try await WebhookReceiver.with { receiver in
            try await TestSandbox.with(Self.patient) { sandbox in
                let mute = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "silent", url: silent.url, events: Self.allEvents))
                _ = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "listening", url: receiver.baseURL + "/hooks", events: Self.allEvents))
                let id = try await Self.upload(sandbox)
                let bodies = await receiver.waitFor(6)
                #expect(
                    bodies.compactMap { $0["type"] } == [
                        "file_received", "encoding_started", "partial_finished", "partial_finished", "partial_finished",
                        "encoding_finished",
                    ])
                #expect(bodies.allSatisfy { $0["video_id"] == id })
                // The silent receiver still holds its first delivery: none of its attempts has ended.
                let log = try await sandbox.webhookDeliveries { log in log.filter { $0["status"] as? Int == 200 }.count >= 6 }
                #expect(!log.contains { $0["webhook_id"] as? String == mute.id })
                #expect(log.filter { $0["status"] as? Int == 200 }.count == 6)
            }
        }
    }
}
