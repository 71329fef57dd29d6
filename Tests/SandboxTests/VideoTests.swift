import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Videos: create, get, list, update, delete", .gated)
struct VideoTests {
    @Test("create returns 200 (as the specs document) with the Video, null for empty collections and default qualities")
    func create() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.POST, "/videos/create", json: #"{"title":"My Video"}"#)
            #expect(result.status == 200)
            #expect(result.envelopeStatus == "success")
            let data = result.data
            #expect(data["title"] as? String == "My Video")
            #expect(data["status"] as? String == "new")
            #expect(data["is_public"] as? Bool == true)
            #expect(data["tags"] is NSNull)
            #expect(data["metadata"] is NSNull)
            let qualities = data["qualities"] as? [[String: Any]] ?? []
            #expect(qualities.compactMap { $0["name"] as? String } == ["360p", "720p", "1080p"])
            let created = data["created_at"] as? String ?? ""
            #expect(created.count == 27 && created.hasSuffix("Z"))
        }
    }

    @Test("the seed's custom create body is accepted and read back", arguments: [SeedBodies.custom])
    func customCreate(body: String) async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.POST, "/videos/create", json: body)
            #expect(result.status == 200)
            #expect(result.data["tags"] as? [String] == ["tag1", "tag2"])
            let quality = (result.data["qualities"] as? [[String: Any]])?.first ?? [:]
            #expect(quality["name"] as? String == "1080p")
            #expect(quality["video_bitrate"] as? Int == 5_000_000)
        }
    }

    @Test("a 144p rung is accepted on create (the 2026 document allows it), and 700001 bps at 144p is not")
    func lowestRung() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let rung =
                #"{"resolution":"144p","type":"hls","container_type":"mpegts","video_config":{"codec":"h264","bitrate":BPS}}"#
            let ok = try await client.send(
                .POST, "/videos/create",
                json: #"{"title":"t","qualities":["# + rung.replacingOccurrences(of: "BPS", with: "200000") + "]}")
            #expect(ok.status == 200)
            #expect((ok.data["qualities"] as? [[String: Any]])?.first?["name"] as? String == "144p")
            let over = try await client.send(
                .POST, "/videos/create",
                json: #"{"title":"t","qualities":["# + rung.replacingOccurrences(of: "BPS", with: "700001") + "]}")
            #expect(over.status == 400)
        }
    }

    @Test("create validation errors are 400", arguments: SeedBodies.invalidCreates)
    func invalidCreate(body: String) async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.POST, "/videos/create", json: body)
            #expect(result.status == 400, "\(body.prefix(80))")
            #expect(result.envelopeStatus == "error")
        }
    }

    @Test("a malformed id is 400 and an unknown id 404")
    func ids() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            #expect(try await client.send(.GET, "/videos/not-a-uuid").status == 400)
            #expect(try await client.send(.GET, "/videos/00000000-0000-0000-0000-000000000000").status == 404)
            #expect(try await client.send(.PATCH, "/videos/00000000-0000-0000-0000-000000000000", json: "{}").status == 404)
        }
    }

    @Test("patch changes only given fields; an empty tags array clears them to null")
    func patch() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let id = try await client.createVideo(#"{"title":"a","description":"d","tags":["x"]}"#)
            let patched = try await client.send(
                .PATCH, "/videos/\(id)", json: #"{"title":"b","metadata":[{"key":"k","value":"v"}]}"#)
            #expect(patched.status == 200)
            #expect(patched.message == "Update video info successfully.")
            var video = try await client.send(.GET, "/videos/\(id)").data
            #expect(video["title"] as? String == "b")
            #expect(video["description"] as? String == "d")
            #expect(video["tags"] as? [String] == ["x"])
            #expect((video["metadata"] as? [[String: String]]) == [["key": "k", "value": "v"]])
            _ = try await client.send(.PATCH, "/videos/\(id)", json: #"{"tags":[],"player_id":"p1"}"#)
            video = try await client.send(.GET, "/videos/\(id)").data
            #expect(video["tags"] is NSNull)
            #expect(video["player_theme_id"] as? String == "p1")
            #expect(try await client.send(.PATCH, "/videos/\(id)", json: #"{"title":""}"#).status == 400)
        }
    }

    @Test("delete removes the video: get is 404 afterwards")
    func delete() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let id = try await client.createVideo()
            let deleted = try await client.send(.DELETE, "/videos/\(id)")
            #expect(deleted.status == 200)
            #expect(deleted.message == "Delete video successfully.")
            #expect(try await client.send(.GET, "/videos/\(id)").status == 404)
        }
    }

    @Test("list pages, sorts and filters by search, tags and metadata")
    func list() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let empty = try await client.send(.POST, "/videos", json: #"{"order_by":"desc"}"#)
            #expect(empty.data["videos"] is NSNull)
            #expect(empty.data["total"] as? Int == 0)
            _ = try await client.createVideo(#"{"title":"banana","tags":["fruit"],"metadata":[{"key":"owner","value":"me"}]}"#)
            _ = try await client.createVideo(#"{"title":"apple","tags":["fruit","red"]}"#)
            _ = try await client.createVideo(#"{"title":"carrot","description":"an orange vegetable"}"#)
            func titles(_ body: String) async throws -> [String] {
                let result = try await client.send(.POST, "/videos", json: body)
                #expect(result.status == 200, "\(body)")
                return (result.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            }
            #expect(try await titles(#"{"sort_by":"title","order_by":"asc"}"#) == ["apple", "banana", "carrot"])
            #expect(try await titles(#"{"sort_by":"created_at","order_by":"desc"}"#) == ["carrot", "apple", "banana"])
            #expect(try await titles(#"{"sort_by":"title","order_by":"asc","offset":1,"limit":1}"#) == ["banana"])
            #expect(try await titles(#"{"search":"ORANGE","order_by":"asc"}"#) == ["carrot"])
            #expect(try await titles(#"{"tags":["fruit","red"],"order_by":"asc"}"#) == ["apple"])
            #expect(try await titles(#"{"metadata":[{"key":"owner","value":"me"}],"order_by":"asc"}"#) == ["banana"])
            #expect(try await titles(#"{"metadata":{"owner":"me"},"order_by":"asc"}"#) == ["banana"])
            #expect(try await titles(#"{"status":"new","sort_by":"title","order_by":"asc"}"#).count == 3)
            #expect(try await titles(#"{"status":"done","order_by":"asc"}"#).isEmpty)
            let page = try await client.send(.POST, "/videos", json: #"{"limit":1,"order_by":"asc"}"#)
            #expect(page.data["total"] as? Int == 3)
        }
    }

    @Test(
        "list rejects bad paging and filters",
        arguments: [
            #"{"limit":0}"#, #"{"limit":101}"#, #"{"offset":-1}"#, #"{"order_by":"up"}"#,
            #"{"sort_by":"views"}"#, #"{"status":"gone"}"#, #"{"status":""}"#, #"{"limit":"ten"}"#,
        ])
    func listErrors(body: String) async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            #expect(try await client.send(.POST, "/videos", json: body).status == 400)
        }
    }
}

enum SeedBodies {
    static let custom = #"""
        {"title":"VIDEO_TITLE","description":"DESCRIPTION","is_public":true,"tags":["tag1","tag2"],
         "metadata":[{"key":"KEY","value":"VALUE"}],
         "qualities":[{"resolution":"1080p","type":"hls","container_type":"mpegts",
           "video_config":{"codec":"h264","bitrate":5000000,"index":0},
           "audio_config":{"codec":"aac","bitrate":192000,"channels":"2","sample_rate":48000,"language":"en","index":0}},
          {"resolution":"audio","type":"dash","container_type":"fmp4",
           "audio_config":{"codec":"aac","bitrate":192000,"channels":"2","sample_rate":48000,"language":"en","index":0}}]}
        """#

    static let invalidCreates: [String] = [
        "{}",
        #"{"title":""}"#,
        "{\"title\":\"\(String(repeating: "t", count: 256))\"}",
        "{\"title\":\"t\",\"description\":\"\(String(repeating: "d", count: 1001))\"}",
        "{\"title\":\"t\",\"tags\":[\(Array(repeating: "\"x\"", count: 51).joined(separator: ","))]}",
        "{\"title\":\"t\",\"tags\":[\"\(String(repeating: "x", count: 256))\"]}",
        "{\"title\":\"t\",\"metadata\":[\(Array(repeating: #"{"key":"k","value":"v"}"#, count: 51).joined(separator: ","))]}",
        #"{"title":"t","qualities":[]}"#,
        #"{"title":"t","qualities":[{"resolution":"999p","type":"hls","container_type":"mpegts"}]}"#,
        #"{"title":"t","qualities":[{"resolution":"720p","type":"hls","container_type":"fmp4"}]}"#,
        #"{"title":"t","qualities":[{"resolution":"720p","type":"rtmp","container_type":"mpegts"}]}"#,
        #"{"title":"t","qualities":[{"resolution":"720p","type":"hls","container_type":"mpegts","video_config":{"codec":"h264","bitrate":4000001}}]}"#,
        #"{"title":"t","qualities":[{"resolution":"4320p","type":"hls","container_type":"mp4","video_config":{"codec":"h264","bitrate":1000}}]}"#,
        #"{"title":"t","qualities":[{"resolution":"720p","type":"hls","container_type":"mpegts","video_config":{"codec":"vp9"}}]}"#,
        #"{"title":"t","qualities":[{"resolution":"audio","type":"hls","container_type":"mpegts","audio_config":{"codec":"aac","sample_rate":12345}}]}"#,
        #"{"title":"t","qualities":[{"resolution":"audio","type":"hls","container_type":"mpegts","audio_config":{"codec":"mp3"}}]}"#,
        #"{"title":"t","qualities":[{"resolution":"audio","type":"hls","container_type":"mpegts","audio_config":{"codec":"aac","channels":"6"}}]}"#,
        #"{"title":5}"#,
        "not json",
    ]
}
