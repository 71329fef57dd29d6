import AIOZ
import Apply
import Foundation
import Planning
import Providers
import Sandbox
import SandboxTesting
import Testing

/// The sandbox really calls the webhooks streamplan applied, on the events of uploads made through the client.
@Suite("webhook deliveries from the sandbox")
struct WebhookDeliveryTests {
    static func manifest(_ url: String) -> String {
        """
        webhooks:
          all:
            name: Every event
            url: "\(url)"
            events: [file_received, encoding_started, encoding_finished, encoding_failed, partial_finished]

        """
    }

    /// Creates a video and uploads `size` bytes in one part through the client, then completes it.
    static func upload(_ client: AIOZClient, title: String, size: Int = 4096) async throws -> String {
        let file = try TestMedia.temporaryFile(size: size)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let video = try await client.createVideo(VideoCreateRequest(title: title))
        try await client.uploadPart(
            videoID: video.id, file: file, range: 0...Int64(size - 1), index: 0, total: Int64(size))
        try await client.completeVideo(id: video.id)
        return video.id
    }

    @Test("an upload that completes: received, started, one partial per quality, finished")
    func completes() async throws {
        try await WebhookReceiver.with { receiver in
            try await World.with { world in
                try world.manifest(Self.manifest(receiver.baseURL + "/hooks?token=abc"))
                try await world.applyLive()
                let id = try await Self.upload(world.client, title: "fine")
                let bodies = await receiver.waitFor(6)
                #expect(
                    bodies.compactMap { $0["type"] } == [
                        "file_received", "encoding_started", "partial_finished", "partial_finished", "partial_finished",
                        "encoding_finished",
                    ])
                #expect(bodies.allSatisfy { $0["video_id"] == id && $0["media_id"] == id })
                #expect(bodies.compactMap { $0["quality"] } == ["360p", "720p", "1080p"])
                #expect(bodies.last?["status"] == "done")
            }
        }
    }

    @Test("an upload that fails while transcoding: received, started, failed, and nothing after")
    func fails() async throws {
        try await WebhookReceiver.with { receiver in
            try await World.with(SandboxConfiguration(transcodeSeconds: 3600)) { world in
                // A Slack-style token in the path: the sandbox's delivery log masks it as plans do.
                try world.manifest(Self.manifest(receiver.baseURL + "/hooks/T0K3Nxoxb7Hq2Lw9"))
                try await world.applyLive()
                let id = try await Self.upload(world.client, title: "broken")
                let failed = try await world.sandbox.api.send(.POST, "/_sandbox/videos/\(id)/fail")
                #expect(failed.status == 200)
                let bodies = await receiver.waitFor(3)
                #expect(bodies.compactMap { $0["type"] } == ["file_received", "encoding_started", "encoding_failed"])
                #expect(bodies.last?["status"] == "fail")
                // The sandbox's own log of deliveries: one attempt each, all answered 200.
                let log = try await world.sandbox.webhookDeliveries { $0.count >= 3 }
                #expect(log.map { $0["event"] as? String } == ["file_received", "encoding_started", "encoding_failed"])
                #expect(log.allSatisfy { $0["status"] as? Int == 200 })
                #expect(log.allSatisfy { ($0["url"] as? String)?.hasSuffix("/hooks/***") == true }, "\(log)")
            }
        }
    }
}
