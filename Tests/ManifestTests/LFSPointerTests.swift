import Foundation
import Testing

@testable import Manifest

private let oid = String(repeating: "ab", count: 32)
private let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize 12345\n"

@Suite("Git LFS pointers as sources")
struct LFSPointerTests {
    @Test("a pointer as Git LFS writes it is read: oid and size; extension keys are allowed")
    func valid() throws {
        #expect(try LFSPointer.parse(Data(pointer.utf8)).get() == LFSPointer(oid: oid, size: 12345))
        let extended =
            "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:\(oid)\noid sha256:\(oid)\nsize 0\n"
        #expect(try LFSPointer.parse(Data(extended.utf8)).get() == LFSPointer(oid: oid, size: 0))
        #expect(LFSPointer(oid: oid, size: 12345).text == pointer)
        let hawser = "version https://hawser.github.com/spec/v1\noid sha256:\(oid)\nsize 7\n"
        #expect(try LFSPointer.parse(Data(hawser.utf8)).get() == LFSPointer(oid: oid, size: 7))
    }

    @Test(
        "malformed pointers are refused with the reason",
        arguments: [
            ("version https://git-lfs.github.com/spec/v1\r\noid sha256:\(oid)\r\nsize 1\r\n", "CR LF"),
            ("version https://git-lfs.github.com/spec/v1\nsize 1\noid sha256:\(oid)\n", "keys are sorted"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid.prefix(60))\nsize 1\n", "64 lowercase hex"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid.uppercased())\nsize 1\n", "64 lowercase hex"),
            ("version https://git-lfs.github.com/spec/v1\noid md5:\(oid)\nsize 1\n", "sha256:<64 hex digits>"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\n", "no \"size"),
            ("version https://git-lfs.github.com/spec/v1\nsize 1\n", "no \"oid"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize -3\n", "not a number"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize 1", "does not end in LF"),
            ("version https://git-lfs.github.com/spec/v2\noid sha256:\(oid)\nsize 1\n", "its first line"),
            ("version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\noid sha256:\(oid)\nsize 1\n", "repeated"),
            (pointer + "zz " + String(repeating: "x", count: 1100) + "\n", "smaller than 1024"),
        ])
    func malformed(text: String, reason: String) throws {
        guard case .failure(let problem) = LFSPointer.parse(Data(text.utf8)) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(problem.message.contains(reason), "\(problem.message)")
    }

    @Test("a source, thumbnail or caption that is a pointer is read as one: the content's size, the format by extension")
    func manifest() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("media/big.mp4", pointer)
        try ws.write("media/cover.png", pointer)
        try ws.write("subs/en.vtt", pointer)
        let result = try ws.load(
            "project: demo\nvideos:\n  intro:\n    title: Hello\n    source: media/big.mp4\n    thumbnail: media/cover.png\n"
                + "    captions: {en: subs/en.vtt}\n")
        #expect(ws.findings(result) == [])
        let video = try #require(result.manifest?.videos.first)
        #expect(video.source.lfs == LFSPointer(oid: oid, size: 12345))
        #expect(video.source.size == 12345)
        #expect(video.source.format == .mp4)
        #expect(video.thumbnail?.lfs?.oid == oid && video.thumbnail?.format == .png)
        #expect(video.captions.first?.lfs?.oid == oid)
    }

    @Test("validate reports a malformed pointer at the source value's file:line:column, with what is allowed")
    func malformedInManifest() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("media/big.mp4", "version https://git-lfs.github.com/spec/v1\nsize 1\noid sha256:\(oid)\n")
        try ws.write("media/clip.mkv", pointer)
        let result = try ws.load(
            "project: demo\nvideos:\n  intro:\n    title: Hello\n    source: media/big.mp4\n  other:\n    title: Other\n"
                + "    source: media/clip.mkv\n")
        let findings = ws.findings(result)
        #expect(findings.count == 2, "\(findings)")
        #expect(
            findings.first?.hasPrefix("m.yaml:5:13: error: source \"media/big.mp4\" is a malformed Git LFS pointer: line 3")
                == true, "\(findings)")
        #expect(findings.first?.contains("keys in alphabetical order") == true, "\(findings)")
        #expect(
            findings.last?.hasPrefix("m.yaml:8:13: error: source \"media/clip.mkv\" is a Git LFS pointer") == true, "\(findings)")
        #expect(findings.last?.contains(".mp4, .mov, .m4v, .webm, .avi") == true, "\(findings)")
    }

    @Test("validate warns once about the checks a pointer skips (resolution, WebVTT), at the first video concerned")
    func skippedChecks() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("media/big.mp4", pointer)
        try ws.write("subs/en.vtt", pointer)
        let result = try ws.load(
            "project: demo\nvideos:\n  plain:\n    title: Plain\n    source: clip.mp4\n  intro:\n    title: Hello\n"
                + "    source: media/big.mp4\n    qualities: [720p]\n    captions: {en: subs/en.vtt}\n")
        #expect(ws.findings(result) == [])
        let manifest = try #require(result.manifest)
        let warnings = SourceResolutionRules.warnings(manifest).map {
            $0.description.replacingOccurrences(of: ws.path + "/", with: "")
        }
        #expect(
            warnings == [
                "m.yaml:6:3: warning: not checked: LFS pointer, media not fetched: the qualities of 1 video are not compared with "
                    + "the source's resolution, and 1 caption or chapter file is not checked as WebVTT "
                    + "(first: video.intro, \"media/big.mp4\")"
            ], "\(warnings)")
    }
}
