import Foundation
import TestSupport
import Testing

/// `streamplan … | head`: the reader goes away before streamplan has written everything.
@Suite("output to a reader that went away", .gated)
struct ClosedPipeTests {
    /// Runs `streamplan arguments` from the repository's root with standard output a pipe whose
    /// reading end is already closed: every write to it fails (EPIPE), deterministically.
    static func runIntoClosedPipe(_ arguments: [String]) async throws -> (
        reason: Process.TerminationReason, status: Int32, stderr: String
    ) {
        let binary = try #require(streamplanBinary, "the streamplan binary was not found")
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: binary)
                        process.arguments = arguments
                        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
                        let out = Pipe()
                        try out.fileHandleForReading.close()
                        let err = Pipe()
                        process.standardOutput = out
                        process.standardError = err
                        process.standardInput = FileHandle.nullDevice
                        try process.run()
                        try out.fileHandleForWriting.close()
                        let stderr = err.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return (process.terminationReason, process.terminationStatus, String(decoding: stderr, as: UTF8.self))
                    })
            }
        }
    }

    @Test(
        "validate and help end as they would with a reader: no crash, no backtrace",
        arguments: [
            ["validate", "manifests"], ["validate", "--help"],
        ])
    func noCrash(arguments: [String]) async throws {
        let read = try await streamplan(arguments)
        let closed = try await Self.runIntoClosedPipe(arguments)
        #expect(closed.reason == .exit, "stopped by signal \(closed.status): \(closed.stderr)")
        #expect(closed.status == read.status, "\(closed.stderr)")
        #expect(!closed.stderr.contains("Fatal error"), "\(closed.stderr)")
        #expect(!read.stdout.isEmpty, "the command prints something to standard output, or this test proves nothing")
    }
}
