import AIOZ
import Foundation
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Restream destinations over loopback")
struct MulticastIntegrationTests {
    static let youtube = "rtmp://a.rtmp.youtube.com/live2/yt-Secret-0a1b2c3d4e5f"
    static let twitch = "rtmps://live.twitch.tv/app/live_0123_twitchsecret"

    @Test(
        "the provider by key id: none, add, add again, remove all; a missing key is nil; no description shows a URL or the stream key",
        .timeLimit(.minutes(10)))
    func provider() async throws {
        try await TestSandbox.with { sandbox in
            let provider = sandbox.provider
            let keyID = try await provider.createLiveKey(NewLiveKey(name: "studio", save: false))
            let streamKey = try await sandbox.client.getLiveStreamKey(id: keyID).streamKey
            #expect(try await provider.restreamURLs(keyID: keyID) == [])
            #expect(try await provider.addRestreamURLs(keyID: keyID, [Self.youtube]) == [Self.youtube])
            #expect(
                try await provider.addRestreamURLs(keyID: keyID, [Self.twitch, Self.youtube]) == [Self.youtube, Self.twitch])
            #expect(try await provider.restreamURLs(keyID: keyID) == [Self.youtube, Self.twitch])
            let wire = try await sandbox.client.getMulticast(streamKey: streamKey, keyID: keyID)
            #expect(wire.liveStreamKeyID == keyID)
            for text in [wire.description, String(reflecting: wire), "\(Mirror(reflecting: wire).children.map(\.value))"] {
                #expect(!text.contains("yt-Secret") && !text.contains("twitchsecret"), "\(text)")
            }
            // A refused add: the error names the key's id, never its stream key or the URL.
            do {
                _ = try await provider.addRestreamURLs(keyID: keyID, ["ftp://h.example.com/ftp-secret-0123"])
                Issue.record("an ftp:// destination was accepted")
            } catch {
                let text = "\(error)"
                #expect(!text.contains(streamKey) && !text.contains("ftp-secret"), "\(text)")
                #expect(text.contains(keyID), "\(text)")
            }
            try await provider.removeAllRestreamURLs(keyID: keyID)
            #expect(try await provider.restreamURLs(keyID: keyID) == [])
            try await provider.deleteLiveKey(id: keyID)
            #expect(try await provider.restreamURLs(keyID: keyID) == nil)
        }
    }
}
