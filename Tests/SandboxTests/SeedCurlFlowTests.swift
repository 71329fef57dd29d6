import Foundation
import SandboxTesting
import Testing

/// Runs scripts/seed-curl-flow.sh against the built `streamplan` binary.
@Suite("Seed 000's curl flow")
struct SeedCurlFlowTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func which(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    /// `STREAMPLAN_BIN`, else the `streamplan` next to this test bundle (both live in the build directory).
    static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["STREAMPLAN_BIN"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("streamplan").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let fallback = packageRoot.appendingPathComponent(".build/debug/streamplan").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    @Test(
        "create → part → complete → get with curl, and with Basic auth",
        .enabled(if: which("curl"), "curl is not installed; the seed curl flow cannot run"),
        .enabled(if: which("python3"), "python3 is not installed; the seed curl flow needs it to read JSON"),
        .timeLimit(.minutes(10)))
    func seedFlow() async throws {
        let binary = try #require(Self.binary, "the streamplan binary was not found; build it or set STREAMPLAN_BIN")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.packageRoot.appendingPathComponent("scripts/seed-curl-flow.sh").path, binary]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok: seed curl flow passed"))
    }
}
