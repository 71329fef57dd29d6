import Foundation
import Testing

@testable import Manifest

private let good = "WEBVTT\n\n00:00.000 --> 00:01.500\nHello\n\n01:00:00.000 --> 01:00:02.000 align:start\nBye\n"

/// A video with `extra` lines, in a workspace holding `subs/en.vtt` (valid) and `subs/bad.vtt` (`bad`).
private func check(_ extra: String, bad: String = good, provider: String = "") throws -> [String] {
    let ws = try Workspace()
    defer { ws.remove() }
    try ws.write("subs/en.vtt", good)
    try ws.write("subs/vi.vtt", good)
    try ws.write("subs/bad.vtt", bad)
    let result = try ws.load("project: demo\n\(provider)videos:\n  intro:\n    title: Hello\n    source: clip.mp4\n" + extra)
    return ws.findings(result)
}

@Suite("captions and chapters in manifests")
struct TextTrackRuleTests {
    @Test("captions, a default caption and chapters are read, in the order written")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("subs/en.vtt", good)
        try ws.write("subs/vi.vtt", "\u{FEFF}WEBVTT - Vietnamese\r\n\r\n00:01.000 --> 00:02.000\r\nXin chào\r\n")
        let result = try ws.load(
            "project: demo\nvideos:\n  intro:\n    title: Hello\n    source: clip.mp4\n"
                + "    captions: {vi: subs/vi.vtt, en: subs/en.vtt}\n    default_caption: en\n    chapters: {pt-BR: subs/en.vtt}\n"
        )
        #expect(ws.findings(result) == [])
        let video = try #require(result.manifest?.videos.first)
        #expect(video.captions.map(\.language) == ["vi", "en"])
        #expect(video.captions[1].written == "subs/en.vtt" && video.captions[1].path.hasSuffix("/subs/en.vtt"))
        #expect(video.defaultCaption == "en")
        #expect(video.chapters.map(\.language) == ["pt-BR"])
    }

    @Test("a language key that is not a language tag is refused at the key, saying what is allowed")
    func language() throws {
        let findings = try check("    captions: {English: subs/en.vtt}\n")
        #expect(
            findings.contains {
                $0.hasPrefix("m.yaml:6:16: error:") && $0.contains("\"English\" is not a language tag: 2 or 3 lowercase letters")
            }, "\(findings)")
    }

    @Test("default_caption must name one of the captions, at its position")
    func defaultCaption() throws {
        let findings = try check("    captions: {en: subs/en.vtt}\n    default_caption: fr\n")
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:7:22: error:") && $0.contains("is not one of the video's captions (en)") },
            "\(findings)")
        let none = try check("    default_caption: en\n")
        #expect(none.contains { $0.hasPrefix("m.yaml:6:22: error:") && $0.contains("the video has no captions") }, "\(none)")
    }

    @Test("a missing file is refused at the value, with the path looked for")
    func missing() throws {
        let findings = try check("    chapters: {en: subs/none.vtt}\n")
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:6:20: error:") && $0.contains("file \"subs/none.vtt\" does not exist") },
            "\(findings)")
    }

    @Test(
        "WebVTT problems are reported as file.vtt:line and at the manifest position naming the file",
        arguments: [
            ("no header", "00:00.000 --> 00:01.000\nx\n", "subs/bad.vtt:1: does not start with the WebVTT header"),
            (
                "bad timing", "WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n00:02.00 --> 00:03.000\nx\n",
                "subs/bad.vtt:6: cue start \"00:02.00\" is not a timestamp"
            ),
            (
                "end before start", "WEBVTT\n\n00:05.000 --> 00:01.000\nx\n",
                "subs/bad.vtt:3: cue ends (00:01.000) before it starts (00:05.000)"
            ),
            (
                "minutes over 59", "WEBVTT\n\n00:00.000 --> 00:61.000\nx\n",
                "subs/bad.vtt:3: cue end \"00:61.000\" is not a timestamp"
            ),
            ("no cues", "WEBVTT\n\nNOTE nothing here\n", "has no cues"),
            (
                "a mistyped arrow", "WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n00:01.000 -> 00:02.000\nlost\n",
                "subs/bad.vtt:6: has a block that is not a cue: neither its first line nor its second is a timing line"
            ),
        ])
    func webVTT(_ c: (String, String, String)) throws {
        let findings = try check("    captions: {en: subs/bad.vtt}\n", bad: c.1)
        #expect(findings.contains { $0.hasPrefix("m.yaml:6:20: error:") && $0.contains(c.2) }, "\(c.0): \(findings)")
    }

    @Test("a file that is not UTF-8 is refused with its line")
    func notUTF8() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("subs/bad.vtt", bytes: Array("WEBVTT\n\n".utf8) + [0xFF, 0xFE])
        let result = try ws.load(
            "project: demo\nvideos:\n  intro:\n    title: Hello\n    source: clip.mp4\n    captions: {en: subs/bad.vtt}\n")
        #expect(ws.findings(result).contains { $0.contains("subs/bad.vtt:3: is not UTF-8 text") }, "\(ws.findings(result))")
    }

    @Test("captions take one metadata entry from the user's 43")
    func metadataRoom() throws {
        let entries = (1...43).map { "k\($0): v" }.joined(separator: ", ")
        let findings = try check("    metadata: {\(entries)}\n    captions: {en: subs/en.vtt}\n")
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:6:15: error:") && $0.contains("a video with captions allows at most 42") },
            "\(findings)")
    }

    @Test("Aionvision refuses captions, chapters and default_caption at the key")
    func aionvision() throws {
        let findings = try check(
            "    captions: {en: subs/en.vtt}\n    default_caption: en\n    chapters: {en: subs/en.vtt}\n",
            provider: "provider: aionvision\n")
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:7:5: error:") && $0.contains("cannot honour `captions`") }, "\(findings)")
        #expect(findings.contains { $0.hasPrefix("m.yaml:8:5: error:") && $0.contains("cannot honour `default_caption`") })
        #expect(findings.contains { $0.hasPrefix("m.yaml:9:5: error:") && $0.contains("cannot honour `chapters`") })
    }

    @Test("cue timestamps: hh:mm:ss.ttt and mm:ss.ttt")
    func timestamps() {
        #expect(TextTrackRules.milliseconds("00:01.500") == 1500)
        #expect(TextTrackRules.milliseconds("01:00:00.000") == 3_600_000)
        #expect(TextTrackRules.milliseconds("100:00:00.001") == 360_000_001)
        #expect(TextTrackRules.milliseconds("1:00.000") == nil)
        #expect(TextTrackRules.milliseconds("00:00,000") == nil)
        #expect(
            TextTrackRules.isLanguageTag("zh-Hant") && !TextTrackRules.isLanguageTag("EN") && !TextTrackRules.isLanguageTag("e"))
    }
}
