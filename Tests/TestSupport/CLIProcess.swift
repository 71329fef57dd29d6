import Foundation
import Testing

/// The repository's root.
public let packageRoot = ToolRun.packageRoot

/// The built `streamplan` binary: `STREAMPLAN_BIN`, else the one beside this test bundle.
public let streamplanBinary: String? = {
    if let path = ProcessInfo.processInfo.environment["STREAMPLAN_BIN"] { return path }
    var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("streamplan").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    let fallback = packageRoot + "/.build/debug/streamplan"
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
}()

/// What one run of the CLI printed and how it ended.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A running CLI process, for tests that stop it midway.
public final class CLIProcess: @unchecked Sendable {
    public let process = Process()
    private let out = Pipe()
    private let err = Pipe()

    public init(_ arguments: [String], directory: String, environment: [String: String] = [:]) throws {
        let binary = try #require(streamplanBinary, "the streamplan binary was not found; build it or set STREAMPLAN_BIN")
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for key in ["STREAM_PUBLIC_KEY", "STREAM_SECRET_KEY", "STREAMPLAN_ENDPOINT"] { env[key] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    public func finish() -> CLIResult {
        // Read both pipes fully before waiting, so a chatty process cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stdoutData = self.out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        stderrData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// Runs the CLI to the end. The wait happens on a Dispatch thread, never on the cooperative pool,
/// which in-process sandboxes of tests running at the same time need (2 threads on 2 cores).
public func streamplan(_ arguments: [String], in directory: String = packageRoot, environment: [String: String] = [:])
    async throws
    -> CLIResult
{
    let process = try CLIProcess(arguments, directory: directory, environment: environment)
    return await process.finished()
}

extension CLIProcess {
    /// Waits for the process off the cooperative thread pool.
    public func finished() async -> CLIResult {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.finish()) }
        }
    }
}

/// A temporary copy of the example manifests, removed afterwards.
public struct ExampleCopy {
    public let path: String

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot + "/manifests", toPath: path + "/manifests")
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
