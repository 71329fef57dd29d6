import AIOZ
import Foundation
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Player themes over loopback")
struct PlayerIntegrationTests {
    @Test(
        "players: create, list, get, patch, logo, add to and remove from a video, delete (contract-checked)",
        arguments: APIGeneration.allCases)
    func players(generation: APIGeneration) async throws {
        try await TestSandbox.with { sandbox in
            var settings = sandbox.client.configuration
            settings.generation = generation
            let client = sandbox.client.with(settings)
            let provider = AIOZProvider(client: client)
            let id = try await provider.createPlayer(
                PlayerWrite(name: "Brand", theme: ["main_color": "#ff6600"], controls: ["force_autoplay": true]))
            let created = try #require(try await provider.player(id: id))
            #expect(created.name == "Brand" && created.theme["main_color"] == "#ff6600")
            #expect(created.theme["text_color"] == "" && created.controls["force_autoplay"] == true)
            #expect(!created.hasLogo)
            #expect(try await provider.players(named: "Brand").map(\.id) == [id])
            #expect(try await provider.players(named: "Bran").isEmpty)
            try await provider.updatePlayer(id: id, PlayerWrite(theme: ["text_color": "#ffffff"]))
            let patched = try #require(try await provider.player(id: id))
            #expect(patched.theme["main_color"] == "#ff6600" && patched.theme["text_color"] == "#ffffff")
            let logo = try TestMedia.temporaryFile(size: 100)
            defer { try? FileManager.default.removeItem(atPath: logo) }
            var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            png.append(try Data(contentsOf: URL(fileURLWithPath: logo)))
            try png.write(to: URL(fileURLWithPath: logo))
            try await provider.uploadPlayerLogo(playerID: id, file: logo, link: "https://example.com")
            let withLogo = try #require(try await provider.player(id: id))
            #expect(withLogo.hasLogo && withLogo.logoLink == "https://example.com")
            let video = try await client.createVideo(VideoCreateRequest(title: "v"))
            try await provider.addPlayer(playerID: id, videoID: video.id)
            #expect(try await provider.video(id: video.id)?.playerID == id)
            try await provider.removePlayer(playerID: id, videoID: video.id)
            #expect(try await provider.video(id: video.id)?.playerID == nil)
            try await provider.addPlayer(playerID: id, videoID: video.id)
            try await provider.deletePlayerLogo(playerID: id)
            #expect(try await provider.player(id: id)?.hasLogo == false)
            try await provider.deletePlayer(id: id)
            #expect(try await provider.player(id: id) == nil)
            // A deleted player leaves its videos without a player.
            #expect(try await provider.video(id: video.id)?.playerID == nil)
            let error = await #expect(throws: AIOZError.self) { try await client.deletePlayerTheme(id: id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test(
        "is_default: the account has one default player at most; setting one clears the other",
        arguments: APIGeneration.allCases)
    func defaultPlayer(generation: APIGeneration) async throws {
        try await TestSandbox.with { sandbox in
            var settings = sandbox.client.configuration
            settings.generation = generation
            let provider = AIOZProvider(client: sandbox.client.with(settings))
            #expect(try await provider.defaultPlayer() == nil)
            let first = try await provider.createPlayer(PlayerWrite(name: "First", isDefault: true))
            let second = try await provider.createPlayer(PlayerWrite(name: "Second"))
            #expect(try await provider.defaultPlayer()?.id == first)
            #expect(try await provider.player(id: second)?.isDefault == false)
            // A create that asks for the default takes it from the first.
            let third = try await provider.createPlayer(PlayerWrite(name: "Third", isDefault: true))
            #expect(try await provider.allPlayers().filter(\.isDefault).map(\.id) == [third])
            // So does a PATCH; a PATCH without is_default leaves it alone.
            try await provider.updatePlayer(id: second, PlayerWrite(isDefault: true))
            try await provider.updatePlayer(id: third, PlayerWrite(name: "Third again"))
            #expect(try await provider.allPlayers().filter(\.isDefault).map(\.id) == [second])
            try await provider.updatePlayer(id: second, PlayerWrite(isDefault: false))
            #expect(try await provider.defaultPlayer() == nil)
            // The raw answer carries is_default.
            let raw = try await sandbox.api.send(.GET, "/players/\(first)")
            let theme = raw.data["player_theme"] as? [String: Any]
            #expect(theme?["is_default"] as? Bool == false)
        }
    }

    @Test("the sandbox names the video video_id in the 2025 API and media_id in the 2026 one, and refuses bad bodies")
    func bodies() async throws {
        try await TestSandbox.with { sandbox in
            let api = sandbox.api
            let created = try await api.send(.POST, "/players", json: #"{"name":"p"}"#)
            #expect(created.status == 201)
            let player = try #require((created.data["player_theme"] as? [String: Any])?["id"] as? String)
            let video = try await api.createVideo()
            let byMedia = try await api.send(
                .POST, "/players/add-player", json: #"{"player_theme_id":"\#(player)","media_id":"\#(video)"}"#)
            #expect(byMedia.status == 200)
            let missing = try await api.send(.POST, "/players/add-player", json: #"{"player_theme_id":"\#(player)"}"#)
            #expect(missing.status == 400)
            #expect(try await api.send(.POST, "/players", json: ##"{"theme":{"main_color":"#fff"}}"##).status == 400)
            #expect(try await api.send(.POST, "/players", json: ##"{"name":"q","theme":{"colour":"#fff"}}"##).status == 400)
            let other = UUID().uuidString.lowercased()
            #expect(try await api.send(.GET, "/players/\(other)").status == 404)
        }
    }
}
