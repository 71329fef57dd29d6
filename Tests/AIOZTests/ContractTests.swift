import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import Synchronization
import TestSupport
import Testing

/// The OpenAPI contract check (scripts/check-contract.py over docs/openapi/) itself: real traffic of
/// both generations passes, and the same traffic with one field's type changed fails, naming it.
/// (Every test that uses `TestSandbox`, and every CLI run with `--sandbox`, is checked the same way.)
@Suite("the client and the sandbox follow AIOZ's OpenAPI documents")
struct ContractTests {
    /// Records a short session of `generation`: create, list, get, update, upload, complete, cost, a key.
    static func record(_ generation: APIGeneration) async throws -> [RecordedExchange] {
        let exchanges = Mutex<[RecordedExchange]>([])
        var configuration = SandboxConfiguration()
        configuration.recorder = ExchangeRecorder { exchange in exchanges.withLock { $0.append(exchange) } }
        try await TestSandbox.with(configuration, minimumPartSize: 1024) { sandbox in
            var settings = sandbox.client.configuration
            settings.generation = generation
            let client = sandbox.client.with(settings)
            let video = try await client.createVideo(
                VideoCreateRequest(title: "contract", description: "d", isPublic: false, tags: ["a"]))
            _ = try await client.listVideos(VideoListQuery(limit: 5))
            _ = try await client.getVideo(id: video.id)
            try await client.updateVideo(id: video.id, VideoUpdateRequest(title: "contract 2"))
            let file = try TestMedia.temporaryFile(size: 3000)
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await client.uploadPart(videoID: video.id, file: file, range: 0...2999, index: 0, total: 3000)
            try await client.completeVideo(id: video.id)
            _ = try await client.cost(qualities: ["360p", "720p"], duration: 60)
            let key = try await client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: "contract key"))
            _ = try await client.createStreaming(
                liveStreamKeyID: key.id, StreamingCreateRequest(title: "show", save: true, qualities: ["720p"]))
            _ = try await client.listStreamings(liveStreamKeyID: key.id)
            _ = try await client.listSavedRecordings(liveStreamKeyID: key.id)
        }
        return exchanges.withLock { $0 }
    }

    static func lines(_ exchanges: [RecordedExchange]) throws -> [Data] {
        try exchanges.map { try JSONEncoder().encode($0) }
    }

    /// `exchange` with its response's JSON changed by `change`.
    static func changingAnswer(_ exchange: RecordedExchange, _ change: (inout [String: Any]) -> Void) throws -> RecordedExchange {
        let body = try #require(exchange.responseBody.flatMap { Data(base64Encoded: $0) })
        var json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        change(&json)
        var changed = exchange
        changed.responseBody = try JSONSerialization.data(withJSONObject: json).base64EncodedString()
        return changed
    }

    @Test("a session of each generation passes the check", arguments: APIGeneration.allCases)
    func sessionPasses(generation: APIGeneration) async throws {
        let exchanges = try await Self.record(generation)
        let family = "/api/\(generation.rawValue)/"
        #expect(exchanges.filter { $0.path.hasPrefix(family) }.count >= 6)
        #expect(exchanges.allSatisfy { $0.userAgent == "streamplan" })
        #expect(try await ContractChecker.shared.violations(of: Self.lines(exchanges)) == [])
    }

    @Test("the 2026 fields: a media's type round-trips (video by default, audio when asked), other types are 400")
    func mediaTypes() async throws {
        try await TestSandbox.with { sandbox in
            let audio = try await sandbox.api.send(.POST, "/media/create", json: #"{"title":"a podcast","type":"audio"}"#)
            #expect(audio.status == 200)
            #expect(audio.data["type"] as? String == "audio")
            #expect(audio.data["view"] as? Int == 0)
            #expect(audio.data.keys.contains("captions"))
            let id = try #require(audio.data["id"] as? String)
            #expect(try await sandbox.api.send(.GET, "/videos/\(id)").data["type"] as? String == "audio")
            let plain = try await sandbox.api.send(.POST, "/videos/create", json: #"{"title":"a video"}"#)
            #expect(plain.data["type"] as? String == "video")
            let wrong = try await sandbox.api.send(.POST, "/media/create", json: #"{"title":"x","type":"podcast"}"#)
            #expect(wrong.status == 400)
            #expect(wrong.message.contains("type must be video or audio"))
            let key = try await sandbox.api.send(.POST, "/live_streams", json: #"{"name":"radio","type":"audio"}"#)
            #expect(key.data["type"] as? String == "audio")
            // The 2026 list names its items `media`; the 2025 one `videos`.
            let listed = try await sandbox.api.send(.POST, "/media", json: "{}")
            #expect((listed.data["media"] as? [Any])?.count == 2)
            #expect(listed.data["videos"] == nil)
            #expect((try await sandbox.api.send(.POST, "/videos", json: "{}").data["videos"] as? [Any])?.count == 2)
        }
    }

    @Test("a field of another type in an answer or a request fails the check, naming the field")
    func changedTypesFail() async throws {
        let exchanges = try await Self.record(.media)
        let get = try #require(
            exchanges.first {
                $0.method == "GET" && $0.path.hasPrefix("/api/media/") && $0.status == 200 && !$0.path.hasSuffix("/complete")
                    && !$0.path.hasSuffix("/cost")
            })
        let list = try #require(exchanges.first { $0.method == "POST" && $0.path == "/api/media" })
        let cost = try #require(exchanges.first { $0.path == "/api/media/cost" })
        let create = try #require(exchanges.first { $0.path == "/api/media/create" })

        let sizeAsText = try Self.changingAnswer(get) { json in
            var data = json["data"] as? [String: Any] ?? [:]
            data["size"] = "3000"
            json["data"] = data
        }
        let totalAsText = try Self.changingAnswer(list) { json in
            var data = json["data"] as? [String: Any] ?? [:]
            data["total"] = "1"
            json["data"] = data
        }
        let priceAsText = try Self.changingAnswer(cost) { json in
            var data = json["data"] as? [String: Any] ?? [:]
            data["price"] = "0.01"
            json["data"] = data
        }
        let itemsRenamed = try Self.changingAnswer(list) { json in
            var data = json["data"] as? [String: Any] ?? [:]
            data["videos"] = data.removeValue(forKey: "media")
            json["data"] = data
        }
        var publicAsText = create
        let request = try #require(create.requestBody.flatMap { Data(base64Encoded: $0) })
        var body = try #require(try JSONSerialization.jsonObject(with: request) as? [String: Any])
        body["is_public"] = "no"
        publicAsText.requestBody = try JSONSerialization.data(withJSONObject: body).base64EncodedString()

        for (changed, field) in [
            (sizeAsText, "data/size"), (totalAsText, "data/total"), (priceAsText, "data/price"),
            (itemsRenamed, "'media' is a required property"), (publicAsText, "is_public"),
        ] {
            let violations = try await ContractChecker.shared.violations(of: Self.lines([changed]))
            #expect(violations.count == 1, "\(field): \(violations)")
            #expect(violations.first?.contains(field) == true, "\(field): \(violations)")
        }

        // A request someone else sent (tests send malformed ones on purpose) is not held to the document.
        var foreign = publicAsText
        foreign.userAgent = "curl/8"
        #expect(try await ContractChecker.shared.violations(of: Self.lines([foreign])) == [])
    }
}
