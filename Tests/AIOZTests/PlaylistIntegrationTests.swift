import AIOZ
import Foundation
import Manifest
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Playlists over loopback")
struct PlaylistIntegrationTests {
    /// The sandbox's provider speaking `generation`.
    private func provider(_ sandbox: TestSandbox, _ generation: APIGeneration) -> AIOZProvider {
        var configuration = sandbox.client.configuration
        configuration.generation = generation
        return AIOZProvider(client: sandbox.client.with(configuration))
    }

    @Test(
        "create with marks, list by marks, add, move, remove items, thumbnail, player.json, delete",
        arguments: APIGeneration.allCases)
    func lifecycle(_ generation: APIGeneration) async throws {
        try await TestSandbox.with { sandbox in
            let provider = provider(sandbox, generation)
            var videos: [String] = []
            for title in ["one", "two", "three"] {
                videos.append(try await sandbox.client.createVideo(VideoCreateRequest(title: title)).id)
            }
            let marks = [MetadataEntry(key: "streamplan.project", value: "demo")]
            let type: String? = generation == .media ? "series" : nil
            let id = try await provider.createPlaylist(
                NewPlaylist(
                    name: "Course", tags: ["a", "b"], metadata: marks + [MetadataEntry(key: "level", value: "1")], type: type))
            _ = try await provider.createPlaylist(NewPlaylist(name: "Other", tags: [], metadata: []))
            let listed = try await provider.playlists(markedWith: marks)
            #expect(listed.map(\.id) == [id])
            #expect(listed[0].tags == ["a", "b"] && listed[0].type == type)
            #expect(listed[0].mark("level") == "1")
            for video in videos { try await provider.addPlaylistItem(playlistID: id, videoID: video) }
            var playlist = try #require(try await provider.playlist(id: id))
            #expect(playlist.items.map(\.videoID) == videos)
            // three to the front, then one after two: [three, two, one]
            let items = playlist.items
            try await provider.movePlaylistItem(playlistID: id, itemID: items[2].id, previousID: nil, nextID: items[0].id)
            try await provider.movePlaylistItem(playlistID: id, itemID: items[0].id, previousID: items[1].id, nextID: nil)
            playlist = try #require(try await provider.playlist(id: id))
            #expect(playlist.items.map(\.videoID) == [videos[2], videos[1], videos[0]])
            try await provider.removePlaylistItem(playlistID: id, itemID: items[1].id)
            playlist = try #require(try await provider.playlist(id: id))
            #expect(playlist.items.map(\.videoID) == [videos[2], videos[0]])

            // Rename with a thumbnail and new metadata in one multipart PATCH; then remove the thumbnail.
            let image = NSTemporaryDirectory() + "playlist-\(UUID().uuidString).jpg"
            try Data(TestMedia.bytes(for: "cover.jpg", size: 300)).write(to: URL(fileURLWithPath: image))
            defer { try? FileManager.default.removeItem(atPath: image) }
            try await provider.updatePlaylist(
                id: id, PlaylistPatch(name: "Course 2", tags: ["c"], metadata: marks, thumbnailFile: image))
            playlist = try #require(try await provider.playlist(id: id))
            #expect(playlist.name == "Course 2" && playlist.tags == ["c"] && playlist.metadata == marks)
            #expect(playlist.thumbnailURL != nil)
            try await provider.removePlaylistThumbnail(id: id)
            #expect(try await provider.playlist(id: id)?.thumbnailURL == nil)
            try await provider.updatePlaylist(id: id, PlaylistPatch(name: "Course 3"))
            #expect(try await provider.playlist(id: id)?.name == "Course 3")

            let player = try await sandbox.api.send(.GET, "/playlists/\(id)/player.json")
            #expect(player.status == 200)

            // Deleting a video removes its items.
            try await sandbox.client.deleteVideo(id: videos[2])
            #expect(try await provider.playlist(id: id)?.items.map(\.videoID) == [videos[0]])

            try await provider.deletePlaylist(id: id)
            #expect(try await provider.playlist(id: id) == nil)
            let error = await #expect(throws: AIOZError.self) { try await provider.deletePlaylist(id: id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test("a playlist type with --api videos is refused before anything is sent")
    func typeNeedsMedia() async throws {
        try await TestSandbox.with { sandbox in
            let provider = provider(sandbox, .videos)
            await #expect(throws: UnsupportedByProvider.self) {
                _ = try await provider.createPlaylist(NewPlaylist(name: "x", tags: [], metadata: [], type: "series"))
            }
        }
    }
}
