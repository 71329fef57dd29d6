import AIOZ
import Foundation
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Live key types, thumbnails and in-place streaming updates over loopback")
struct LiveKeyIntegrationTests {
    @Test(
        "an audio key, its thumbnail set and removed, a streaming updated by id (qualities while live), contract-checked",
        arguments: APIGeneration.allCases)
    func lifecycle(generation: APIGeneration) async throws {
        try await TestSandbox.with { sandbox in
            var settings = sandbox.client.configuration
            settings.generation = generation
            let provider = AIOZProvider(client: sandbox.client.with(settings))
            let keyID = try await provider.createLiveKey(NewLiveKey(name: "Radio", save: true, type: "audio"))
            #expect(try await provider.liveKey(id: keyID)?.type == "audio")
            let plain = try await provider.createLiveKey(NewLiveKey(name: "Plain", save: false))
            #expect(try await provider.liveKey(id: plain)?.type == "video")

            let image = try TestMedia.temporaryFile(size: 200)
            defer { try? FileManager.default.removeItem(atPath: image) }
            var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            png.append(try Data(contentsOf: URL(fileURLWithPath: image)))
            try png.write(to: URL(fileURLWithPath: image))
            try await provider.setLiveKeyThumbnail(keyID: keyID, file: image)
            #expect(try await sandbox.api.send(.GET, "/_sandbox/live_streams/\(keyID)/thumbnail").bytes == Array(png))
            try await provider.removeLiveKeyThumbnail(keyID: keyID)
            let again = await #expect(throws: AIOZError.self) { try await provider.removeLiveKeyThumbnail(keyID: keyID) }
            #expect(again?.code == .notFound)

            let older = try await provider.createStreaming(
                keyID: keyID, NewStreaming(title: "one", save: false, qualities: ["720p"]))
            let newer = try await provider.createStreaming(keyID: keyID, NewStreaming(title: "two", save: false, qualities: []))
            try await provider.updateStreaming(keyID: keyID, id: older, StreamingUpdate(title: "first", save: true))
            var streamings = try await provider.streamings(keyID: keyID)
            #expect(streamings.map(\.title) == ["first", "two"] && streamings.map(\.id) == [older, newer])
            // Not live: new qualities are refused by the service.
            await #expect(throws: AIOZError.self) {
                try await provider.updateStreaming(
                    keyID: keyID, id: older, StreamingUpdate(title: "first", save: true, qualities: ["360p"]))
            }
            try await provider.deleteStreaming(keyID: keyID, id: newer)
            try await sandbox.broadcast(keyID: keyID, true)
            try await provider.updateStreaming(
                keyID: keyID, id: older, StreamingUpdate(title: "first", save: true, qualities: ["360p", "1080p"]))
            streamings = try await provider.streamings(keyID: keyID)
            #expect(streamings.first?.state == .broadcasting && Set(streamings.first?.qualities ?? []) == ["360p", "1080p"])
        }
    }
}
