import Foundation
import TestSupport
import Testing

@Suite("streamplan fmt", .gated)
struct FmtCLITests {
    static let messy = """
        videos:
            extra:
                # the trailer again
                source: media/intro.mp4
                title: Extra

        """
    static let tidy = """
        videos:
          extra:
            title: Extra
            # the trailer again
            source: media/intro.mp4

        """

    private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("the repository's manifests pass fmt --check (CI runs this through swift test)")
    func examplesPassCheck() async throws {
        let result = try await streamplan(["fmt", "--check", "manifests"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("fmt --help shows a usage example")
    func help() async throws {
        let result = try await streamplan(["fmt", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
    }

    @Test("--check names the file that would change, exits 3 and writes nothing; --diff shows the change")
    func check() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let file = copy.path + "/manifests/extra.yaml"
        try Self.messy.write(toFile: file, atomically: true, encoding: .utf8)
        let checked = try await streamplan(["fmt", "--check", "manifests"], in: copy.path)
        #expect(checked.status == 3, "\(checked.stderr)")
        #expect(checked.stdout == "manifests/extra.yaml\n")
        #expect(checked.stderr.contains("1 file would be reformatted"))
        #expect(try contents(file) == Self.messy)

        let diffed = try await streamplan(["fmt", "--check", "--diff", "manifests"], in: copy.path)
        #expect(diffed.status == 3)
        #expect(
            diffed.stdout == """
                --- a/manifests/extra.yaml
                +++ b/manifests/extra.yaml
                @@ -1,5 +1,5 @@
                 videos:
                -    extra:
                -        # the trailer again
                -        source: media/intro.mp4
                -        title: Extra
                +  extra:
                +    title: Extra
                +    # the trailer again
                +    source: media/intro.mp4

                """)
        #expect(try contents(file) == Self.messy)
    }

    @Test("fmt rewrites the file, which still validates, and a second --check passes")
    func write() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let file = copy.path + "/manifests/extra.yaml"
        try Self.messy.write(toFile: file, atomically: true, encoding: .utf8)
        let formatted = try await streamplan(["fmt", "manifests"], in: copy.path)
        #expect(formatted.status == 0, "\(formatted.stderr)")
        #expect(formatted.stdout == "manifests/extra.yaml\n")
        #expect(try contents(file) == Self.tidy)
        let validated = try await streamplan(["validate", "manifests"], in: copy.path)
        #expect(validated.status == 0, "\(validated.stderr)")
        let again = try await streamplan(["fmt", "--check", "manifests"], in: copy.path)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    }

    @Test("a file with a YAML error is named with line and column and left untouched; the others are formatted")
    func yamlError() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let broken = "videos:\n    bad: [1, 2\n    worse: true\n"
        try broken.write(toFile: copy.path + "/manifests/broken.yaml", atomically: true, encoding: .utf8)
        try Self.messy.write(toFile: copy.path + "/manifests/extra.yaml", atomically: true, encoding: .utf8)
        let result = try await streamplan(["fmt", "manifests"], in: copy.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(/manifests\/broken\.yaml:\d+:\d+: error: .+left untouched/), "\(result.stderr)")
        #expect(try contents(copy.path + "/manifests/broken.yaml") == broken)
        #expect(try contents(copy.path + "/manifests/extra.yaml") == Self.tidy)
    }

    @Test("a file fmt cannot lay out is left as it is with a note, and does not fail --check")
    func leftAsIs() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let odd =
            "videos:\n    odd:\n        title: Odd\n        source: media/intro.mp4\n        tags:\n        -\n            odd\n"
        try odd.write(toFile: copy.path + "/manifests/odd.yaml", atomically: true, encoding: .utf8)
        let result = try await streamplan(["fmt", "--check", "manifests"], in: copy.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "manifests/odd.yaml: note: left as it is: line 7: a list item that starts on the line after its dash"),
            "\(result.stderr)")
        let written = try await streamplan(["fmt", "manifests"], in: copy.path)
        #expect(written.status == 0)
        #expect(try contents(copy.path + "/manifests/odd.yaml") == odd)
    }

    @Test("a missing path is an error that names it")
    func missingPath() async throws {
        let result = try await streamplan(["fmt", "--check", "no-such-dir"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no-such-dir: no such file or directory"))
    }
}
