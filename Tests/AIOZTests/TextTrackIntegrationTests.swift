import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import Testing

@Suite("captions and chapters over loopback")
struct TextTrackIntegrationTests {
    /// A WebVTT file in a temporary directory.
    static func vtt(_ text: String = "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streamplan-\(UUID().uuidString).vtt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "upload, list, default and delete on both generations; 404 and 400 answers; a deleted video takes them along",
        arguments: [false, true])
    func lifecycle(media: Bool) async throws {
        try await TestSandbox.with { sandbox in
            var configuration = sandbox.client.configuration
            configuration.generation = media ? .media : .videos
            let client = sandbox.client.with(configuration)
            let video = try await client.createVideo(VideoCreateRequest(title: "captioned"))
            let file = try Self.vtt()
            defer { try? FileManager.default.removeItem(atPath: file) }
            #expect(try await client.listTextTracks("captions", videoID: video.id).isEmpty)
            for language in ["en", "vi", "pt-BR"] {
                try await client.uploadTextTrack("captions", videoID: video.id, language: language, file: file)
            }
            try await client.uploadTextTrack("chapters", videoID: video.id, language: "en", file: file)
            let captions = try await client.listTextTracks("captions", videoID: video.id)
            #expect(captions.map(\.language) == ["en", "pt-BR", "vi"])
            #expect(captions.allSatisfy { $0.isDefault == false && $0.url?.hasSuffix(".vtt") == true })
            #expect(try await client.listTextTracks("chapters", videoID: video.id).map(\.language) == ["en"])

            try await client.setDefaultCaption(videoID: video.id, language: "vi")
            try await client.setDefaultCaption(videoID: video.id, language: "en")
            let defaults = try await client.listTextTracks("captions", videoID: video.id).filter { $0.isDefault == true }
            #expect(defaults.map(\.language) == ["en"])

            try await client.deleteTextTrack("captions", videoID: video.id, language: "vi")
            let gone = await #expect(throws: AIOZError.self) {
                try await client.deleteTextTrack("captions", videoID: video.id, language: "vi")
            }
            #expect(gone?.code == .notFound)
            let badLanguage = await #expect(throws: AIOZError.self) {
                try await client.uploadTextTrack("captions", videoID: video.id, language: "en_US", file: file)
            }
            #expect(badLanguage?.code == .badRequest)
            // Deleting the video takes its captions with it.
            try await client.deleteVideo(id: video.id)
            let noVideo = await #expect(throws: AIOZError.self) {
                try await client.listTextTracks("captions", videoID: video.id)
            }
            #expect(noVideo?.code == .notFound)
        }
    }

    /// `generate --download-sources` fetches logos, thumbnails and .vtt files by the URLs the API gives
    /// out; one on another host (a CDN, a logo's own site) must not receive the account's keys.
    @Test(
        "a download from another host carries no API key (generate --download-sources of a logo or CDN file)",
        .timeLimit(.minutes(10)))
    func downloadElsewhereSendsNoKeys() async throws {
        try await TestSandbox.with { sandbox in
            try await WebhookReceiver.with { elsewhere in
                let path = NSTemporaryDirectory() + "download-origin-\(getpid()).bin"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try await sandbox.provider.downloadLink(elsewhere.baseURL + "/logo.png", to: path)
                #expect(try String(contentsOfFile: path, encoding: .utf8) == "asset")
                let sent = try #require(elsewhere.getHeaders.first)
                #expect(!sent.contains("stream-secret-key") && !sent.contains("stream-public-key"), "\(sent)")
            }
        }
    }
}
