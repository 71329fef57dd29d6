import Foundation
import Testing

@testable import Manifest

/// `live_streams: KEY: {type, thumbnail}`: decoded, and each rule reported at its position.
@Suite("live key type and thumbnail manifests")
struct LiveKeyManifestTests {
    func manifest(_ lines: String) -> String {
        "project: demo\nlive_streams:\n  radio:\n    name: Radio\n" + lines
    }

    @Test("type audio and a PNG thumbnail are decoded; without them, no type and no thumbnail")
    func decoded() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(manifest("    type: audio\n    thumbnail: thumb.png\n"))
        #expect(ws.findings(result) == [])
        let spec = try #require(result.manifest?.liveStreams.first)
        #expect(spec.type == "audio")
        #expect(spec.thumbnail?.written == "thumb.png" && spec.thumbnail?.path.hasSuffix("/thumb.png") == true)
        let plain = try #require(try ws.load(manifest("")).manifest?.liveStreams.first)
        #expect(plain.type == nil && plain.thumbnail == nil)
    }

    @Test(
        "each rule is reported where it is broken, with what is allowed",
        arguments: [
            ("    type: podcast\n", "m.yaml:5:11", "allowed: video, audio"),
            ("    type: [audio]\n", "m.yaml:5:11", "type"),
            ("    thumbnail: missing.png\n", "m.yaml:5:16", "missing.png"),
            ("    thumbnail: notes.txt\n", "m.yaml:5:16", "PNG or JPEG"),
            ("    thumbnail: https://example.com/a.png\n", "m.yaml:5:16", "must be a local file"),
        ])
    func rules(body: String, at: String, says: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(manifest(body))
        let findings = ws.findings(result)
        #expect(findings.contains { $0.hasPrefix("\(at): error:") && $0.contains(says) }, "\(findings)")
        #expect(result.manifest == nil)
    }

    @Test("fmt puts type and thumbnail after save and before the streamings, as the docs' table")
    func formatted() throws {
        let messy = """
            project: demo
            live_streams:
              radio:
                streamings:
                  morning:
                    title: Morning
                thumbnail: thumb.png
                type: audio
                name: Radio
            """
        let expected = """
            project: demo
            live_streams:
              radio:
                name: Radio
                type: audio
                thumbnail: thumb.png
                streamings:
                  morning:
                    title: Morning
            """
        #expect(try FormatTests.format(messy) == expected)
    }
}
