import Foundation
import TestSupport
import Testing

@Suite("the streamplan command", .gated, .serialized, .eachGeneration, .namingGeneration)
struct CLITests {
    @Test(
        "--help and every subcommand's help show a usage example",
        arguments: [
            [], ["validate"], ["plan"], ["apply"], ["show"], ["status"], ["sandbox"],
        ])
    func help(subcommand: [String]) async throws {
        let result = try await streamplan(subcommand + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"), "\(result.stdout)")
    }

    @Test("--version prints the version and exits 0")
    func version() async throws {
        let result = try await streamplan(["--version"])
        #expect(result.status == 0)
        #expect(
            result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(result.stdout)")
    }

    @Test("validate accepts the examples")
    func validateExamples() async throws {
        let result = try await streamplan(["validate", "manifests"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("valid: project northwind-academy"))
    }

    @Test("validate reports every finding as file:line:column and exits 1")
    func validateErrors() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try """
        project: northwind-academy
        videos:
          broken:
            titel: Oops
            source: media/intro.mp4
            qualities: [721p]
        """.write(toFile: copy.path + "/manifests/broken.yaml", atomically: true, encoding: .utf8)
        let result = try await streamplan(["validate", "manifests"], in: copy.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "manifests/broken.yaml:4:5: error: unknown key \"titel\" in video.broken; did you mean \"title\"?"))
        #expect(result.stderr.contains("manifests/broken.yaml:6:17: error: unknown resolution \"721p\""))
    }

    @Test("plan and apply against the embedded sandbox, with exit codes")
    func sandboxRoundTrip() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let first = try await streamplan(["plan", "--sandbox", "--detailed-exitcode", "manifests"], in: copy.path)
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stdout.contains("Plan: 13 to create, 0 to update, 0 to replace, 0 to delete."))

        let unconfirmed = try await streamplan(["apply", "--sandbox", "manifests"], in: copy.path)
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("no terminal to confirm on; nothing was changed"))

        let apply = try await streamplan(["apply", "--sandbox", "--auto-approve", "manifests"], in: copy.path)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete: 13 of 13 changes made."))
        #expect(apply.stdout.contains("hls: http://127.0.0.1:"))

        let second = try await streamplan(["plan", "--sandbox", "--detailed-exitcode", "manifests"], in: copy.path)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.hasPrefix("No changes."))

        // Removing a video is a delete, which apply refuses without --allow-delete.
        try FileManager.default.removeItem(atPath: copy.path + "/manifests/live.yaml")
        var course = try String(contentsOfFile: copy.path + "/manifests/videos/course.yaml", encoding: .utf8)
        let start = try #require(course.range(of: "  office-hours:"))
        course = String(course[..<start.lowerBound])
        try course.write(toFile: copy.path + "/manifests/videos/course.yaml", atomically: true, encoding: .utf8)
        let refused = try await streamplan(["apply", "--sandbox", "--auto-approve", "manifests"], in: copy.path)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("# video.office-hours will be deleted: it is no longer in the manifests"))
        #expect(refused.stderr.contains("--allow-delete"))
        let allowed = try await streamplan(
            ["apply", "--sandbox", "--auto-approve", "--allow-delete", "manifests"], in: copy.path)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("video.office-hours: deleted"))
    }

    @Test("plain http to a non-loopback endpoint is refused")
    func plainHTTP() async throws {
        let result = try await streamplan(
            ["plan", "--endpoint", "http://example.com/api", "manifests"],
            environment: ["STREAM_PUBLIC_KEY": "pk", "STREAM_SECRET_KEY": "sk-should-not-print"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("plain http"))
        #expect(!(result.stdout + result.stderr).contains("sk-should-not-print"))
    }

    @Test("missing credentials say which variables to set")
    func missingCredentials() async throws {
        let result = try await streamplan(["plan", "--endpoint", "https://127.0.0.1:1/api", "manifests"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("STREAM_PUBLIC_KEY"))
    }
}
