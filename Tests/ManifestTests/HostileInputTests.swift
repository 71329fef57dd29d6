import Foundation
import Testing

@testable import Manifest

#if canImport(Glibc)
    import Glibc
#endif

/// Files that are not what they seem, and input built to flood the output (issue: reliability).
@Suite("hostile input: FIFOs, devices, escaping symlinks, huge values, short secrets", .timeLimit(.minutes(1)))
struct HostileInputTests {
    /// Loads `paths`. A FIFO used to block this forever; the suite's time limit catches a hang.
    func loadQuickly(_ paths: [String]) throws -> ManifestLoadResult {
        ManifestLoader(environmentSecret: nil).load(paths)
    }

    @Test("a FIFO named like a manifest is refused at once, not read")
    func fifoManifest() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("m.yaml", video())
        #expect(mkfifo(ws.path + "/pipe.yaml", 0o644) == 0)
        let result = try loadQuickly([ws.path])
        #expect(result.manifest == nil)
        #expect(
            ws.findings(result).contains(
                "pipe.yaml:1:1: error: the file is a FIFO (named pipe), not a regular file; manifests must be regular files"))
        // Named on its own, too.
        let alone = try loadQuickly([ws.path + "/pipe.yaml"])
        #expect(alone.diagnostics.first?.message.contains("is a FIFO (named pipe)") == true)
    }

    @Test("a FIFO or a device as source or thumbnail is refused at once", arguments: ["source", "thumbnail"])
    func fifoMedia(role: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        #expect(mkfifo(ws.path + "/pipe.mp4", 0o644) == 0)
        let text = role == "source" ? video(source: "pipe.mp4") : video("    thumbnail: pipe.mp4\n")
        let result = try ws.load(text)
        #expect(
            ws.findings(result).contains { $0.contains("\(role) \"pipe.mp4\" is a FIFO (named pipe), not a regular file") },
            "\(ws.findings(result))")
    }

    @Test("a device given as a manifest is refused without reading it")
    func deviceManifest() throws {
        let result = try loadQuickly(["/dev/zero"])
        #expect(
            result.diagnostics.first?.message
                == "the file is a character device, not a regular file; manifests must be regular files")
    }

    @Test("a manifest symlink out of the directory is refused and never read (its content is not echoed)")
    func manifestSymlinkEscape() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let outside = try Workspace()
        defer { outside.remove() }
        try outside.write("secret.yaml", "root:x:0:0:root:/root:/bin/bash\n")
        try ws.write("m.yaml", video())
        try FileManager.default.createSymbolicLink(
            atPath: ws.path + "/passwd.yaml", withDestinationPath: outside.path + "/secret.yaml")
        try FileManager.default.createSymbolicLink(atPath: ws.path + "/zero.yaml", withDestinationPath: "/dev/zero")
        let result = try loadQuickly([ws.path])
        let text = result.diagnostics.map(\.description).joined(separator: "\n")
        #expect(
            text.contains(
                "passwd.yaml resolves to \(outside.path)/secret.yaml, outside \(ws.path); manifest files must stay under"))
        #expect(text.contains("zero.yaml resolves to /dev/zero, outside"))
        #expect(!text.contains("root:x:0"))
        #expect(result.manifest == nil)
    }

    @Test("a huge value is echoed cut to 80 characters, on one line")
    func hugeValue() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let huge = String(repeating: "k", count: 2_000_000)
        let result = try ws.load(video("    qualities: [\(huge)]\n    \"two\\nlines\": 2\n"))
        let messages = result.diagnostics.map(\.message)
        let unknown = try #require(messages.first { $0.hasPrefix("unknown resolution") }, "\(messages.map { $0.prefix(100) })")
        #expect(unknown.hasPrefix("unknown resolution \"" + String(repeating: "k", count: 80) + "…\""), "\(unknown)")
        #expect(messages.contains { $0.hasPrefix("unknown key \"two\\nlines\"") }, "\(messages)")
        #expect(messages.allSatisfy { $0.count <= Diagnostic.maxMessage + 1 && !$0.contains("\n") })
    }

    @Test("a value equal to a short STREAM_SECRET_KEY is caught; a longer value merely containing it is not")
    func shortSecret() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let equal = try ws.load(video("    description: s3cr\n"), secret: "s3cr")
        #expect(ws.findings(equal).contains { $0.contains("STREAM_SECRET_KEY") })
        let containing = try ws.load(video("    description: not s3cr at all\n"), secret: "s3cr")
        #expect(!ws.findings(containing).contains { $0.contains("STREAM_SECRET_KEY") })
    }

    /// A 1 MiB source path used to take minutes: the suggestion compared it with every file in the
    /// directory by edit distance (the product of the lengths). Words past 255 characters get none,
    /// and a candidate whose length alone rules it out is skipped.
    @Test("no suggestion for a word longer than any name; near names are still suggested")
    func suggestionBounds() {
        let long = String(repeating: "a", count: 300)
        #expect(Suggest.closest(to: long, in: [long, long + "b"]) == nil)
        #expect(Suggest.closest(to: "intor.mp4", in: ["intro.mp4", String(repeating: "i", count: 5000)]) == "intro.mp4")
        #expect(Suggest.closest(to: "a", in: ["abcdefgh"]) == nil)
    }

    /// manifest-fuzz found `thumbnail: m` in a manifest given by a bare name (`validate m.yaml`)
    /// crashing validate: Foundation's `deletingLastPathComponent` traps on a one-character path.
    @Test("the directory of a path, one-character paths included, as NSString gives it where it does not trap")
    func directoryOfPath() {
        for (path, directory) in [
            ("m", ""), (".", ""), ("é", ""), ("m/", ""), ("/", "/"), ("/a", "/"), ("a/b/c", "a/b"), ("a/b/", "a"),
            ("a//b", "a"), ("/tmp/x.yaml", "/tmp"), ("", ""),
        ] {
            #expect(Paths.directory(of: path) == directory, "\(path)")
        }
        for path in ["ab", "/x/ab", "a/b/c", "/tmp/lock/", "//a", "a//b/"] {
            #expect(Paths.directory(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
    }
}
