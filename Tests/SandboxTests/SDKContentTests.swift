import Foundation
import Sandbox
import SandboxTesting
import Testing

/// The answers AIOZ's Go SDK found wrong in content (docs/aioz-api.md, "AIOZ's Go SDK against the
/// sandbox"), as the SDK sends the requests. Every answer is also checked against AIOZ's documents.
@Suite("content of the answers AIOZ's Go SDK checks")
struct SDKContentTests {
    /// `2026-12-05T21:35:00.123456Z`, the format of every timestamp the sandbox answers.
    static func isTimestamp(_ text: String) -> Bool {
        text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/#) != nil
    }

    @Test("GET /user/me: created_at and updated_at are the account's creation, a timestamp kept across restarts")
    func userCreatedAt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("me-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SandboxConfiguration()
        configuration.dataDirectory = directory
        /// `created_at`, `updated_at`, and whether `deleted_at` is null.
        func read() async throws -> (String?, String?, Bool) {
            try await TestSandbox.with(configuration) { sandbox in
                let me = try await sandbox.api.send(.GET, "/user/me")
                #expect(me.status == 200)
                let user = try #require(me.data["user"] as? [String: Any], "\(me.json)")
                return (user["created_at"] as? String, user["updated_at"] as? String, user["deleted_at"] is NSNull)
            }
        }
        let (created, updated, deletedNull) = try await read()
        let createdAt = try #require(created)
        #expect(Self.isTimestamp(createdAt), "\(createdAt)")
        #expect(updated == createdAt)
        #expect(deletedNull)
        let (again, _, _) = try await read()
        #expect(again == createdAt, "the same after a restart on the same data")
    }

    @Test("PATCH …/captions/{lan} with no body (any Content-Type) makes the caption the default; the form still works")
    func defaultCaptionWithoutBody() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let id = try await ContentCheckTests.videoWithTracks(client, family: "media")
            let vtt = MultipartForm.make(fields: [], file: ("file", "fr.vtt", ContentCheckTests.vtt[...]))
            let fr = try await client.send(
                .POST, "/media/\(id)/captions/fr", body: vtt.body, headers: [("Content-Type", vtt.contentType)])
            #expect(fr.status == 201)
            func defaults() async throws -> [String] {
                let listed = try await client.send(.GET, "/media/\(id)/captions").data["media_captions"] as? [[String: Any]]
                return (listed ?? []).filter { $0["is_default"] as? Bool == true }.compactMap { $0["language"] as? String }
            }
            // As the SDK's SetDefaultCaption sends it: no body, Content-Type application/json.
            let json = try await client.send(.PATCH, "/media/\(id)/captions/fr", headers: [("Content-Type", "application/json")])
            #expect(json.status == 200, "\(json.json)")
            #expect(try await defaults() == ["fr"])
            let bare = try await client.send(.PATCH, "/videos/\(id)/captions/en")
            #expect(bare.status == 200, "\(bare.json)")
            #expect(try await defaults() == ["en"])
            let form = MultipartForm.make(fields: [("is_default", "false")], file: nil)
            let unset = try await client.send(
                .PATCH, "/media/\(id)/captions/en", body: form.body, headers: [("Content-Type", form.contentType)])
            #expect(unset.status == 200, "\(unset.json)")
            #expect(try await defaults() == [])
            let text = try await client.send(
                .PATCH, "/media/\(id)/captions/en", json: #"{"is_default": true}"#)
            #expect(text.status == 400, "a body that is not a form is still refused: \(text.json)")
        }
    }

    @Test("GET /{media,videos}/{id}/player.json: the media object itself, without keys, with its player theme")
    func mediaPlayerInfo() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let id = try await ContentCheckTests.videoWithTracks(client, family: "media")
            for family in ["media", "videos"] {
                let info = try await client.send(.GET, "/\(family)/\(id)/player.json", auth: .none)
                #expect(info.status == 200, "\(family): \(info.json)")
                #expect(info.json["id"] as? String == id && info.json["title"] as? String == "with tracks", "\(info.json)")
                #expect((info.json["captions"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["en"])
                #expect((info.json["chapters"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["en"])
                #expect(((info.json["assets"] as? [String: Any])?["hls_url"] as? String)?.isEmpty == false)
                #expect(info.json["player_theme"] is NSNull)
            }
            let player = try await client.send(.POST, "/players", json: #"{"name":"Dark"}"#)
            let playerID = try #require((player.data["player_theme"] as? [String: Any])?["id"] as? String)
            let assigned = try await client.send(
                .POST, "/players/add-player", json: #"{"player_theme_id":"\#(playerID)","media_id":"\#(id)"}"#)
            #expect(assigned.status == 200, "\(assigned.json)")
            let themed = try await client.send(.GET, "/media/\(id)/player.json", auth: .none)
            #expect((themed.json["player_theme"] as? [String: Any])?["id"] as? String == playerID, "\(themed.json)")
            let unknown = try await client.send(.GET, "/media/\(UUID().uuidString.lowercased())/player.json", auth: .none)
            #expect(unknown.status == 404)
        }
    }

    @Test("GET /playlists/{id}: items' media show their captions and chapters; search, sort_by and order_by apply")
    func playlistItems() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let tracked = try await ContentCheckTests.videoWithTracks(client, family: "media")
            _ = try await client.send(.PATCH, "/media/\(tracked)", json: #"{"title":"Beta two"}"#)
            let created = try await client.send(.POST, "/playlists/create", json: #"{"name":"Query"}"#)
            let playlist = try #require((created.data["playlist"] as? [String: Any])?["id"] as? String)
            var ids: [String] = []
            for title in ["alpha three", "Alpha one"] {
                let made = try await client.send(.POST, "/media/create", json: #"{"title":"\#(title)"}"#)
                ids.append(try #require(made.data["id"] as? String))
            }
            for id in [ids[0], tracked, ids[1]] {
                let added = try await client.send(.POST, "/playlists/\(playlist)/items", json: #"{"media_id":"\#(id)"}"#)
                #expect(added.status == 200, "\(added.json)")
            }
            func items(_ query: String = "") async throws -> [[String: Any]] {
                let read = try await client.send(.GET, "/playlists/\(playlist)\(query)")
                #expect(read.status == 200, "\(query): \(read.json)")
                return (read.data["playlist"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
            }
            func titles(_ query: String = "") async throws -> [String] {
                try await items(query).compactMap { ($0["media"] as? [String: Any])?["title"] as? String }
            }
            let all = try await items()
            let media = try #require(all.dropFirst().first?["media"] as? [String: Any])
            #expect((media["captions"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["en"], "\(media)")
            #expect((media["chapters"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["en"], "\(media)")
            #expect((all.first?["media"] as? [String: Any])?["captions"] is NSNull)
            #expect(try await titles() == ["alpha three", "Beta two", "Alpha one"])
            #expect(try await titles("?search=ALPHA") == ["alpha three", "Alpha one"])
            #expect(try await titles("?search=alpha+one&sort_by=created_at&order_by=asc") == ["Alpha one"])
            #expect(try await titles("?search=alpha%20three") == ["alpha three"])
            #expect(try await titles("?sort_by=created_at&order_by=desc") == ["Alpha one", "Beta two", "alpha three"])
            #expect(try await titles("?sort_by=title") == ["Alpha one", "Beta two", "alpha three"])
            #expect(try await titles("?order_by=desc") == ["Alpha one", "Beta two", "alpha three"])
            let read = try await client.send(.GET, "/playlists/\(playlist)?search=alpha")
            #expect((read.data["playlist"] as? [String: Any])?["item_count"] as? Int == 3, "the playlist's own count")
            #expect(try await client.send(.GET, "/playlists/\(playlist)?sort_by=size").status == 400)
            #expect(try await client.send(.GET, "/playlists/\(playlist)?order_by=up").status == 400)
        }
    }

    @Test("GET /live_streams?type=audio lists the audio keys only; type=video the video ones; no type every key")
    func liveKeyTypeFilter() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            for (name, type) in [("v1", "video"), ("a1", "audio"), ("v2", "video")] {
                let made = try await client.send(.POST, "/live_streams", json: #"{"name":"\#(name)","type":"\#(type)"}"#)
                #expect(made.status == 200, "\(made.json)")
            }
            func names(_ query: String) async throws -> ([String], Int?) {
                let page = try await client.send(.GET, "/live_streams\(query)").data
                let keys = page["live_stream_keys"] as? [[String: Any]] ?? []
                return (keys.compactMap { $0["name"] as? String }, page["total"] as? Int)
            }
            #expect(try await names("?type=audio") == (["a1"], 1))
            #expect(try await names("?type=video") == (["v1", "v2"], 2))
            #expect(try await names("") == (["v1", "a1", "v2"], 3))
            #expect(try await client.send(.GET, "/live_streams?type=film").status == 400)
        }
    }

    @Test("GET /players, /live_streams and /webhooks read + in the query as a space, as Go does (search=late+night)")
    func plusIsSpace() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            for name in ["Late night", "Early morning"] {
                let player = try await client.send(.POST, "/players", json: #"{"name":"\#(name)"}"#)
                #expect(player.status == 201, "\(player.json)")
                let key = try await client.send(.POST, "/live_streams", json: #"{"name":"\#(name)"}"#)
                #expect(key.status == 200, "\(key.json)")
            }
            func names(_ path: String, _ key: String) async throws -> [String] {
                let page = try await client.send(.GET, path).data
                return (page[key] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            #expect(try await names("/players?search=late+night", "player_themes") == ["Late night"])
            #expect(try await names("/players?search=late%20night", "player_themes") == ["Late night"])
            #expect(try await names("/live_streams?search=early+morning", "live_stream_keys") == ["Early morning"])
            // A literal plus is sent as %2B: no name has one.
            #expect(try await names("/players?search=late%2Bnight", "player_themes") == [])
            let hooks = try await client.send(.GET, "/webhooks?search=late+night&sort_by=name")
            #expect(hooks.status == 200, "\(hooks.json)")
        }
    }
}
