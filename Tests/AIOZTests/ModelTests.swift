import Foundation
import Testing

@testable import AIOZ

@Suite("Models")
struct ModelTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    func encode(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("null collections decode as empty and snake_case fields map to Swift names")
    func videoWithNulls() throws {
        let video = try decode(
            Video.self,
            """
            {"id":"v1","user_id":"u","title":"t","description":"","metadata":null,"tags":null,
             "qualities":[{"name":"360p","status":"done","type":"hls"}],"subtitles":null,"duration":283.49,
             "size":63109470,"is_public":false,"status":"done","player_theme_id":"",
             "assets":{"source_url":"https://x/api/videos/v1/source","hls_player_url":"p"},
             "created_at":"2024-11-11T11:11:11.111111Z"}
            """)
        #expect(video.metadata.isEmpty && video.tags.isEmpty)
        #expect(video.qualities.first?.name == "360p")
        #expect(video.status == .done && !video.isPublic && video.size == 63_109_470)
        #expect(video.assets?.sourceURL == "https://x/api/videos/v1/source")
        #expect(video.assets?.hlsPlayerURL == "p")
    }

    @Test("a video with only an id still decodes")
    func minimalVideo() throws {
        let video = try decode(Video.self, #"{"id":"v1"}"#)
        #expect(video.title == "" && video.qualities.isEmpty && video.assets == nil)
    }

    @Test(
        "cost price is accepted as a string or a number",
        arguments: [
            (#"{"price":"1.23","is_enough":true}"#, "1.23"), (#"{"price":1.23,"is_enough":true}"#, "1.23"),
            (#"{"price":5,"is_enough":false}"#, "5"),
        ])
    func cost(json: String, price: String) throws {
        #expect(try decode(Cost.self, json).price == price)
    }

    @Test("a video list always sends order_by and omits empty filters")
    func listQuery() throws {
        let body = try encode(VideoListQuery(search: "", tags: []))
        #expect(body["order_by"] as? String == "asc")
        #expect(body["sort_by"] as? String == "created_at")
        #expect(body["search"] == nil && body["tags"] == nil && body["status"] == nil)
        let filtered = try encode(VideoListQuery(search: "cats", status: .done))
        #expect(filtered["search"] as? String == "cats" && filtered["status"] as? String == "done")
    }

    @Test("saved recording filters are sent only when they have a value")
    func savedRecordingQuery() throws {
        let body = try encode(SavedRecordingQuery(search: "", status: nil, videoStatus: "done"))
        #expect(body["search"] == nil && body["status"] == nil)
        #expect(body["video_status"] as? String == "done")
    }

    @Test("create and update requests use API names and omit unset fields")
    func requests() throws {
        let create = try encode(
            VideoCreateRequest(
                title: "t", isPublic: false,
                qualities: [
                    QualityRequest(
                        resolution: "720p", type: "hls", containerType: "mpegts",
                        audioConfig: .init(codec: "aac", channels: "2", sampleRate: 48000))
                ]
            ))
        #expect(create["is_public"] as? Bool == false && create["description"] == nil)
        let quality = try #require((create["qualities"] as? [[String: Any]])?.first)
        #expect(quality["container_type"] as? String == "mpegts")
        #expect((quality["audio_config"] as? [String: Any])?["sample_rate"] as? Int == 48000)
        let update = try encode(VideoUpdateRequest(tags: []))
        #expect(update.count == 1 && (update["tags"] as? [String]) == [])
    }

    @Test("live stream pages and streamings decode with null lists")
    func liveStreams() throws {
        let page = try decode(LiveStreamKeyPage.self, #"{"live_stream_keys":null,"total":0}"#)
        #expect(page.liveStreamKeys.isEmpty)
        let streamings = try decode(
            StreamingPage.self,
            """
            {"videos":[{"id":"s1","live_stream_key_id":"k1","title":"t","save":true,"status":"created","qualities":null,
              "duration":8322,"assets":{"hls_url":"h","player_url":"p"},"video":{"id":"v1","tags":null}}],"total":1}
            """)
        #expect(streamings.streamings.first?.liveStreamKeyID == "k1")
        #expect(streamings.streamings.first?.video?.id == "v1")
        #expect(streamings.streamings.first?.duration == 8322)
    }
}

@Suite("Errors")
struct ErrorTests {
    @Test("a 401 tells the user to check STREAM_PUBLIC_KEY")
    func unauthorized() {
        let error = AIOZError(code: AIOZError.code(forStatus: 401), httpStatus: 401, operation: "get", resource: "video v1")
        #expect(error.description.contains("check STREAM_PUBLIC_KEY / STREAM_SECRET_KEY"))
    }

    @Test("a 404 names the resource")
    func notFound() {
        let error = AIOZError(
            code: AIOZError.code(forStatus: 404), httpStatus: 404, serverMessage: "video not found", operation: "get",
            resource: "video v1")
        #expect(error.description.contains("video v1"))
        #expect(error.description.contains("video not found"))
    }

    @Test(
        "status codes map to error codes",
        arguments: [
            (400, AIOZError.Code.badRequest), (401, .unauthorized), (403, .forbidden), (404, .notFound),
            (429, .rateLimited), (500, .server), (503, .server), (418, .unexpectedStatus),
        ])
    func mapping(status: Int, code: AIOZError.Code) {
        #expect(AIOZError.code(forStatus: status) == code)
    }

    @Test("the error envelope's message is extracted")
    func envelope() {
        #expect(AIOZClient.errorMessage(in: .init(string: #"{"status":"error","message":"bad title"}"#)) == "bad title")
    }

    @Test("a streaming's recording decodes under `video` (2025) or `media` (2026)")
    func mediaOrVideo() throws {
        for name in ["video", "media"] {
            let json = #"{"id":"s1","title":"t","save":true,"NAME":{"id":"v1","title":"rec","status":"done"}}"#
                .replacingOccurrences(of: "NAME", with: name)
            let streaming = try JSONDecoder().decode(Streaming.self, from: Data(json.utf8))
            #expect(streaming.video?.id == "v1", "\(name)")
        }
    }
}
