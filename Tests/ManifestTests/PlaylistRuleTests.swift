import Foundation
import Testing

@testable import Manifest

/// Two videos, then `playlists:` with `body` under `course:` (at 4 spaces).
private func playlist(_ body: String) -> String {
    "project: demo\nvideos:\n  intro: {title: Intro, source: clip.mp4}\n  lesson-1: {title: One, source: clip.mp4}\n"
        + "playlists:\n  course:\n" + body
}

private let playlistCases: [RuleCase] = [
    RuleCase(
        rule: "playlist: a video not in the manifests, with a did-you-mean",
        yaml: playlist("    videos: [intro, lesson1]\n"), at: "m.yaml:7:21",
        says: "playlist.course names video lesson1, which is not in the manifests; did you mean lesson-1?"),
    RuleCase(
        rule: "playlist: a video listed twice names the first place",
        yaml: playlist("    videos:\n      - intro\n      - lesson-1\n      - intro\n"), at: "m.yaml:10:9",
        says: "video intro is listed twice in playlist.course (first at line 8)"),
    RuleCase(
        rule: "playlist: an unknown key with a did-you-mean", yaml: playlist("    video: [intro]\n"), at: "m.yaml:7:5",
        says: "unknown key \"video\" in playlist.course; did you mean \"videos\"?"),
    RuleCase(
        rule: "playlist: a missing thumbnail file", yaml: playlist("    thumbnail: nope.jpg\n"), at: "m.yaml:7:16",
        says: "thumbnail file \"nope.jpg\" does not exist"),
    RuleCase(
        rule: "playlist: a thumbnail that is not an image", yaml: playlist("    thumbnail: clip.mp4\n"), at: "m.yaml:7:16",
        says: "thumbnail \"clip.mp4\" is not"),
    RuleCase(
        rule: "playlist: reserved metadata key", yaml: playlist("    metadata: {streamplan.project: x}\n"),
        at: "m.yaml:7:16", says: "uses the prefix \"streamplan.\""),
    RuleCase(
        rule: "playlist: too many metadata entries",
        yaml: playlist("    metadata: {" + (0..<44).map { "k\($0): v" }.joined(separator: ", ") + "}\n"), at: "m.yaml:7:15",
        says: "44 metadata entries; at most 43 are allowed"),
    RuleCase(
        rule: "playlist: an empty name", yaml: playlist("    name: \"\"\n"), at: "m.yaml:7:11",
        says: "name"),
    RuleCase(
        rule: "playlist: defined twice",
        yaml: playlist("    videos: [intro]\n") + "---\nplaylists:\n  course: {videos: [intro]}\n",
        at: "m.yaml:10:3", says: "playlist.course is defined twice: here and at "),
    RuleCase(
        rule: "playlist: refused on aionvision",
        yaml: "project: demo\nprovider: aionvision\nvideos:\n  intro: {title: Intro, source: clip.mp4}\n"
            + "playlists:\n  course: {videos: [intro]}\n",
        at: "m.yaml:6:3", says: "playlist.course: Aionvision has no playlists"),
]

@Suite("playlist rules")
struct PlaylistRuleTests {
    @Test("each playlist rule is reported at its exact file:line:column", arguments: playlistCases)
    func rule(_ c: RuleCase) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(c.yaml)
        let findings = ws.findings(result)
        let expected = "\(c.at): \(c.severity.rawValue): "
        #expect(
            findings.contains { $0.hasPrefix(expected) && $0.contains(c.says) },
            "expected \(expected)…\(c.says)… in:\n\(findings.joined(separator: "\n"))")
        #expect(result.manifest == nil)
    }

    @Test("a valid playlist loads with its name defaulting to the key, in the order written")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            playlist(
                "    tags: [course]\n    metadata: {level: beginner}\n    type: series\n    thumbnail: thumb.jpg\n"
                    + "    videos: [lesson-1, intro]\n") + "  empty: {}\n")
        #expect(ws.findings(result) == [])
        let manifest = try #require(result.manifest)
        #expect(manifest.playlists.map(\.name) == ["course", "empty"])
        let course = manifest.playlists[0]
        #expect(course.displayName == "course" && course.videos == ["lesson-1", "intro"])
        #expect(course.tags == ["course"] && course.metadata == [MetadataEntry(key: "level", value: "beginner")])
        #expect(course.type == "series" && course.thumbnail?.format == .jpeg)
        #expect(manifest.playlists[1].videos.isEmpty)
    }
}
