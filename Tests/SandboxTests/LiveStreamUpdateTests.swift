import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Live stream updates: streamings by stream_id, qualities while live, key types", .gated)
struct LiveStreamUpdateTests {
    @Test("PUT …/streamings with stream_id updates that streaming, not the newest; an unknown stream_id is 404")
    func streamID() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let key = try #require(try await client.send(.POST, "/live_streams", json: #"{"name":"k"}"#).data["id"] as? String)
            let older = try #require(
                try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"one"}"#).data["id"] as? String)
            let newer = try #require(
                try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"two"}"#).data["id"] as? String)
            let put = try await client.send(
                .PUT, "/live_streams/\(key)/streamings", json: #"{"title":"first","save":true,"stream_id":"\#(older)"}"#)
            #expect(put.status == 200)
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings/\(older)").data["title"] as? String == "first")
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings/\(newer)").data["title"] as? String == "two")
            // Without stream_id: the newest, as before.
            #expect(try await client.send(.PUT, "/live_streams/\(key)/streamings", json: #"{"title":"second"}"#).status == 200)
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings/\(newer)").data["title"] as? String == "second")
            let unknown = try await client.send(
                .PUT, "/live_streams/\(key)/streamings",
                json: #"{"title":"x","stream_id":"00000000-0000-0000-0000-000000000000"}"#)
            #expect(unknown.status == 404)
        }
    }

    @Test("qualities change only while the streaming is live: 400 before, 200 once broadcasting; the same ones are fine")
    func qualitiesWhileLive() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let key = try #require(try await client.send(.POST, "/live_streams", json: #"{"name":"k"}"#).data["id"] as? String)
            let id = try #require(
                try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"s","qualities":["720p"]}"#)
                    .data["id"] as? String)
            let body =
                #"{"title":"s","stream_id":"\#(id)","qualities":[{"resolution":"360p","type":"hls","container_type":"mpegts"}]}"#
            let refused = try await client.send(.PUT, "/live_streams/\(key)/streamings", json: body)
            #expect(refused.status == 400)
            #expect((refused.json["message"] as? String)?.contains("only be updated while live streaming") == true)
            let same = #"{"title":"renamed","stream_id":"\#(id)","qualities":["720p"]}"#
            #expect(try await client.send(.PUT, "/live_streams/\(key)/streamings", json: same).status == 200)
            try await sandbox.broadcast(keyID: key, true)
            #expect(try await client.send(.PUT, "/live_streams/\(key)/streamings", json: body).status == 200)
            let now = try await client.send(.GET, "/live_streams/\(key)/streamings/\(id)")
            #expect(now.data["qualities"] as? [String] == ["360p"] && now.data["title"] as? String == "s")
        }
    }

    @Test("a key's type is set at creation; PUT takes the document's boolean type (changing nothing) and refuses another string")
    func keyType() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let created = try await client.send(.POST, "/live_streams", json: #"{"name":"radio","type":"audio"}"#)
            let id = try #require(created.data["id"] as? String)
            #expect(created.data["type"] as? String == "audio")
            let flag = try await client.send(.PUT, "/live_streams/\(id)", json: #"{"name":"radio 2","type":true}"#)
            #expect(flag.status == 200)
            #expect(flag.data["type"] as? String == "audio" && flag.data["name"] as? String == "radio 2")
            #expect(try await client.send(.PUT, "/live_streams/\(id)", json: #"{"type":"audio"}"#).status == 200)
            let changed = try await client.send(.PUT, "/live_streams/\(id)", json: #"{"type":"video"}"#)
            #expect(changed.status == 400)
            #expect((changed.json["message"] as? String)?.contains("fixed when it is created") == true)
            #expect(try await client.send(.POST, "/live_streams", json: #"{"name":"x","type":"podcast"}"#).status == 400)
            // Create's type is a string (the document); a boolean there is refused.
            #expect(try await client.send(.POST, "/live_streams", json: #"{"name":"x","type":false}"#).status == 400)
        }
    }

    @Test("a streaming's assets.thumbnail_url serves its key's thumbnail, without keys; 404 while the key has none")
    func thumbnailURL() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let key = try #require(try await client.send(.POST, "/live_streams", json: #"{"name":"k"}"#).data["id"] as? String)
            let streaming = try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"s"}"#)
            let url = try #require((streaming.data["assets"] as? [String: Any])?["thumbnail_url"] as? String)
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status.code == 404)
            let image = [0x89, 0x50, 0x4E, 0x47] + TestBytes.make(600)
            let form = MultipartForm.make(fields: [], file: ("file", "cover.png", image[...]))
            let uploaded = try await client.send(
                .POST, "/live_streams/\(key)/thumbnail", body: form.body, headers: [("Content-Type", form.contentType)])
            #expect(uploaded.status == 200)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 200 && response.headers.first(name: "content-type") == "image/png")
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(Array(body.readableBytesView) == image)
        }
    }
}
