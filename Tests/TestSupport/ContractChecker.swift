import Foundation
import Testing

/// Checks recorded API traffic against AIOZ's OpenAPI documents (docs/openapi/) through one
/// long-lived `scripts/check-contract.py --serve` process per test run, so every test that talks
/// to a sandbox also checks that the client's requests and the sandbox's answers follow the spec.
public actor ContractChecker {
    public static let shared = ContractChecker()

    private var process: Process?
    private var input: FileHandle?
    private var output: LineReader?

    /// The violations among `lines` (each one recorded exchange as JSON).
    public func violations(of lines: [Data]) async throws -> [String] {
        guard !lines.isEmpty else { return [] }
        let (input, output) = try start()
        var batch = Data("{\"exchanges\": [".utf8)
        for (index, line) in lines.enumerated() {
            if index > 0 { batch.append(UInt8(ascii: ",")) }
            batch.append(line)
        }
        batch.append(contentsOf: Array("]}\n".utf8))
        // One batch at a time: the write and the read of its answer happen together on the reader's
        // serial queue (an actor would let a second batch in while the first awaits its answer).
        guard let answer = await output.exchange(batch, over: input) else {
            let status = process.map { $0.isRunning ? -1 : $0.terminationStatus } ?? -1
            self.process = nil
            throw ContractCheckError(
                "scripts/check-contract.py stopped (status \(status)); it needs python3 with openapi-core and PyYAML "
                    + "(pip install openapi-core PyYAML, as .ci/run does)")
        }
        struct Answer: Decodable {
            var checked: Int
            var violations: [String]
        }
        let decoded = try JSONDecoder().decode(Answer.self, from: answer)
        guard decoded.checked == lines.count else {
            throw ContractCheckError("check-contract.py checked \(decoded.checked) of \(lines.count) exchanges")
        }
        return decoded.violations
    }

    /// The violations among the exchanges recorded in `file` (JSON Lines); none when it does not exist.
    public func violations(ofFile file: String) async throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Data($0) }
        return try await violations(of: lines)
    }

    private func start() throws -> (FileHandle, LineReader) {
        if let process, process.isRunning, let input, let output { return (input, output) }
        // A checker that dies must fail the tests that use it, not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot + "/scripts/check-contract.py", "--serve"]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        self.process = process
        input = stdin.fileHandleForWriting
        output = LineReader(stdout.fileHandleForReading)
        return (stdin.fileHandleForWriting, output!)
    }
}

struct ContractCheckError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads lines from a pipe on a Dispatch thread, never blocking the cooperative pool.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer = Data()
    private let queue = DispatchQueue(label: "streamplan.tests.contract-reader")

    init(_ handle: FileHandle) { self.handle = handle }

    /// Writes `request` and reads the one line that answers it, with no other exchange in between.
    func exchange(_ request: Data, over input: FileHandle) async -> Data? {
        await withCheckedContinuation { continuation in
            queue.async {
                do {
                    try input.write(contentsOf: request)
                } catch {
                    continuation.resume(returning: nil)
                    return
                }
                while true {
                    if let newline = self.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = self.buffer[self.buffer.startIndex..<newline]
                        self.buffer.removeSubrange(self.buffer.startIndex...newline)
                        continuation.resume(returning: Data(line))
                        return
                    }
                    let chunk = self.handle.availableData
                    if chunk.isEmpty {
                        continuation.resume(returning: nil)
                        return
                    }
                    self.buffer.append(chunk)
                }
            }
        }
    }
}

/// Records one test issue per contract violation in `lines`.
public func expectContract(_ lines: [Data], sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        for violation in try await ContractChecker.shared.violations(of: lines) {
            Issue.record("contract: \(violation)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("contract check failed: \(error)", sourceLocation: sourceLocation)
    }
}
