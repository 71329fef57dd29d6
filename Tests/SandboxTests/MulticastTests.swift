import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Restream (multicast) destinations of a live stream key", .gated)
struct MulticastTests {
    static let youtube = "rtmp://a.rtmp.youtube.com/live2/yt-secret-0123456789"
    static let twitch = "rtmps://live.twitch.tv/app/live_0123_twitchsecret"

    @Test(
        "by stream key: 404 before any, POST adds (a URL already there is kept once), GET lists, DELETE removes all",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let created = try await client.send(.POST, "/live_streams", json: #"{"name":"studio"}"#)
            let keyID = try #require(created.data["id"] as? String)
            let streamKey = try #require(created.data["stream_key"] as? String)
            let path = "/live_streams/multicast/\(streamKey)"
            #expect(try await client.send(.GET, path).status == 404)
            let added = try await client.send(.POST, path, json: #"{"multicast_urls":["\#(Self.youtube)"]}"#)
            #expect(added.status == 200)
            #expect(added.data["live_stream_key_id"] as? String == keyID)
            #expect(added.data["live_stream_multicast_urls"] as? [String] == [Self.youtube])
            #expect((added.data["id"] as? String)?.isEmpty == false)
            let again = try await client.send(
                .POST, path, json: #"{"multicast_urls":["\#(Self.twitch)","\#(Self.youtube)"]}"#)
            #expect(again.data["live_stream_multicast_urls"] as? [String] == [Self.youtube, Self.twitch])
            #expect(again.data["id"] as? String == added.data["id"] as? String)
            let got = try await client.send(.GET, path)
            #expect(got.status == 200)
            #expect(got.data["live_stream_multicast_urls"] as? [String] == [Self.youtube, Self.twitch])
            #expect(try await client.send(.DELETE, path).status == 200)
            #expect(try await client.send(.GET, path).status == 404)
            #expect(try await client.send(.DELETE, path).status == 404)
            // Deleting the key takes its destinations with it.
            _ = try await client.send(.POST, path, json: #"{"multicast_urls":["\#(Self.youtube)"]}"#)
            #expect(try await client.send(.DELETE, "/live_streams/\(keyID)").status == 200)
            #expect(try await client.send(.GET, path).status == 404)
        }
    }

    @Test("refused: an unknown stream key (404), an empty or missing list, a URL that is not rtmp(s)", .timeLimit(.minutes(10)))
    func errors() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let created = try await client.send(.POST, "/live_streams", json: #"{"name":"studio"}"#)
            let streamKey = try #require(created.data["stream_key"] as? String)
            let path = "/live_streams/multicast/\(streamKey)"
            let unknown = "/live_streams/multicast/0123456789abcdef0123456789abcdef"
            #expect(try await client.send(.GET, unknown).status == 404)
            #expect(try await client.send(.POST, unknown, json: #"{"multicast_urls":["\#(Self.youtube)"]}"#).status == 404)
            for body in [#"{}"#, #"{"multicast_urls":[]}"#, #"{"multicast_urls":["https://example.com/x"]}"#] {
                let refused = try await client.send(.POST, path, json: body)
                #expect(refused.status == 400, "\(body)")
            }
            let bad = try await client.send(.POST, path, json: #"{"multicast_urls":["ftp://h/secret-abcdef"]}"#)
            #expect(!String(decoding: bad.bytes, as: UTF8.self).contains("secret-abcdef"))
            #expect(try await client.send(.GET, path).status == 404)
        }
    }
}
