import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Live stream keys, streamings and saved recordings", .gated)
struct LiveStreamTests {
    @Test("a key's thumbnail (2026 spec): upload a .png, read it back, refuse a .gif, delete it, 404 once gone")
    func keyThumbnail() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let created = try await client.send(.POST, "/live_streams", json: #"{"name":"studio"}"#)
            let id = try #require(created.data["id"] as? String)
            let image = TestBytes.make(1500)
            let form = MultipartForm.make(fields: [], file: ("file", "cover.png", image[...]))
            let uploaded = try await client.send(
                .POST, "/live_streams/\(id)/thumbnail", body: form.body, headers: [("Content-Type", form.contentType)])
            #expect(uploaded.status == 200)
            #expect(try await client.send(.GET, "/_sandbox/live_streams/\(id)/thumbnail").bytes == image)
            let gif = MultipartForm.make(fields: [], file: ("file", "cover.gif", image[...]))
            let refused = try await client.send(
                .POST, "/live_streams/\(id)/thumbnail", body: gif.body, headers: [("Content-Type", gif.contentType)])
            #expect(refused.status == 400)
            #expect(try await client.send(.DELETE, "/live_streams/\(id)/thumbnail").status == 200)
            #expect(try await client.send(.GET, "/_sandbox/live_streams/\(id)/thumbnail").status == 404)
            #expect(try await client.send(.DELETE, "/live_streams/\(id)/thumbnail").status == 404)
        }
    }

    @Test("keys: create, get, list, update, delete; stream_key and rtmp_url are generated")
    func keys() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let created = try await client.send(.POST, "/live_streams", json: #"{"name":"studio","save":true}"#)
            #expect(created.status == 200)
            let id = try #require(created.data["id"] as? String)
            let streamKey = try #require(created.data["stream_key"] as? String)
            #expect(!streamKey.isEmpty)
            #expect((created.data["rtmp_url"] as? String)?.hasPrefix("rtmp://") == true)
            #expect(created.data["save"] as? Bool == true)
            _ = try await client.send(.POST, "/live_streams", json: #"{"name":"annex"}"#)
            #expect(try await client.send(.GET, "/live_streams/\(id)").data["name"] as? String == "studio")
            let list = try await client.send(.GET, "/live_streams?sort_by=name&order_by=asc&offset=0&limit=10")
            let names = (list.data["live_stream_keys"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["annex", "studio"])
            #expect(list.data["total"] as? Int == 2)
            let searched = try await client.send(.GET, "/live_streams?search=stu&order_by=asc")
            #expect(searched.data["total"] as? Int == 1)
            let updated = try await client.send(.PUT, "/live_streams/\(id)", json: #"{"name":"main"}"#)
            #expect(updated.data["name"] as? String == "main")
            #expect(updated.data["save"] as? Bool == true)
            #expect(updated.data["stream_key"] as? String == streamKey)
            #expect(try await client.send(.DELETE, "/live_streams/\(id)").status == 200)
            #expect(try await client.send(.GET, "/live_streams/\(id)").status == 404)
        }
    }

    @Test(
        "key errors: no name, bad paging, malformed and unknown ids",
        arguments: [
            ("POST", "/live_streams", "{}"), ("GET", "/live_streams?limit=0", ""), ("GET", "/live_streams?sort_by=size", ""),
            ("GET", "/live_streams?order_by=sideways", ""), ("GET", "/live_streams/xyz", ""),
        ])
    func keyErrors(method: String, path: String, body: String) async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(method == "POST" ? .POST : .GET, path, json: body.isEmpty ? nil : body)
            #expect(result.status == 400, "\(method) \(path)")
            #expect(try await client.send(.GET, "/live_streams/00000000-0000-0000-0000-000000000000").status == 404)
        }
    }

    @Test("streamings: create, list, get, update, delete under a key")
    func streamings() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let key = try #require(try await client.send(.POST, "/live_streams", json: #"{"name":"k"}"#).data["id"] as? String)
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings").data["videos"] is NSNull)
            let created = try await client.send(
                .POST, "/live_streams/\(key)/streamings",
                json: #"{"title":"live_streaming_title","save":true,"qualities":["360p","720p","1080p"]}"#)
            #expect(created.status == 200)
            #expect(created.data["status"] as? String == "created")
            #expect(created.data["live_stream_key_id"] as? String == key)
            #expect(created.data["qualities"] as? [String] == ["360p", "720p", "1080p"])
            let stream = try #require(created.data["id"] as? String)
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings").data["total"] as? Int == 1)
            #expect(
                try await client.send(.PUT, "/live_streams/\(key)/streamings", json: #"{"title":"test","save":false}"#).status
                    == 200)
            let fetched = try await client.send(.GET, "/live_streams/\(key)/streamings/\(stream)").data
            #expect(fetched["title"] as? String == "test")
            #expect(fetched["save"] as? Bool == false)
            #expect(try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"save":true}"#).status == 400)
            #expect(
                try await client.send(.POST, "/live_streams/\(key)/streamings", json: #"{"title":"x","qualities":["999p"]}"#)
                    .status == 400)
            let deleted = try await client.send(.DELETE, "/live_streams/\(key)/streamings/\(stream)")
            #expect(deleted.message == "Delete streaming success")
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings/\(stream)").status == 404)
        }
    }

    @Test("broadcasting (admin) moves a streaming to streaming; stopping a saved one records a video")
    func broadcastingAndRecordings() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let key = try #require(
                try await client.send(.POST, "/live_streams", json: #"{"name":"k","save":true}"#).data["id"] as? String)
            let stream = try #require(
                try await client.send(
                    .POST, "/live_streams/\(key)/streamings",
                    json: #"{"title":"show","save":true}"#
                ).data["id"] as? String)
            #expect(
                try await client.send(.POST, "/_sandbox/live_streams/\(key)/broadcasting", json: #"{"broadcasting":true}"#).status
                    == 200)
            #expect(
                try await client.send(.GET, "/live_streams/\(key)/streamings/\(stream)").data["status"] as? String == "streaming")
            let none = try await client.send(.POST, "/live_streams/\(key)/videos", json: #"{"order_by":"asc"}"#)
            #expect(none.data["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/live_streams/\(key)/videos").status == 404)
            _ = try await client.send(.POST, "/_sandbox/live_streams/\(key)/broadcasting", json: #"{"broadcasting":false}"#)
            #expect(try await client.send(.GET, "/live_streams/\(key)/streamings/\(stream)").data["status"] as? String == "ended")
            let saved = try await client.send(
                .POST, "/live_streams/\(key)/videos", json: #"{"sort_by":"created_at","order_by":"asc","offset":0,"limit":10}"#)
            #expect(saved.data["total"] as? Int == 1)
            let first = (saved.data["videos"] as? [[String: Any]])?.first ?? [:]
            let video = first["video"] as? [String: Any] ?? [:]
            #expect((video["metadata"] as? [[String: String]])?.first?["key"] == "live_stream_id")
            // The 2026 spec's name for the same recording.
            #expect((first["media"] as? [String: Any])?["id"] as? String == video["id"] as? String)
            let detail = try await client.send(.GET, "/live_streams/\(key)/videos")
            #expect(detail.status == 200)
            #expect(detail.data["id"] as? String == first["id"] as? String)
            #expect(detail.data["title"] as? String == "show")
            // The singular path of the newer specs and AIOZ's SDK gives the same answer.
            let singular = try await client.send(.GET, "/live_streams/\(key)/video")
            #expect(singular.status == 200 && singular.data["id"] as? String == first["id"] as? String)
            #expect(try await client.send(.POST, "/live_streams/\(key)/videos", json: #"{"search":""}"#).status == 400)
            #expect(try await client.send(.POST, "/live_streams/\(key)/videos", json: #"{"limit":101}"#).status == 400)
        }
    }

    @Test("streaming qualities are accepted as strings (the streaming reference) or as objects (AIOZ's SDK)")
    func objectQualities() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let key = try #require(try await client.send(.POST, "/live_streams", json: #"{"name":"k"}"#).data["id"] as? String)
            let objects = try await client.send(
                .POST, "/live_streams/\(key)/streamings",
                json:
                    #"{"title":"sdk","qualities":[{"resolution":"720p","type":"hls","container_type":"mpegts"},{"resolution":"360p"}]}"#
            )
            #expect(objects.status == 200, "\(objects.json)")
            #expect(Set(objects.data["qualities"] as? [String] ?? []) == ["720p", "360p"])
            let strings = try await client.send(
                .POST, "/live_streams/\(key)/streamings", json: #"{"title":"doc","qualities":["720p"]}"#)
            #expect(strings.data["qualities"] as? [String] == ["720p"])
            let bad = try await client.send(
                .POST, "/live_streams/\(key)/streamings", json: #"{"title":"x","qualities":[{"type":"hls"}]}"#)
            #expect(bad.status == 400)
        }
    }
}
