import Foundation
import TestSupport
import Testing
import YAMLNodes

@testable import Manifest

/// `streamplan fmt` over the example manifests and the fuzz corpus (scripts/reliability.py feeds
/// manifest-fuzz every *.yaml under manifests/ and Tests/ManifestTests/Fixtures/).
@Suite("formatting manifests")
struct FormatTests {
    /// Repository-relative paths of the example manifests.
    static let examples: [String] = yamlFiles(under: "manifests")

    /// The fuzz corpus: the examples and every fixture (generated benchmark files aside).
    static let corpus: [String] = examples + yamlFiles(under: "Tests/ManifestTests/Fixtures").filter { !$0.contains("/bench/") }

    static func yamlFiles(under directory: String) -> [String] {
        let root = repositoryRoot + "/" + directory
        let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { directory + "/" + $0 }.sorted()
    }

    /// The keys of the manifest's own mappings in the reverse of the canonical order.
    static let reversed = YAMLFormatter(keyOrder: reversedKeys(at:))
    static let reversedWide = YAMLFormatter(keyOrder: reversedKeys(at:), indentWidth: 4)

    @Sendable static func reversedKeys(at path: [String]) -> [String]? {
        guard let keys = ManifestFormat.canonicalKeys(at: path) else { return nil }
        return keys.reversed()
    }

    struct NotFormatted: Error, CustomStringConvertible {
        var description: String
    }

    static func format(_ text: String, with formatter: YAMLFormatter = ManifestFormat.formatter) throws -> String {
        switch formatter.format(text, file: "m.yaml") {
        case .formatted(let result): return result
        case .leftAsIs(let reason): throw NotFormatted(description: "left as it is: \(reason)")
        case .invalid(let diagnostics): throw NotFormatted(description: "invalid: \(diagnostics.map(\.description))")
        }
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8)
    }

    /// A YAML document as text with every mapping's keys sorted: equal for equal values whatever
    /// the key order and layout (scalars keep whether they were quoted, which decides their type).
    static func canonicalDump(_ text: String) -> String {
        func dump(_ node: YAMLNode) -> String {
            let tag = node.tag.map { "!<\($0)>" } ?? ""
            switch node.content {
            case .scalar(let s): return tag + (s.style.isPlain ? "plain:" : "quoted:") + s.value.debugDescription
            case .sequence(let items): return tag + "[" + items.map(dump).joined(separator: ", ") + "]"
            case .mapping(let pairs):
                return tag + "{" + pairs.map { dump($0.key) + ": " + dump($0.value) }.sorted().joined(separator: ", ") + "}"
            }
        }
        let parsed = YAMLLoader.parse(text, file: "m.yaml")
        return parsed.documents.map { $0.root.map(dump) ?? "~" }.joined(separator: "\n---\n")
            + parsed.diagnostics.map(\.message).joined(separator: "\n")
    }

    @Test("every example is already formatted: fmt --check passes on it", arguments: examples)
    func examplesAreCanonical(path: String) throws {
        let text = try Self.read(path)
        #expect(try Self.format(text) == text)
    }

    @Test(
        "on every file of the fuzz corpus fmt is idempotent and keeps every comment and every value",
        arguments: corpus)
    func corpusFile(path: String) throws {
        let text = try Self.read(path)
        for variant in [text, try Self.format(text, with: Self.reversed), try Self.format(text, with: Self.reversedWide)] {
            let once = try Self.format(variant)
            #expect(try Self.format(once) == once, "formatting twice differs from once")
            let before = try #require(YAMLFormatter.comments(in: variant))
            #expect(before.sorted() == YAMLFormatter.comments(in: once)?.sorted(), "a comment was lost or changed")
            // Checked against the raw text too: every `#` is in a value or in a comment.
            let inComments = before.map { $0.filter { $0 == "#" }.count }.reduce(0, +)
            #expect(inComments + Self.hashesInValues(variant) == variant.filter { $0 == "#" }.count)
            #expect(Self.canonicalDump(once) == Self.canonicalDump(text))
        }
    }

    /// How many `#` of `text` are inside values (keys and scalars; the corpus writes none in an
    /// escape, an anchor or a tag).
    static func hashesInValues(_ text: String) -> Int {
        let parsed = YAMLLoader.parse(text, file: "m.yaml")
        func count(_ node: YAMLNode) -> Int {
            switch node.content {
            case .scalar(let s): return s.value.filter { $0 == "#" }.count
            case .sequence(let items): return items.map(count).reduce(0, +)
            case .mapping(let pairs): return pairs.map { count($0.key) + count($0.value) }.reduce(0, +)
            }
        }
        return parsed.documents.compactMap(\.root).map(count).reduce(0, +)
    }

    @Test("examples with their keys reversed come back exactly as they were", arguments: examples)
    func reversedComesBack(path: String) throws {
        let text = try Self.read(path)
        let shuffled = try Self.format(text, with: Self.reversed)
        #expect(try Self.format(shuffled) == text)
    }

    @Test("the loaded manifest is the same before fmt, after shuffling and re-indenting, and after fmt")
    func manifestsEqual() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: repositoryRoot + "/manifests", toPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func load() throws -> String {
            let result = ManifestLoader(environmentSecret: nil).load([directory])
            return Self.normalized(try #require(result.manifest, "\(result.diagnostics.map(\.description))"))
        }
        let original = try load()
        let files = ManifestLoader.manifestFiles(in: directory).files
        #expect(files.count == Self.examples.count)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try Self.format(text, with: Self.reversedWide).write(toFile: file, atomically: true, encoding: .utf8)
        }
        let messy = try load()
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try Self.format(text).write(toFile: file, atomically: true, encoding: .utf8)
        }
        let formatted = try load()
        #expect(messy == original)
        #expect(formatted == original)
    }

    /// The manifest with the places things are written in taken out.
    static func normalized(_ manifest: Manifest) -> String {
        var m = manifest
        let nowhere = SourceLocation(file: "", line: 0, column: 0)
        m.profiles = m.profiles.map {
            var p = $0
            p.location = nowhere
            p.qualityLocations = []
            return p
        }
        m.videos = m.videos.map {
            var v = $0
            v.location = nowhere
            v.qualityLocations = []
            return v
        }
        m.liveStreams = m.liveStreams.map {
            var l = $0
            l.location = nowhere
            l.streamings = l.streamings.map {
                var s = $0
                s.location = nowhere
                return s
            }
            return l
        }
        m.videos = m.videos.map {
            var v = $0
            v.captions = v.captions.map {
                var c = $0
                c.location = nowhere
                return c
            }
            v.chapters = v.chapters.map {
                var c = $0
                c.location = nowhere
                return c
            }
            return v
        }
        m.playlists = m.playlists.map {
            var p = $0
            p.location = nowhere
            return p
        }
        m.webhooks = m.webhooks.map {
            var w = $0
            w.location = nowhere
            return w
        }
        // A player's theme and controls are dictionaries, printed in no fixed order: sorted here.
        let players = m.players.map { player in
            var p = player
            p.location = nowhere
            let theme = p.theme.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let controls = p.controls.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            p.theme = [:]
            p.controls = [:]
            return "\(p) theme \(theme) controls \(controls)"
        }
        m.players = []
        return String(describing: m) + "\nplayers: \(players)"
    }

    @Test("a shuffled, four-space manifest is laid out canonically")
    func messyManifest() throws {
        let messy = """
            # The header stays on top.

            videos:
                intro: &base
                    metadata: {course: swift-101}
                    # the file to upload
                    source: media/intro.mp4     # H.264
                    title: "Intro: #1"
                    qualities:
                    -   video_config: {bitrate: 1000000, codec: h264}
                        resolution: 480p
                    -   720p
                again:
                    title: Again
                    <<: *base
            project: acme   # the namespace
            """
        let expected = """
            # The header stays on top.

            project: acme   # the namespace
            videos:
              intro: &base
                title: "Intro: #1"
                # the file to upload
                source: media/intro.mp4         # H.264
                metadata: {course: swift-101}
                qualities:
                  - resolution: 480p
                    video_config: {codec: h264, bitrate: 1000000}
                  - 720p
              again:
                <<: *base
                title: Again
            """
        let result = try Self.format(messy)
        #expect(result == expected)
        #expect(try Self.format(result) == result)
        #expect(YAMLFormatter.comments(in: result)?.sorted() == YAMLFormatter.comments(in: messy)?.sorted())
        #expect(Self.canonicalDump(result) == Self.canonicalDump(messy))
    }

    @Test("the unified diff shows changed lines with their context")
    func unifiedDiff() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n"
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\n"
        #expect(
            UnifiedDiff.diff(old, new, oldName: "a/m.yaml", newName: "b/m.yaml")
                == "--- a/m.yaml\n+++ b/m.yaml\n@@ -2,8 +2,9 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n i\n+j\n")
        #expect(UnifiedDiff.diff(old, old, oldName: "a", newName: "b").isEmpty)
    }

    /// Applies a unified diff to `old` as `patch` would, checking every context and removed line.
    static func apply(_ diff: String, to old: [String]) -> [String]? {
        var result: [String] = []
        var next = 0  // the next line of `old` not yet copied
        var lines = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropFirst(2)
        while let header = lines.first, header.hasPrefix("@@ -") {
            lines = lines.dropFirst()
            let numbers = header.dropFirst(4).split(separator: " ")[0].split(separator: ",")
            guard let start = Int(numbers[0]), let count = Int(numbers[1]) else { return nil }
            let first = count == 0 ? start : start - 1
            guard first >= next, first <= old.count else { return nil }
            result += old[next..<first]
            next = first
            while let line = lines.first, let mark = line.first, mark == " " || mark == "-" || mark == "+" {
                lines = lines.dropFirst()
                let text = String(line.dropFirst())
                if mark == "+" {
                    result.append(text)
                    continue
                }
                guard next < old.count, old[next] == text else { return nil }
                if mark == " " { result.append(text) }
                next += 1
            }
        }
        return result + old[next...]
    }

    @Test("500 random pairs of texts: applying the diff to the old text gives the new one")
    func diffApplies() {
        var random = SplitMix64(state: 7)
        for _ in 0..<500 {
            let old = (0..<random.below(40)).map { _ in "line \(random.below(8))" }
            var new = old
            for _ in 0..<random.below(6) {
                let at = random.below(new.count + 1)
                switch random.below(3) {
                case 0 where at < new.count: new.remove(at: at)
                case 1 where at < new.count: new[at] = "changed \(random.below(8))"
                default: new.insert("added \(random.below(8))", at: at)
                }
            }
            let text = { (lines: [String]) in lines.map { $0 + "\n" }.joined() }
            let diff = UnifiedDiff.diff(text(old), text(new), oldName: "a", newName: "b", context: random.below(4))
            #expect(old == new ? diff.isEmpty : Self.apply(diff, to: old) == new, "\(old) → \(new):\n\(diff)")
        }
    }
}
