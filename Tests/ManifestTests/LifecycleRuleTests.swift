import Foundation
import Testing

@testable import Manifest

/// Two videos and a key to move between, with `moved` (lines from 2) written above them.
private func moves(_ blocks: String) -> String {
    "project: demo\nmoved:\n" + blocks
        + "videos:\n  intro:\n    title: Hello\n    source: clip.mp4\n  other:\n    title: Other\n    source: clip.mp4\n"
        + "live_streams:\n  studio:\n    name: Studio\n"
}

let lifecycleCases: [RuleCase] = [
    RuleCase(
        rule: "ignore names a field the kind does not have, with a did-you-mean", yaml: video("    ignore: [titel]\n"),
        at: "m.yaml:6:14", says: "video.intro cannot ignore \"titel\"; did you mean \"title\"? Fields a video can leave"),
    RuleCase(
        rule: "ignore on a key names a video's field",
        yaml: "project: demo\nlive_streams:\n  s:\n    name: S\n    ignore: [tags]\n",
        at: "m.yaml:5:14",
        says: "live_stream.s cannot ignore \"tags\" Fields a live_stream can leave to the dashboard: name, save."),
    RuleCase(
        rule: "protect must be a boolean", yaml: video("    protect: maybe\n"), at: "m.yaml:6:14", says: "protect"),
    RuleCase(
        rule: "moved to an address not defined, with a did-you-mean", yaml: moves("  - {from: video.old, to: video.intr}\n"),
        at: "m.yaml:3:5", says: "moved to video.intr: no such video in the manifests; did you mean video.intro?"),
    RuleCase(
        rule: "moved from an address still defined", yaml: moves("  - {from: video.other, to: video.intro}\n"),
        at: "m.yaml:3:5", says: "moved from video.other, which the manifests still define"),
    RuleCase(
        rule: "moved between kinds", yaml: moves("  - {from: live_stream.old, to: video.intro}\n"), at: "m.yaml:3:5",
        says: "both addresses must be of one kind"),
    RuleCase(
        rule: "an address moved twice",
        yaml: moves("  - {from: video.old, to: video.intro}\n  - {from: video.old, to: video.other}\n"), at: "m.yaml:4:5",
        says: "video.old is moved twice: here and at m.yaml:3:5"),
    RuleCase(
        rule: "two objects moved to one address",
        yaml: moves("  - {from: video.a, to: video.intro}\n  - {from: video.b, to: video.intro}\n"), at: "m.yaml:4:5",
        says: "two objects are moved to video.intro: here and at m.yaml:3:5"),
    RuleCase(
        rule: "moved from something that is not an address", yaml: moves("  - {from: intro, to: video.intro}\n"),
        at: "m.yaml:3:12", says: "moved from \"intro\" is not an address"),
    RuleCase(
        rule: "a moved block without to", yaml: moves("  - {from: video.old}\n"), at: "m.yaml:3:6",
        says: "a moved block is missing to"),
]

@Suite("moved, protect and ignore in manifests")
struct LifecycleRuleTests {
    @Test("each rule is reported at its exact file:line:column", arguments: lifecycleCases)
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

    @Test("valid blocks and keys load: moves, protection and ignored fields by address")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            moves(
                "  - {from: video.old, to: video.intro}\n  - {from: live_stream.old.streaming.a, to: live_stream.studio.streaming.a}\n"
            )
            .replacingOccurrences(
                of: "    name: Studio\n",
                with: "    name: Studio\n    protect: true\n    streamings:\n      a: {title: A, ignore: [title]}\n"
            )
            .replacingOccurrences(
                of: "    title: Hello\n", with: "    title: Hello\n    ignore: [title, tags]\n    protect: false\n"))
        let manifest = try #require(result.manifest, "\(ws.findings(result))")
        #expect(
            manifest.moves.map { "\($0.from)>\($0.to)" } == [
                "video.old>video.intro", "live_stream.old.streaming.a>live_stream.studio.streaming.a",
            ])
        #expect(manifest.lifecycle["video.intro"]?.ignore == ["title", "tags"])
        #expect(manifest.lifecycle["video.intro"]?.protect == false)
        #expect(manifest.lifecycle["live_stream.studio"]?.protect == true)
        #expect(manifest.lifecycle["live_stream.studio.streaming.a"]?.ignore == ["title"])
    }
}
