import Foundation
import Manifest
import SandboxTesting
import TestSupport
import Testing

/// `streamplan status` and `streamplan show ADDRESS` over every kind, after the quickstart with a
/// webhook whose URL carries a token: each kind listed, no secret printed.
@Suite("status and show: every kind, no secrets", .gated, .serialized)
struct StatusShowCLITests {
    static let hookToken = "tok-5e3c9a1f7b2d4e60"
    static let environment = [
        "STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384", "HOOK_TOKEN": hookToken,
    ]

    static func edit(_ file: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains(old), "\(file) has no \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
    }

    @Test(
        "status lists videos (captions, chapters), players, playlists in order, webhooks masked and keys; show prints each kind",
        .timeLimit(.minutes(10)))
    func everyKind() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let hooks = copy.path + "/manifests/webhooks.yaml"
        try Self.edit(
            hooks, "url: https://hooks.example.com/northwind/encoded",
            "url: https://hooks.example.com/northwind/encoded?token=${HOOK_TOKEN}")
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            func run(_ arguments: [String]) async throws -> CLIResult {
                try await sandbox.streamplan(arguments + ["manifests"], in: copy.path, environment: Self.environment)
            }
            let apply = try await run(["apply", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let key = try #require(try await sandbox.provider.allLiveKeys().first)
            let secrets = try #require(try await sandbox.provider.liveKeySecrets(id: key.id))
            let hook = try #require(try await sandbox.provider.allWebhooks().first)
            #expect(hook.url.contains(Self.hookToken), "the account holds the whole URL")
            var printed: [CLIResult] = [apply]

            let status = try await run(["status"])
            printed.append(status)
            #expect(status.status == 0, "\(status.stderr)")
            let text = status.stdout
            #expect(text.hasPrefix("Objects of project northwind-academy on AIOZ Stream:\n"), "\(text)")
            #expect(text.contains("\nVideos (4):\n"), "\(text)")
            for video in ["intro", "lesson-1", "lesson-2", "office-hours"] {
                #expect(text.contains("\n  video.\(video) (id "), "\(video): \(text)")
            }
            #expect(text.contains(#"  video.intro (id "#) && text.contains(#"): "Welcome to Swift 101", done"#), "\(text)")
            #expect(text.contains("\n    captions: en (default), vi\n    chapters: en\n"), "\(text)")
            #expect(text.contains("\nPlayer themes (1):\n  player.brand (id "), "\(text)")
            #expect(text.contains(#""Swift 101 player", present"#), "\(text)")
            #expect(text.contains("\nPlaylists (1):\n  playlist.course (id "), "\(text)")
            #expect(text.contains("3 videos in order: [video.intro, video.lesson-1, video.lesson-2]"), "\(text)")
            #expect(text.contains("\nWebhooks (1):\n  webhook.encoded (id \(hook.id)): \"Encoding done\", present"), "\(text)")
            #expect(text.contains("url https://hooks.example.com/northwind/encoded?token=***,"), "\(text)")
            #expect(text.contains("events [encoding_finished, encoding_failed]"), "\(text)")
            #expect(text.contains("\nLive stream keys (1):\n"), "\(text)")
            #expect(text.contains("live_stream.townhall (id \(key.id))"), "\(text)")
            #expect(text.contains("    live_stream.townhall.streaming.kickoff (id "), "\(text)")
            #expect(text.contains("    live_stream.townhall.streaming.q-and-a (id "), "\(text)")

            let intro = try await run(["show", "video.intro"])
            printed.append(intro)
            #expect(intro.status == 0, "\(intro.stderr)")
            #expect(intro.stdout.hasPrefix("video.intro (id "), "\(intro.stdout)")
            #expect(intro.stdout.contains("  title:      Welcome to Swift 101\n"), "\(intro.stdout)")
            #expect(intro.stdout.contains("  status:     done\n"), "\(intro.stdout)")
            #expect(intro.stdout.contains("  player:     player.brand (id "), "\(intro.stdout)")
            #expect(intro.stdout.contains("  metadata:   {course: swift-101, kind: trailer}\n"), "\(intro.stdout)")
            #expect(intro.stdout.contains("  captions:\n    video.intro.caption.en (default): present, http"), "\(intro.stdout)")
            #expect(intro.stdout.contains("    video.intro.caption.vi: present, http"), "\(intro.stdout)")
            #expect(intro.stdout.contains("  chapters:\n    video.intro.chapter.en: present, http"), "\(intro.stdout)")
            #expect(intro.stdout.contains("    hls: http"), "\(intro.stdout)")

            let caption = try await run(["show", "video.intro.caption.vi"])
            printed.append(caption)
            #expect(caption.status == 0, "\(caption.stderr)")
            #expect(caption.stdout.contains("  default:    false\n"), "\(caption.stdout)")
            #expect(caption.stdout.contains("    vtt: http"), "\(caption.stdout)")
            let chapter = try await run(["show", "video.intro.chapter.en"])
            printed.append(chapter)
            #expect(chapter.status == 0 && chapter.stdout.hasPrefix("video.intro.chapter.en (id "), "\(chapter.stdout)")

            let player = try await run(["show", "player.brand"])
            printed.append(player)
            #expect(player.status == 0, "\(player.stderr)")
            #expect(player.stdout.contains("  name:       Swift 101 player\n"), "\(player.stdout)")
            #expect(player.stdout.contains("main_color: #f05138"), "\(player.stdout)")
            #expect(player.stdout.contains("    logo: http"), "\(player.stdout)")

            let playlist = try await run(["show", "playlist.course"])
            printed.append(playlist)
            #expect(playlist.status == 0, "\(playlist.stderr)")
            #expect(
                playlist.stdout.contains(
                    "  videos (in order):\n    1. video.intro\n    2. video.lesson-1\n    3. video.lesson-2\n"),
                "\(playlist.stdout)")
            // The manifests' tags and metadata, as the account holds them; streamplan's marks left out.
            #expect(playlist.stdout.contains("  tags:       [course]\n"), "\(playlist.stdout)")
            #expect(playlist.stdout.contains("  metadata:   {level: beginner}\n"), "\(playlist.stdout)")

            let webhook = try await run(["show", "webhook.encoded"])
            printed.append(webhook)
            #expect(webhook.status == 0, "\(webhook.stderr)")
            #expect(
                webhook.stdout.contains("  url:        https://hooks.example.com/northwind/encoded?token=***\n"),
                "\(webhook.stdout)")
            // --reveal is for a key's secrets: a webhook's URL stays masked.
            let revealedHook = try await run(["show", "webhook.encoded", "--reveal"])
            printed.append(revealedHook)
            #expect(revealedHook.status == 0 && revealedHook.stdout.contains("token=***"), "\(revealedHook.stdout)")

            let live = try await run(["show", "live_stream.townhall"])
            printed.append(live)
            #expect(live.status == 0, "\(live.stderr)")
            #expect(live.stdout.contains("  stream_key: ********\n"), "\(live.stdout)")
            let streaming = try await run(["show", "live_stream.townhall.streaming.kickoff"])
            printed.append(streaming)
            #expect(streaming.stdout.contains("  title:      December kickoff\n"), "\(streaming.stdout)")

            let unknown = try await run(["show", "playlist.nope"])
            #expect(unknown.status == 1)
            #expect(
                unknown.stderr.contains("error: playlist.nope is not managed by project northwind-academy"),
                "\(unknown.stderr)")
            let malformed = try await run(["show", "profile.web-hd"])
            #expect(malformed.status != 0)

            for result in printed {
                for secret in [Self.hookToken, secrets.streamKey, secrets.rtmpURL] {
                    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(result.stdout)")
                }
            }

            // public_url: true shows a URL whole that would otherwise be masked (a token-like path segment).
            let publicURL = "https://hooks.example.com/northwind/release2026/encoded"
            #expect(WebhookURL.masked(publicURL) != publicURL)
            try Self.edit(
                hooks, "url: https://hooks.example.com/northwind/encoded?token=${HOOK_TOKEN}",
                "url: \(publicURL)\n    public_url: true")
            let update = try await run(["apply", "--auto-approve"])
            #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
            let shown = try await run(["show", "webhook.encoded"])
            #expect(shown.stdout.contains("  url:        \(publicURL)\n"), "\(shown.stdout)")
            let listed = try await run(["status"])
            #expect(listed.stdout.contains("url \(publicURL),"), "\(listed.stdout)")
        }
    }
}
