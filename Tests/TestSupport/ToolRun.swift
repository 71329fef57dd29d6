import Foundation

/// Helpers shared by the test targets: running a tool (python3, scripts/) and reading its output.
public enum ToolRun {
    /// The repository's root, found from this file's path.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Runs `executable` (looked up on PATH) to the end, from the repository's root by default,
    /// and returns its exit status and combined stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String], in directory: String = packageRoot) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `run`, waiting on a Dispatch thread: async tests must not block the cooperative pool, which an
    /// in-process sandbox needs (2 threads on 2 cores).
    public static func runOffPool(_ executable: String, _ arguments: [String], in directory: String = packageRoot) async throws
        -> (status: Int32, output: String)
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(executable, arguments, in: directory) })
            }
        }
    }

    /// Checks a plan document (JSON text) with scripts/check-plan-schema.py.
    public static func checkPlanSchema(json: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json").path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try run("python3", ["scripts/check-plan-schema.py", file])
    }

    /// `checkPlanSchema`, waiting off the cooperative pool.
    public static func checkPlanSchemaOffPool(json: String) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try checkPlanSchema(json: json) })
            }
        }
    }
}
