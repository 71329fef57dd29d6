import Foundation
import Sandbox
import SandboxTesting
import Testing

/// What AIOZ's Go SDK checks of the answers' content (issue 24): every link the API gives out is
/// served, without keys, at the URL given; a video read shows what was uploaded to it. Every answer
/// is also checked against AIOZ's documents (`TestSandbox`).
@Suite("content the API's answers link to and embed")
struct ContentCheckTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 120)
    static let vtt = Array("WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n".utf8)

    /// A video (`family` is `videos` or `media`) sent and completed, with an `en` caption and chapter list.
    static func videoWithTracks(_ client: APIClient, family: String) async throws -> String {
        let created = try await client.send(.POST, "/\(family)/create", json: #"{"title":"with tracks"}"#)
        let id = try #require(created.data["id"] as? String, "\(created.json)")
        let bytes = Array(repeating: UInt8(1), count: 1000)
        let form = MultipartForm.make(fields: [("index", "0"), ("hash", MD5Hex.of(bytes))], file: ("file", "v.mp4", bytes[...]))
        let part = try await client.send(
            .POST, "/\(family)/\(id)/part", body: form.body,
            headers: [("Content-Type", form.contentType), ("Content-Range", "bytes 0-999/1000")])
        #expect(part.status == 200, "\(part.json)")
        #expect(try await client.send(.GET, "/\(family)/\(id)/complete").status == 200)
        for kind in ["captions", "chapters"] {
            let track = MultipartForm.make(fields: [], file: ("file", "en.vtt", vtt[...]))
            let sent = try await client.send(
                .POST, "/\(family)/\(id)/\(kind)/en", body: track.body, headers: [("Content-Type", track.contentType)])
            #expect(sent.status == 201, "\(kind): \(sent.json)")
        }
        return id
    }

    @Test(
        "a video's read and list embed its captions and chapters, whose url (one /api) serves the file without keys",
        arguments: ["videos", "media"])
    func tracksEmbedded(family: String) async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let id = try await Self.videoWithTracks(client, family: family)
            let bare = try await client.send(.POST, "/\(family)/create", json: #"{"title":"bare"}"#)
            let bareID = try #require(bare.data["id"] as? String)
            let read = try await client.send(.GET, "/\(family)/\(id)").data
            let captions = try #require(read["captions"] as? [[String: Any]], "\(read)")
            let chapters = try #require(read["chapters"] as? [[String: Any]], "\(read)")
            #expect(captions.map { $0["language"] as? String } == ["en"])
            #expect(captions.first?["is_default"] as? Bool == false && captions.first?["status"] as? String == "done")
            #expect(chapters.map { $0["language"] as? String } == ["en"])
            for url in (captions + chapters).compactMap({ $0["url"] as? String }) {
                #expect(url.components(separatedBy: "/api/").count == 2, "\(url)")
                let file = try await client.send(.GET, "", auth: .none, url: url)
                #expect(file.status == 200 && file.bytes == Self.vtt, "\(url)")
            }
            // The same as the tracks' own list answers.
            let listed = try await client.send(.GET, "/\(family)/\(id)/captions").data
            let key = family == "media" ? "media_captions" : "video_captions"
            #expect(
                (listed[key] as? [[String: Any]])?.compactMap { $0["url"] as? String }
                    == captions.compactMap { $0["url"] as? String })
            // A video without tracks says null (as Go encodes an empty list); a list page embeds them too.
            let empty = try await client.send(.GET, "/\(family)/\(bareID)").data
            #expect(empty["captions"] is NSNull && empty["chapters"] is NSNull)
            let page = try await client.send(.POST, "/\(family)", json: "{}").data
            let items = page[family] as? [[String: Any]] ?? []
            let item = items.first { $0["id"] as? String == id }
            #expect((item?["captions"] as? [[String: Any]])?.count == 1, "\(page)")
            #expect((item?["chapters"] as? [[String: Any]])?.count == 1, "\(page)")
        }
    }

    @Test("a player's logo_image_link, a playlist's thumbnail_url and its player.json answer without keys")
    func publicLinks() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let player = try await client.send(.POST, "/players", json: #"{"name":"Logo"}"#)
            let playerID = try #require((player.data["player_theme"] as? [String: Any])?["id"] as? String)
            let logo = MultipartForm.make(fields: [("link", "https://example.com")], file: ("file", "logo.png", Self.png[...]))
            let uploaded = try await client.send(
                .POST, "/players/\(playerID)/logo", body: logo.body, headers: [("Content-Type", logo.contentType)])
            #expect(uploaded.status == 200, "\(uploaded.json)")
            let theme = try await client.send(.GET, "/players/\(playerID)").data["player_theme"] as? [String: Any]
            let logoURL = try #require((theme?["asset"] as? [String: String])?["logo_image_link"])
            let served = try await client.send(.GET, "", auth: .none, url: logoURL)
            #expect(served.status == 200 && served.bytes == Self.png, "\(logoURL)")

            let playlist = try await client.send(.POST, "/playlists/create", json: #"{"name":"With a picture"}"#)
            let playlistID = try #require((playlist.data["playlist"] as? [String: Any])?["id"] as? String, "\(playlist.json)")
            let picture = MultipartForm.make(fields: [], file: ("file", "cover.png", Self.png[...]))
            let patched = try await client.send(
                .PATCH, "/playlists/\(playlistID)", body: picture.body, headers: [("Content-Type", picture.contentType)])
            #expect(patched.status == 200, "\(patched.json)")
            let read = try await client.send(.GET, "/playlists/\(playlistID)").data["playlist"] as? [String: Any]
            let thumbnail = try #require(read?["thumbnail_url"] as? String)
            let cover = try await client.send(.GET, "", auth: .none, url: thumbnail)
            #expect(cover.status == 200 && cover.bytes == Self.png, "\(thumbnail)")
            let info = try await client.send(.GET, "/playlists/\(playlistID)/player.json", auth: .none)
            #expect(info.status == 200)
            #expect((info.json["playlist"] as? [String: Any])?["id"] as? String == playlistID)
        }
    }
}
