import AIOZ
import Foundation
import Manifest
import Providers
import SandboxTesting
import TestSupport
import Testing

/// Adopting every kind (issue 22, item 1): an account made by hand (a player theme, a playlist, a
/// webhook, a key with streamings, videos with captions and chapters) is generated, planned as
/// imports only, applied without creating anything, and then planned as `No changes.`
@Suite("adopting every kind: generate, import blocks and their refusals", .gated, .eachGeneration, .namingGeneration)
struct AdoptEveryKindTests {
    static let hookToken = "s3cr3t-hook-token-4fa9c2"

    /// What the account holds, kind by kind, as ids (captions and chapters as `VIDEO/kind/lang`).
    static func inventory(_ sandbox: TestSandbox) async throws -> [String: Set<String>] {
        let provider = sandbox.provider
        let videos = try await sandbox.client.allVideos().filter { video in
            !video.metadata.contains { $0.key.hasPrefix("streamplan.registry") || $0.key.hasPrefix("streamplan.lease") }
        }
        var result: [String: Set<String>] = [
            "videos": Set(videos.map(\.id)),
            "players": Set(try await provider.allPlayers().map(\.id)),
            "playlists": Set(try await provider.playlists(markedWith: []).map(\.id)),
            "webhooks": Set(try await provider.allWebhooks().map(\.id)),
        ]
        let keys = try await provider.allLiveKeys()
        result["keys"] = Set(keys.map(\.id))
        var streamings = Set<String>()
        for key in keys { streamings.formUnion(try await provider.streamings(keyID: key.id).map(\.id)) }
        result["streamings"] = streamings
        var tracks = Set<String>()
        for video in videos {
            for kind in TextTrackKind.allCases {
                for track in try await provider.textTracks(kind, videoID: video.id) {
                    tracks.insert("\(video.id)/\(kind.rawValue)/\(track.language)")
                }
            }
        }
        result["tracks"] = tracks
        return result
    }

    /// A video made as a script would (create, one part, complete).
    static func handMadeVideo(_ sandbox: TestSandbox, title: String, seed: UInt8) async throws -> String {
        let bytes = TestMedia.bytes(for: "v.mp4", size: 3000 + Int(seed) * 100, seed: seed)
        let id = try await sandbox.api.createVideo(#"{"title":"\#(title)","tags":["legacy"]}"#)
        #expect(try await sandbox.api.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0).status == 200)
        #expect(try await sandbox.api.send(.GET, "/videos/\(id)/complete").status == 200)
        return id
    }

    static func vtt(_ text: String, in directory: String, name: String) throws -> String {
        let path = directory + "/\(name).vtt"
        try "WEBVTT\n\n00:00.000 --> 00:01.000\n\(text)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "a hand-made account: generate --download-sources, plan --trust-source shows only imports, apply creates nothing, then No changes",
        .timeLimit(.minutes(10)))
    func generateEveryKind() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("adopt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestSandbox.with { sandbox in
            let provider = sandbox.provider
            let intro = try await Self.handMadeVideo(sandbox, title: "Course intro", seed: 1)
            let lesson = try await Self.handMadeVideo(sandbox, title: "Lesson one", seed: 2)
            try await provider.uploadTextTrack(
                .caption, videoID: intro, language: "en", file: try Self.vtt("Hello", in: directory, name: "en"))
            try await provider.uploadTextTrack(
                .caption, videoID: intro, language: "vi", file: try Self.vtt("Xin chào", in: directory, name: "vi"))
            try await provider.setDefaultCaption(videoID: intro, language: "en")
            try await provider.uploadTextTrack(
                .chapter, videoID: intro, language: "en", file: try Self.vtt("Part one", in: directory, name: "chapters"))
            let player = try await provider.createPlayer(
                PlayerWrite(
                    name: "Brand player", theme: ["main_color": "#ff6600", "control_bar_height": "40px"],
                    controls: ["enable_controls": true, "force_autoplay": false]))
            let playlist = try await PlaylistProviding.of(provider).createPlaylist(
                NewPlaylist(name: "The course", tags: ["course"], metadata: [MetadataEntry(key: "level", value: "one")]))
            // In an order that is not the videos' creation order.
            try await PlaylistProviding.of(provider).addPlaylistItem(playlistID: playlist, videoID: lesson)
            try await PlaylistProviding.of(provider).addPlaylistItem(playlistID: playlist, videoID: intro)
            let webhook = try await provider.createWebhook(
                NewWebhook(
                    name: "Encoded", url: "https://hooks.example.com/aioz?token=\(Self.hookToken)",
                    events: [.encodingFinished, .encodingFailed]))
            let key = try await provider.createLiveKey(NewLiveKey(name: "Studio", save: true))
            let streamKey = try #require(try await provider.liveKeySecrets(id: key)).streamKey
            _ = try await provider.createStreaming(keyID: key, NewStreaming(title: "Kickoff", save: true, qualities: ["720p"]))
            _ = try await provider.createStreaming(keyID: key, NewStreaming(title: "Q and A", save: false, qualities: []))
            let before = try await Self.inventory(sandbox)
            #expect(before["streamings"]?.count == 2 && before["tracks"]?.count == 3, "\(before)")

            let generated = try await sandbox.streamplan(
                ["generate", "--out", "gen", "--project", "adopted", "--download-sources"], in: directory)
            #expect(generated.status == 0, "\(generated.stdout)\(generated.stderr)")
            #expect(generated.stdout.contains("${WEBHOOK_ENCODED_URL}"), "\(generated.stdout)")
            let yaml = try String(contentsOfFile: directory + "/gen/streamplan.yaml", encoding: .utf8)
            for id in [intro, lesson, player, playlist, webhook, key] { #expect(yaml.contains(id), "\(id): \(yaml)") }
            #expect(yaml.contains("videos: [lesson-one, course-intro]"), "\(yaml)")
            #expect(yaml.contains("url: \"${WEBHOOK_ENCODED_URL}\""), "\(yaml)")
            #expect(yaml.contains("default_caption: en"), "\(yaml)")
            #expect(yaml.contains("to: live_stream.studio.streaming.kickoff"), "\(yaml)")
            // No secret reaches the output or the directory.
            for text in [generated.stdout, generated.stderr, yaml] {
                #expect(!text.contains(Self.hookToken) && !text.contains(streamKey))
            }
            let vtt = try String(contentsOfFile: directory + "/gen/media/course-intro.caption.vi.vtt", encoding: .utf8)
            #expect(vtt.contains("Xin chào"))

            let environment = ["WEBHOOK_ENCODED_URL": "https://hooks.example.com/aioz?token=\(Self.hookToken)"]
            let plan = try await sandbox.streamplan(
                ["plan", "--trust-source", "--no-cost", "gen"], in: directory, environment: environment)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            // 2 videos, 3 captions and chapters, a player, a playlist, a webhook, a key and its 2 streamings.
            #expect(
                plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete. 11 to import."),
                "\(plan.stdout)")
            #expect(!plan.stdout.contains("blocked"), "\(plan.stdout)")
            #expect(!plan.stdout.contains(Self.hookToken))

            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--trust-source", "gen"], in: directory, environment: environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(!apply.stdout.contains(Self.hookToken) && !apply.stderr.contains(Self.hookToken))

            let again = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode", "--no-cost", "gen"], in: directory, environment: environment)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
            // Nothing was created (nor deleted): the same objects, kind by kind.
            #expect(try await Self.inventory(sandbox) == before)
            let items = try await PlaylistProviding.of(provider).playlist(id: playlist)?.items.map(\.videoID)
            #expect(items == [lesson, intro])
            #expect(try await provider.liveKeySecrets(id: key)?.streamKey == streamKey)
            // And a second generate finds nothing left unmanaged.
            let second = try await sandbox.streamplan(["generate", "--out", "gen2"], in: directory)
            #expect(second.stdout.contains("0 videos and 0 live stream keys to import."), "\(second.stdout)")
        }
    }

    @Test(
        "import blocks are refused with the reason: an unknown id, one already managed, the wrong kind, a key not managed",
        .timeLimit(.minutes(10)))
    func blockedImports() async throws {
        try await TestWorkspace.with(project: "adopting") { workspace in
            try await TestSandbox.with { sandbox in
                let provider = sandbox.provider
                let video = try await Self.handMadeVideo(sandbox, title: "Some video", seed: 3)
                let base = """
                    players:
                      brand: {name: Brand}
                      other: {name: Other}
                    webhooks:
                      hook: {url: "https://hooks.example.com/x", events: [encoding_finished]}
                    playlists:
                      list: {name: List, videos: []}
                    live_streams:
                      studio:
                        name: Studio
                        streamings:
                          main: {title: Main}

                    """
                try workspace.manifest(base)
                let first = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
                let brand = try #require(try await provider.allPlayers().first { $0.name == "Brand" }?.id)
                let other = try #require(try await provider.allPlayers().first { $0.name == "Other" }?.id)
                let listed = try await PlaylistProviding.of(provider).playlists(markedWith: [])
                let managedList = try #require(listed.first { $0.name == "List" }?.id)
                let handList = try await PlaylistProviding.of(provider).createPlaylist(
                    NewPlaylist(name: "By hand", tags: [], metadata: []))
                let handKey = try await provider.createLiveKey(NewLiveKey(name: "Other studio", save: false))
                let handStreaming = try await provider.createStreaming(
                    keyID: handKey, NewStreaming(title: "By hand", save: false, qualities: []))
                // New addresses, each imported with an id that cannot be adopted.
                // (A second document: merged as another file would be.)
                try workspace.manifest(
                    base + """
                        ---
                        players:
                          third: {name: Third}
                        webhooks:
                          second: {url: "https://hooks.example.com/y", events: [encoding_finished]}
                        playlists:
                          copy: {name: Copy, videos: []}
                        live_streams:
                          fresh:
                            name: Fresh
                            streamings:
                              late: {title: By hand}
                        import:
                          - {to: player.third, id: \(brand)}
                          - {to: webhook.second, id: \(video)}
                          - {to: playlist.copy, id: \(managedList)}
                          - {to: live_stream.fresh.streaming.late, id: \(handStreaming)}
                        """)
                let plan = try await sandbox.streamplan(["plan", "--no-cost", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
                #expect(plan.stdout.contains("it is already managed as player.brand; remove the import block"), "\(plan.stdout)")
                #expect(plan.stdout.contains("id \(video) is a video, not a webhook"), "\(plan.stdout)")
                #expect(plan.stdout.contains("it is already managed as playlist.list"), "\(plan.stdout)")
                #expect(plan.stdout.contains("its key live_stream.fresh is not managed yet"), "\(plan.stdout)")
                let apply = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
                // None of the refused ids was taken: the registry still names brand as player.brand only.
                #expect(try await provider.allPlayers().filter { $0.id == brand }.count == 1)
                let afterList = try await PlaylistProviding.of(provider).playlist(id: handList)
                #expect(afterList?.metadata.isEmpty == true)

                // `streamplan import` says the same, and an id that does not exist is named.
                let missing = try await sandbox.streamplan(
                    ["import", "player.third", "00000000-0000-4000-8000-000000000000", "."], in: workspace.directory)
                #expect(missing.status == 1)
                #expect(
                    missing.stderr.contains("no player theme with id 00000000-0000-4000-8000-000000000000"), "\(missing.stderr)")
                let wrongKind = try await sandbox.streamplan(["import", "player.third", handList, "."], in: workspace.directory)
                #expect(wrongKind.status == 1)
                #expect(wrongKind.stderr.contains("is a playlist, not a player theme"), "\(wrongKind.stderr)")
                // And a good one is adopted at once, recorded without a second player being made.
                let third = try await provider.createPlayer(PlayerWrite(name: "Made by hand"))
                let imported = try await sandbox.streamplan(["import", "player.third", third, "."], in: workspace.directory)
                #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
                #expect(imported.stdout.contains("player.third: imported, id \(third)"), "\(imported.stdout)")
                #expect(try await provider.player(id: third)?.name == "Third")
                #expect(try await provider.allPlayers().map(\.id).sorted() == [brand, other, third].sorted())
            }
        }
    }
}
