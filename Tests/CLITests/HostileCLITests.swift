import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Secrets that could leak through an error, and input that could flood the terminal.
@Suite("the CLI against hostile credentials and input", .gated, .eachGeneration, .namingGeneration)
struct HostileCLITests {
    @Test(
        "no output contains a credential, even one with a line break, a quote and a space",
        arguments: ["sk \"quoted\" secret\nsecond-line-XYZ", "sk \"quoted\" wrong secret-XYZ"])
    func secretNeverPrinted(secret: String) async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with { sandbox in
            let result = try await sandbox.streamplan(
                ["plan", "manifests"], in: copy.path,
                environment: ["STREAM_PUBLIC_KEY": "pk \"public\" key-ABC", "STREAM_SECRET_KEY": secret])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            let output = result.stdout + result.stderr
            #expect(!output.isEmpty)
            for fragment in ["XYZ", "second-line", "quoted", "key-ABC", String(reflecting: secret)] {
                #expect(!output.contains(fragment), "\(fragment) printed in: \(output)")
            }
        }
    }

    @Test("after 100 findings validate says how many more there were and stops printing")
    func findingsCapped() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let keys = (0..<150).map { "    bogus\($0): 1\n" }.joined()
        try ("videos:\n  flood:\n    title: Flood\n    source: media/intro.mp4\n" + keys)
            .write(toFile: copy.path + "/manifests/flood.yaml", atomically: true, encoding: .utf8)
        let result = try await streamplan(["validate", "manifests"], in: copy.path)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.filter { $0.contains(": error: unknown key") }.count == 100)
        #expect(result.stderr.contains("… and 50 more findings not shown (150 in all); fix these first"), "\(result.stderr)")
    }

    @Test(
        "a FIFO manifest, a device source and a symlink out of the root: a clear error at once, exit 1", .timeLimit(.minutes(10)))
    func irregularFiles() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let manifests = copy.path + "/manifests"
        #expect(mkfifo(manifests + "/pipe.yaml", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: manifests + "/media/zero.mp4", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: manifests + "/passwd.yaml", withDestinationPath: "/etc/passwd")
        try "videos:\n  dev:\n    title: Device\n    source: media/zero.mp4\n    thumbnail: media/zero.mp4\n"
            .write(toFile: manifests + "/device.yaml", atomically: true, encoding: .utf8)
        // Before the fix, validate blocked forever on the FIFO: the time limit catches that, without
        // timing the command (speed is measured in benchmarks, never in tests).
        let result = try await streamplan(["validate", "manifests"], in: copy.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("pipe.yaml:1:1: error: the file is a FIFO (named pipe), not a regular file"),
            "\(result.stderr)")
        #expect(result.stderr.contains("source \"media/zero.mp4\" resolves to /dev/zero, outside"), "\(result.stderr)")
        #expect(result.stderr.contains("thumbnail \"media/zero.mp4\" resolves to /dev/zero, outside"), "\(result.stderr)")
        #expect(result.stderr.contains("passwd.yaml resolves to /etc/passwd, outside manifests"), "\(result.stderr)")
        #expect(!result.stderr.contains("root:x:0"))
    }

    @Test("parts below the documented 50 MiB are refused against a real endpoint, before any request")
    func smallPartsRefused() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let result = try await streamplan(
            ["apply", "--part-size", "10", "--endpoint", "https://api.example.invalid/api", "manifests"], in: copy.path)
        #expect(result.status == 64)
        #expect(
            result.stderr.contains("below AIOZ Stream's documented chunk size (\"chunk size: 50MB - 200MB\")"), "\(result.stderr)"
        )
    }
}
