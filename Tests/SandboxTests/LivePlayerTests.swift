import Foundation
import Sandbox
import SandboxTesting
import Testing

/// `GET /live_streams/player/{id}/media` and `GET /live_streams/statistic/{stream_media_id}`, as
/// AIOZ's Go SDK calls them. Every answer is also checked against AIOZ's documents.
@Suite("live player info and statistics")
struct LivePlayerTests {
    @Test("player info: the streaming, without keys, by its id or its key's; statistics: zeros, with keys")
    func playerInfoAndStatistics() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let key = try #require(
                try await client.send(.POST, "/live_streams", json: #"{"name":"k","save":false}"#).data["id"] as? String)
            let stream = try #require(
                try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"show"}"#).data["id"]
                    as? String)
            let on = try await client.send(
                .POST, "/_sandbox/live_streams/\(key)/broadcasting", json: #"{"broadcasting":true}"#)
            #expect(on.status == 200)
            for id in [stream, key] {
                let info = try await client.send(.GET, "/live_streams/player/\(id)/media", auth: .none)
                #expect(info.status == 200, "\(info.json)")
                #expect(info.data["id"] as? String == stream && info.data["status"] as? String == "streaming")
                #expect(info.data["live_stream_key_id"] as? String == key)
                #expect(((info.data["assets"] as? [String: Any])?["hls_url"] as? String)?.isEmpty == false)
            }
            let unknown = UUID().uuidString.lowercased()
            #expect(try await client.send(.GET, "/live_streams/player/\(unknown)/media", auth: .none).status == 404)
            #expect(try await client.send(.GET, "/live_streams/player/nope/media", auth: .none).status == 400)

            let stat = try await client.send(.GET, "/live_streams/statistic/\(stream)")
            #expect(stat.status == 200, "\(stat.json)")
            #expect(stat.data["live_stream_media_id"] as? String == stream)
            #expect(stat.data["current_view"] as? Int == 0 && stat.data["total_view"] as? Int == 0)
            #expect(try await client.send(.GET, "/live_streams/statistic/\(stream)", auth: .none).status == 401)
            #expect(try await client.send(.GET, "/live_streams/statistic/\(key)").status == 404, "a key is not a streaming")
        }
    }
}
