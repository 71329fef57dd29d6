import Foundation
import TestSupport
import Testing

@testable import Manifest

/// `type`, `watermark` and `segment_duration` of a video (docs/manifests.md, "Audio, watermarks and segments").
@Suite("media fields: type, watermark, segment_duration")
struct MediaFieldRuleTests {
    static let media = repositoryRoot + "/Tests/Fixtures/media/"

    /// A workspace with the real audio and video fixtures beside the fake ones.
    func workspace() throws -> Workspace {
        let ws = try Workspace()
        for name in ["audio-1s.mp3", "audio-1s.wav", "audio-1s.flac", "audio-2.5s.m4a", "clip-2s-320x240.mp4"] {
            try FileManager.default.copyItem(atPath: Self.media + name, toPath: ws.path + "/" + name)
        }
        return ws
    }

    func errors(_ yaml: String) throws -> [String] {
        let ws = try workspace()
        defer { ws.remove() }
        return ws.findings(try ws.load(yaml)).filter { $0.contains(": error: ") }
    }

    @Test(
        "audio sources load as `type: audio`, with the fields read",
        arguments: ["audio-1s.mp3", "audio-1s.wav", "audio-1s.flac", "audio-2.5s.m4a"])
    func audioLoads(source: String) throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.load(video("    type: audio\n    segment_duration: 4\n", source: source))
        #expect(ws.findings(result).isEmpty, "\(ws.findings(result))")
        let spec = try #require(result.manifest?.videos.first)
        #expect(spec.mediaType == .audio)
        #expect(spec.segmentDuration == 4)
        #expect(spec.source.format.isAudio)
    }

    @Test("an audio container without `type: audio` is refused at the source, with the key to write")
    func audioNeedsType() throws {
        let found = try errors(video(source: "audio-1s.mp3"))
        #expect(
            found.contains { $0.hasPrefix("m.yaml:5:13: error:") && $0.contains("is MP3 audio; write `type: audio`") }, "\(found)"
        )
    }

    @Test("`type: audio` over a file with a video track is refused at `type`, naming the picture size")
    func audioWithVideoTrack() throws {
        let found = try errors(video("    type: audio\n", source: "clip-2s-320x240.mp4"))
        #expect(found.contains { $0.hasPrefix("m.yaml:6:11: error:") && $0.contains("has a video track (320×240)") }, "\(found)")
    }

    @Test("`type: audio` over an MP4 whose tracks cannot be read is refused, with the reason")
    func audioUnreadable() throws {
        let found = try errors(video("    type: audio\n", source: "clip.mp4"))
        #expect(
            found.contains { $0.hasPrefix("m.yaml:6:11: error:") && $0.contains("holds audio only cannot be read") }, "\(found)")
    }

    @Test("an unknown type gets the allowed values and a did-you-mean")
    func unknownType() throws {
        let found = try errors(video("    type: audi\n", source: "audio-1s.mp3"))
        #expect(
            found.contains {
                $0.hasPrefix("m.yaml:6:11: error:") && $0.contains("allowed: video, audio")
                    && $0.contains("did you mean \"audio\"")
            }, "\(found)")
    }

    @Test("an audio media refuses a video quality (also from a profile) and a watermark, where each is written")
    func audioRefusesPictureSettings() throws {
        let inline = try errors(
            video("    type: audio\n    qualities: [720p]\n    watermark: {id: logo}\n", source: "audio-1s.mp3"))
        #expect(inline.contains { $0.hasPrefix("m.yaml:7:17: error:") && $0.contains("quality 720p encodes video") }, "\(inline)")
        #expect(
            inline.contains { $0.hasPrefix("m.yaml:8:5: error:") && $0.contains("a watermark is laid over a picture") },
            "\(inline)")
        let profile = try errors(
            "project: demo\nprofiles:\n  hd: [1080p]\nvideos:\n  intro:\n    title: A\n    source: audio-1s.mp3\n"
                + "    type: audio\n    qualities: hd\n")
        #expect(profile.contains { $0.hasPrefix("m.yaml:3:8: error:") && $0.contains("(from profile hd)") }, "\(profile)")
    }

    @Test("audio-only qualities are accepted on an audio media")
    func audioQualities() throws {
        let found = try errors(
            video(
                "    type: audio\n    qualities:\n      - resolution: audio\n        audio_config: {bitrate: 96000}\n",
                source: "audio-1s.wav"))
        #expect(found.isEmpty, "\(found)")
    }

    @Test("a watermark is read and normalised: lengths as written, opacity as a percentage")
    func watermarkLoads() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try ws.load(
            video("    watermark: {id: logo-1, top: 10px, right: \"5%\", width: 12.5%, opacity: 0.8}\n"))
        #expect(ws.findings(result).isEmpty, "\(ws.findings(result))")
        let mark = try #require(result.manifest?.videos.first?.watermark)
        #expect(mark == WatermarkSpec(id: "logo-1", top: "10px", right: "5%", width: "12.5%", opacity: "80%"))
        #expect(MediaRules.opacity("80%") == "80%")
        #expect(MediaRules.opacity("0.805") == "80.5%")
    }

    @Test(
        "bad watermarks and segment durations are reported at the value, saying what is allowed",
        arguments: [
            ("    watermark: {top: 10px}\n", "m.yaml:6:17", "watermark is missing id"),
            ("    watermark: {id: logo, top: 10}\n", "m.yaml:6:32", "needs a unit: write \"10px\" or \"10%\""),
            ("    watermark: {id: logo, left: 10em}\n", "m.yaml:6:33", "must be a length in px or a percentage"),
            ("    watermark: {id: logo, width: 120%}\n", "m.yaml:6:34", "is more than 100%"),
            ("    watermark: {id: logo, width: -5px}\n", "m.yaml:6:34", "non-negative number"),
            ("    watermark: {id: logo, opacity: 1.5}\n", "m.yaml:6:36", "from 0% to 100%"),
            ("    watermark: {id: logo, opacity: true}\n", "m.yaml:6:36", "from 0% to 100%"),
            ("    watermark: {id: logo, top: 1px, bottom: 2px}\n", "m.yaml:6:37", "both top and bottom"),
            ("    watermark: {id: 'a b'}\n", "m.yaml:6:21", "no spaces or '/'"),
            ("    watermark: {id: logo, size: 10px}\n", "m.yaml:6:27", "unknown key \"size\""),
            ("    segment_duration: 0\n", "m.yaml:6:23", "segment_duration 0 is out of range"),
            ("    segment_duration: 31\n", "m.yaml:6:23", "1 to 30"),
            ("    segment_duration: 2.5\n", "m.yaml:6:23", "must be a whole number"),
        ])
    func badValues(extra: String, at: String, says: String) throws {
        let found = try errors(video(extra))
        #expect(found.contains { $0.hasPrefix(at + ": error:") && $0.contains(says) }, "\(found)")
    }

    @Test("the create-time settings take one more metadata mark: 43 entries are refused beside them")
    func markRoom() throws {
        let pairs = (1...43).map { "      k\($0): v" }.joined(separator: "\n")
        let found = try errors(video("    segment_duration: 6\n    metadata:\n" + pairs + "\n"))
        #expect(found.contains { $0.contains("allows at most 42") && $0.contains("create-time settings") }, "\(found)")
    }

    @Test("provider aionvision refuses type: audio, watermark and segment_duration where they are written")
    func aionvision() throws {
        let found = try errors(
            "project: demo\nprovider: aionvision\nvideos:\n  intro:\n    title: A\n    source: audio-1s.mp3\n    type: audio\n"
                + "  other:\n    title: B\n    source: clip.mp4\n    watermark: {id: logo}\n    segment_duration: 6\n")
        #expect(found.contains { $0.hasPrefix("m.yaml:7:5: error:") && $0.contains("cannot honour `type: audio`") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("m.yaml:11:5: error:") && $0.contains("cannot honour `watermark`") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("m.yaml:12:5: error:") && $0.contains("cannot honour `segment_duration`") }, "\(found)")
    }

    @Test("a URL source is judged by its extension: .mp3 needs type: audio, and type: audio refuses .mp4")
    func remoteSources() throws {
        let mp3 = try errors(video("    type: audio\n", source: "https://media.example.com/a.mp3"))
        #expect(mp3.isEmpty, "\(mp3)")
        let mp4 = try errors(video("    type: audio\n", source: "https://media.example.com/a.mp4"))
        #expect(mp4.contains { $0.hasPrefix("m.yaml:6:11: error:") && $0.contains("name it .m4a") }, "\(mp4)")
    }
}

@Suite("the JSON Schema's media fields")
struct MediaSchemaTests {
    static let valid = """
        project: audio
        videos:
          song:
            title: Song
            source: media/song.mp3
            type: audio
            segment_duration: 4
            qualities:
              - resolution: audio
                audio_config: {bitrate: 96000}
          intro:
            title: Intro
            source: media/intro.mp4
            watermark: {id: logo-1, top: 10px, right: "5%", width: 12.5%, opacity: 0.8}
            segment_duration: 6

        """

    @Test("the schema accepts type, watermark and segment_duration as the loader does, and refuses what it refuses")
    func schema() async throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("valid/m.yaml", Self.valid)
        let (status, output) = try await ToolRun.runOffPool(
            "python3", ["scripts/check-schema.py", "--valid", ws.path + "/valid"])
        #expect(status == 0, "\(output)")
        let invalid = [
            "type: podcast", "segment_duration: 0", "segment_duration: 31", "watermark: {top: 10px}",
            "watermark: {id: a, top: 10}", "watermark: {id: a, left: 10em}", "watermark: {id: a, opacity: 1.5}",
            "watermark: {id: a, left: 1px, right: 1px}",
        ]
        for (index, line) in invalid.enumerated() {
            try ws.write(
                "invalid/\(index).yaml", "project: p\nvideos:\n  a:\n    title: A\n    source: media/a.mp4\n    \(line)\n")
        }
        let (refused, findings) = try await ToolRun.runOffPool(
            "python3", ["scripts/check-schema.py", "--invalid", ws.path + "/invalid"])
        #expect(refused == 0, "\(findings)")
    }
}
