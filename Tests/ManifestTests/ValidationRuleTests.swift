import Foundation
import Testing

@testable import Manifest

/// One rule of `streamplan validate`: a manifest that breaks it, and where and what is reported.
struct RuleCase: CustomTestStringConvertible, Sendable {
    var rule: String
    var yaml: String
    var at: String
    var says: String
    var severity: Diagnostic.Severity = .error

    var testDescription: String { rule }
}

/// A valid video to build the cases on; `extra` lines go under the video at 4 spaces.
func video(_ extra: String = "", title: String = "Hello", source: String = "clip.mp4") -> String {
    "project: demo\nvideos:\n  intro:\n    title: \(title)\n    source: \(source)\n" + extra
}

func quality(_ body: String) -> String {
    video("    qualities:\n      - resolution: 720p\n" + body)
}

let ruleCases: [RuleCase] = [
    RuleCase(
        rule: "unknown key with a did-you-mean", yaml: video("    titel: x\n"), at: "m.yaml:6:5",
        says: "unknown key \"titel\" in video.intro; did you mean \"title\"?"),
    RuleCase(
        rule: "unknown top-level key", yaml: "project: demo\nvidoes: {}\n", at: "m.yaml:2:1",
        says: "did you mean \"videos\"?"),
    RuleCase(
        rule: "wrong type: title a list", yaml: video(title: "[a, b]"), at: "m.yaml:4:12",
        says: "title must be a string, not a list"),
    RuleCase(
        rule: "wrong type: a boolean where text is wanted", yaml: video(title: "true"), at: "m.yaml:4:12",
        says: "quote it"),
    RuleCase(
        rule: "wrong type: is_public not a boolean", yaml: video("    is_public: yes\n"), at: "m.yaml:6:16",
        says: "is_public must be true or false, not the string \"yes\""),
    RuleCase(
        rule: "duplicate keys in a mapping", yaml: video("    title: Again\n"), at: "m.yaml:6:5",
        says: "duplicate key \"title\" (first defined at line 4, column 5)"),
    RuleCase(
        rule: "one address defined twice names both places",
        yaml:
            "project: demo\nvideos:\n  intro: {title: A, source: clip.mp4}\n---\nvideos:\n  intro: {title: B, source: clip.mp4}\n",
        at: "m.yaml:6:3", says: "video.intro is defined twice: here and at "),
    RuleCase(
        rule: "missing project", yaml: "videos:\n  intro: {title: A, source: clip.mp4}\n", at: "m.yaml:1:1",
        says: "no manifest sets `project`"),
    RuleCase(
        rule: "malformed project", yaml: "project: Acme_Learning\n", at: "m.yaml:1:10",
        says: "is not a valid project name"),
    RuleCase(
        rule: "two projects disagree", yaml: "project: one\n---\nproject: two\n", at: "m.yaml:3:10",
        says: "disagrees with project \"one\""),
    RuleCase(rule: "title empty", yaml: video(title: "''"), at: "m.yaml:4:12", says: "title must not be empty"),
    RuleCase(
        rule: "title over 255", yaml: video(title: String(repeating: "t", count: 256)), at: "m.yaml:4:12",
        says: "title is 256 characters; at most 255"),
    RuleCase(
        rule: "description over 1000", yaml: video("    description: " + String(repeating: "d", count: 1001) + "\n"),
        at: "m.yaml:6:18", says: "description is 1001 characters; at most 1000"),
    RuleCase(
        rule: "more than 50 tags", yaml: video("    tags: [" + (1...51).map { "t\($0)" }.joined(separator: ", ") + "]\n"),
        at: "m.yaml:6:11", says: "51 tags; at most 50"),
    RuleCase(
        rule: "a tag over 255", yaml: video("    tags: [" + String(repeating: "x", count: 256) + "]\n"),
        at: "m.yaml:6:12", says: "a tag is 256 characters"),
    RuleCase(
        rule: "more than 43 metadata pairs",
        yaml: video("    metadata: {" + (1...44).map { "k\($0): v" }.joined(separator: ", ") + "}\n"),
        at: "m.yaml:6:15", says: "44 metadata entries; at most 43"),
    RuleCase(
        rule: "metadata key over 255", yaml: video("    metadata: {" + String(repeating: "k", count: 256) + ": v}\n"),
        at: "m.yaml:6:16", says: "metadata key is 256 characters"),
    RuleCase(
        rule: "metadata value over 255", yaml: video("    metadata: {k: " + String(repeating: "v", count: 256) + "}\n"),
        at: "m.yaml:6:19", says: "metadata value for \"k\" is 256 characters"),
    RuleCase(
        rule: "reserved metadata prefix", yaml: video("    metadata: {streamplan.project: mine}\n"), at: "m.yaml:6:16",
        says: "reserves for its ownership marks"),
    RuleCase(
        rule: "unknown resolution", yaml: video("    qualities: [721p]\n"), at: "m.yaml:6:17",
        says: "unknown resolution \"721p\"; did you mean \"720p\"?"),
    RuleCase(
        rule: "bitrate above the resolution's cap", yaml: quality("        video_config: {bitrate: 4000001}\n"),
        at: "m.yaml:8:33", says: "video bitrate 4000001 is above the 720p cap of 4000000 bps"),
    RuleCase(
        rule: "codec not h264/h265", yaml: quality("        video_config: {codec: vp9}\n"), at: "m.yaml:8:31",
        says: "video codec \"vp9\" is not supported; allowed: h264, h265"),
    RuleCase(
        rule: "h264 above 2160p",
        yaml: video("    qualities:\n      - resolution: 4320p\n        video_config: {codec: h264}\n"),
        at: "m.yaml:8:31", says: "h264 goes up to 2160p"),
    RuleCase(
        rule: "type/container mismatch",
        yaml: quality("        type: dash\n        container_type: mpegts\n        video_config: {}\n"),
        at: "m.yaml:9:25", says: "container_type \"mpegts\" does not go with type dash; dash allows fmp4"),
    RuleCase(
        rule: "audio codec not aac", yaml: quality("        audio_config: {codec: mp3}\n"), at: "m.yaml:8:31",
        says: "audio codec \"mp3\" is not supported"),
    RuleCase(
        rule: "sample rate not listed", yaml: quality("        audio_config: {sample_rate: 44000}\n"), at: "m.yaml:8:37",
        says: "sample_rate 44000 is not supported"),
    RuleCase(
        rule: "channels not 1 or 2", yaml: quality("        audio_config: {channels: \"6\"}\n"), at: "m.yaml:8:34",
        says: "channels must be \"1\" (mono) or \"2\" (stereo)"),
    RuleCase(
        rule: "an empty qualities list", yaml: video("    qualities: []\n"), at: "m.yaml:6:16",
        says: "qualities must not be empty"),
    RuleCase(
        rule: "an unknown profile",
        yaml: "project: demo\nprofiles:\n  web-hd: [720p]\nvideos:\n  intro: {title: A, source: clip.mp4, qualities: web-hb}\n",
        at: "m.yaml:5:50", says: "unknown profile \"web-hb\"; did you mean \"web-hd\"?"),
    RuleCase(
        rule: "a resolution where a profile name is expected", yaml: video("    qualities: 720p\n"), at: "m.yaml:6:16",
        says: "write a list: `qualities: [720p]`"),
    RuleCase(
        rule: "a missing source file", yaml: video(source: "nope.mp4"), at: "m.yaml:5:13",
        says: "source file \"nope.mp4\" does not exist"),
    RuleCase(
        rule: "a missing thumbnail file", yaml: video("    thumbnail: nope.jpg\n"), at: "m.yaml:6:16",
        says: "thumbnail file \"nope.jpg\" does not exist"),
    RuleCase(
        rule: "a source that is not a video by its bytes", yaml: video(source: "notes.txt"), at: "m.yaml:5:13",
        says: "is not MP4, MOV, M4V, WebM or AVI judging by its contents (it looks like text)"),
    RuleCase(
        rule: "a missing source with a near name beside it", yaml: video(source: "clip.mp5"), at: "m.yaml:5:13",
        says: "source file \"clip.mp5\" does not exist (looked for"),
    RuleCase(
        rule: "a missing source gets a did-you-mean", yaml: video(source: "clips.mp4"), at: "m.yaml:5:13",
        says: "; did you mean \"clip.mp4\"?"),
    RuleCase(
        rule: "a video named .jpg is still judged by its bytes", yaml: video("    thumbnail: clip.mp4\n"), at: "m.yaml:6:16",
        says: "is not PNG or JPEG judging by its contents (it looks like MP4)"),
    RuleCase(
        rule: "a source outside the manifests' directory", yaml: video(source: "/etc/hostname"), at: "m.yaml:5:13",
        says: "manifests may only name files under the directory that holds them"),
    RuleCase(
        rule: "a pasted secret-looking value", yaml: video("    metadata: {note: 9fQx2LmZ7tR4vK8pW3sY6hJ1nB5cD0eG}\n"),
        at: "m.yaml:6:22", says: "looks like an API secret key"),
    RuleCase(
        rule: "a credential-named key", yaml: video("    metadata: {secret_key: abc}\n"), at: "m.yaml:6:16",
        says: "\"secret_key\" looks like a credential"),
    RuleCase(
        rule: "h265 in mpegts warns", yaml: quality("        container_type: mpegts\n        video_config: {codec: h265}\n"),
        at: "m.yaml:8:25", says: "does not play on Apple devices", severity: .warning),
    RuleCase(
        rule: "a required title is missing", yaml: "project: demo\nvideos:\n  intro:\n    source: clip.mp4\n",
        at: "m.yaml:4:5", says: "video.intro is missing title"),
    RuleCase(
        rule: "a non-core tag is refused", yaml: video("    description: !vault abc\n"), at: "m.yaml:6:18",
        says: "tag !vault is not allowed"),
    RuleCase(
        rule: "a streaming resolution that does not exist",
        yaml:
            "project: demo\nlive_streams:\n  town:\n    name: Town\n    streamings:\n      k: {title: K, qualities: [720p, 900p]}\n",
        at: "m.yaml:6:39", says: "unknown streaming resolution \"900p\""),
    RuleCase(
        rule: "a live stream without a name",
        yaml: "project: demo\nlive_streams:\n  town:\n    save: true\n", at: "m.yaml:4:5",
        says: "live_stream.town is missing name"),
]

@Suite("validation rules")
struct ValidationRuleTests {
    @Test("each rule is reported at its exact file:line:column", arguments: ruleCases)
    func rule(_ c: RuleCase) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(c.yaml)
        let findings = ws.findings(result)
        let expected = "\(c.at): \(c.severity.rawValue): "
        #expect(
            findings.contains { $0.hasPrefix(expected) && $0.contains(c.says) },
            "expected \(expected)…\(c.says)… in:\n\(findings.joined(separator: "\n"))")
        if c.severity == .error {
            #expect(result.manifest == nil)
        }
    }

    @Test("a valid manifest loads with defaults applied")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            """
            project: demo
            profiles:
              ladder:
                - 720p
                - resolution: 1080p
                  type: dash
                  video_config: {codec: h265, bitrate: 5000000}
                  audio_config: {channels: 1, language: pt-BR}
            videos:
              intro:
                title: Hello
                source: clip.webm
                thumbnail: thumb.png
                tags: [a, b]
                metadata: {course: 101, live: true}
                qualities: ladder
              other:
                title: "2024"
                source: clip.avi
                is_public: false
            live_streams:
              town:
                name: Town Hall
                streamings:
                  kickoff: {title: Kickoff, save: true, qualities: [720p]}
            """)
        #expect(ws.findings(result) == [])
        let manifest = try #require(result.manifest)
        #expect(manifest.project == "demo")
        let intro = try #require(manifest.videos.first { $0.name == "intro" })
        #expect(intro.profile == "ladder")
        #expect(intro.source.format == .webm)
        #expect(intro.thumbnail?.format == .png)
        #expect(intro.isPublic)
        #expect(intro.metadata == [MetadataEntry(key: "course", value: "101"), MetadataEntry(key: "live", value: "true")])
        #expect(
            intro.qualities == [
                QualitySpec(
                    resolution: "720p", type: "hls", containerType: "mpegts",
                    video: VideoConfig(codec: "h264", bitrate: 3_000_000), audio: AudioConfig()),
                QualitySpec(
                    resolution: "1080p", type: "dash", containerType: "fmp4",
                    video: VideoConfig(codec: "h265", bitrate: 5_000_000),
                    audio: AudioConfig(channels: "1", language: "pt-BR")),
            ])
        let other = try #require(manifest.videos.first { $0.name == "other" })
        #expect(other.title == "2024")
        #expect(other.qualities == nil)
        #expect(!other.isPublic)
        #expect(manifest.liveStreams.first?.streamings.first?.address == "live_stream.town.streaming.kickoff")
    }

    /// AIOZ's create request allows 144p (its bitrate table starts at 240p: 240p's cap is used).
    @Test("144p is a video rung: shorthand at 200000 bps, a mapping capped at 700000")
    func lowestRung() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(video("    qualities: [144p, 720p]\n"))
        let loaded = try #require(result.manifest, "\(ws.findings(result))")
        let rungs = loaded.videos.first?.qualities ?? []
        #expect(rungs.map(\.resolution) == ["144p", "720p"])
        #expect(rungs.first?.video?.bitrate == 200_000)
        let over = try ws.load(
            video("    qualities:\n      - resolution: 144p\n        video_config: {bitrate: 700001}\n"))
        #expect(ws.findings(over).contains { $0.contains("video bitrate 700001 is above the 144p cap of 700000 bps") })
    }

    @Test("all findings come out in one run, in file order")
    func allAtOnce() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(video("    titel: x\n    is_public: maybe\n    qualities: [721p]\n"))
        #expect(
            ws.findings(result).map { String($0.split(separator: " ")[0].dropLast()) } == [
                "m.yaml:6:5", "m.yaml:7:16", "m.yaml:8:17",
            ])
    }

    @Test("a value equal to STREAM_SECRET_KEY is caught")
    func environmentSecret() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(video("    description: my key is hunter2-hunter2\n"), secret: "hunter2-hunter2")
        #expect(ws.findings(result).contains { $0.hasPrefix("m.yaml:6:18: error:") && $0.contains("STREAM_SECRET_KEY") })
    }

    @Test("a symlink that escapes the manifests' directory is refused")
    func symlinkEscape() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let outside = try Workspace()
        defer { outside.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: ws.path + "/escape.mp4", withDestinationPath: outside.path + "/clip.mp4")
        let result = try ws.load(video(source: "escape.mp4"))
        #expect(ws.findings(result).contains { $0.hasPrefix("m.yaml:5:13: error:") && $0.contains("outside") })
    }

    @Test(
        "names like slugs and UUIDs are not mistaken for secrets",
        arguments: [
            "course-2024-module-03-lesson-12-intro", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f",
            "swift-101-beginner-track-2024-spring",
        ])
    func notSecrets(value: String) {
        #expect(!SecretScanner.looksGenerated(value))
    }
}

@Suite("what a refused file looks like")
struct ContentGuessTests {
    @Test("common formats are named; anything else shows its first bytes")
    func guesses() {
        #expect(ContentGuess.describe([]) == "an empty file")
        #expect(ContentGuess.describe(Array("%PDF-1.7".utf8)) == "a PDF document")
        #expect(ContentGuess.describe(Array("<!DOCTYPE html><html>".utf8)) == "an HTML page")
        #expect(ContentGuess.describe(Array("GIF89a".utf8)) == "a GIF image")
        #expect(ContentGuess.describe([0x50, 0x4B, 0x03, 0x04, 0]) == "a ZIP archive")
        #expect(ContentGuess.describe(Array("ID3\u{3}".utf8)) == "MP3 audio")
        #expect(ContentGuess.describe(Array("{\"a\": 1}".utf8)) == "JSON text")
        #expect(ContentGuess.describe([0x00, 0x01, 0x02, 0xFE]) == "unknown binary data starting 00 01 02 fe")
    }
}
