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
    /// With `terminal`, the pseudo-terminal's side this test reads the process's standard output from
    /// (its standard input and output are the other side, so it sees a terminal and prompts).
    private var terminal: Int32?

    public init(_ arguments: [String], directory: String, environment: [String: String] = [:], terminal: Bool = false)
        throws
    {
        let binary = try #require(streamplanBinary, "the streamplan binary was not found; build it or set STREAMPLAN_BIN")
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for key in ["STREAM_PUBLIC_KEY", "STREAM_SECRET_KEY", "STREAMPLAN_ENDPOINT"] { env[key] = nil }
        if let generation = CLIGeneration.current { env["STREAMPLAN_API"] = generation }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        var other: Int32 = -1
        if terminal {
            var main: Int32 = -1
            guard openpty(&main, &other, nil, nil, nil) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            self.terminal = main
            process.standardInput = FileHandle(fileDescriptor: other, closeOnDealloc: false)
            process.standardOutput = FileHandle(fileDescriptor: other, closeOnDealloc: false)
        }
        defer { if other >= 0 { close(other) } }
        try process.run()
    }

    /// With `terminal`: what the process printed to its terminal, read until it contains `text` (or the
    /// process ended, or `seconds` passed).
    public func readTerminal(until text: String, seconds: Double = 120) -> String {
        guard let terminal else { return "" }
        var seen = Data()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !String(decoding: seen, as: UTF8.self).contains(text) {
            var fds = [pollfd(fd: terminal, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(terminal, &buffer, buffer.count)
            guard n > 0 else { break }  // EIO: the process closed the terminal
            seen.append(contentsOf: buffer[..<n])
        }
        return String(decoding: seen, as: UTF8.self)
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
            if let terminal = self.terminal {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(terminal, &buffer, buffer.count)
                    guard n > 0 else { break }  // EIO once the process (the last holder) closed it
                    stdoutData.append(contentsOf: buffer[..<n])
                }
                close(terminal)
            } else {
                stdoutData = self.out.fileHandleForReading.readDataToEndOfFile()
            }
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
    var environment = environment
    // An embedded sandbox (`--sandbox`) records its traffic for the OpenAPI contract check.
    var record: String?
    if arguments.contains("--sandbox"), environment["STREAMPLAN_SANDBOX_RECORD"] == nil {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("exchanges-\(UUID().uuidString).jsonl").path
        environment["STREAMPLAN_SANDBOX_RECORD"] = file
        record = file
    }
    // One of the suite's bounded permits while the process runs (none more if the test holds one).
    let result = try await SuiteGate.run {
        let process = try CLIProcess(arguments, directory: directory, environment: environment)
        return await process.finished()
    }
    if let record {
        // A successful run against the embedded sandbox talked to it: an empty recording would mean
        // the check was skipped, not passed.
        if result.status == 0, (FileManager.default.contents(atPath: record) ?? Data()).isEmpty {
            Issue.record("streamplan \(arguments.joined(separator: " ")) recorded no exchanges in \(record)")
        }
        do {
            for violation in try await ContractChecker.shared.violations(ofFile: record) {
                Issue.record("contract (streamplan \(arguments.joined(separator: " "))): \(violation)")
            }
        } catch {
            Issue.record("contract check failed: \(error)")
        }
        try? FileManager.default.removeItem(atPath: record)
    }
    return result
}

/// The API generation CLI tests run under (`STREAMPLAN_API` for every `streamplan` they start):
/// nil lets the CLI probe (`auto`), which picks `/media` on the sandbox.
public enum CLIGeneration {
    @TaskLocal public static var current: String?

    /// Both generations, for `@Test(arguments:)`.
    public static let all = ["media", "videos"]
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

    /// A working directory with the examples as streamplan 0.1.0 knew them (frozen in
    /// Tests/Fixtures/compat-0.1.0/manifests: the repository's examples grow with every kind), with
    /// the examples' media.
    public static func version010() throws -> ExampleCopy {
        let copy = try ExampleCopy()
        let files = FileManager.default
        try files.removeItem(atPath: copy.path + "/manifests")
        try files.copyItem(atPath: packageRoot + "/Tests/Fixtures/compat-0.1.0/manifests", toPath: copy.path + "/manifests")
        try files.copyItem(atPath: packageRoot + "/manifests/media", toPath: copy.path + "/manifests/media")
        return copy
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs each test of a suite once per API generation (`CLIGeneration.all`), with
/// `CLIGeneration.current` set, so that every `streamplan` it starts speaks `/media`, then `/videos`.
/// An issue says which generation it was recorded under.
public struct EachGeneration: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        // Once per test case (a plain test function has one); never around a whole suite.
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        for generation in CLIGeneration.all {
            do {
                try await CLIGeneration.$current.withValue(generation) { try await function() }
            } catch {
                throw GenerationFailure(generation: generation, underlying: error)
            }
        }
    }
}

/// An error thrown by a test run under one API generation.
public struct GenerationFailure: Error, CustomStringConvertible {
    public var generation: String
    public var underlying: any Error
    public var description: String { "with --api \(generation): \(underlying)" }
}

extension Trait where Self == EachGeneration {
    /// Runs each test once per API generation (see `EachGeneration`).
    public static var eachGeneration: Self { Self() }
}

extension Trait where Self == IssueHandlingTrait {
    /// Adds the API generation to every issue recorded under `EachGeneration`.
    public static var namingGeneration: Self {
        .compactMapIssues { issue in
            guard let generation = CLIGeneration.current else { return issue }
            var issue = issue
            issue.comments.append("API generation: \(generation)")
            return issue
        }
    }
}
