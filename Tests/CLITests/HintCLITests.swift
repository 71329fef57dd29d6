import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Every command streamplan suggests is run here exactly as printed (pasted into a shell in the
/// directory streamplan ran in), whichever way streamplan itself was started.
@Suite("the commands streamplan suggests work as printed", .gated)
struct HintCLITests {
    static let manifest = """
        live_streams:
          studio:
            name: Studio

        """

    /// Runs `command` with `/bin/sh -c` in `directory`, as a person pasting it would; the wait is off
    /// the cooperative pool. `path` is put before `PATH`.
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func shell(_ command: String, in directory: String, path: String? = nil) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for key in ["STREAM_PUBLIC_KEY", "STREAM_SECRET_KEY", "STREAMPLAN_ENDPOINT", "STREAMPLAN_API"] {
            environment[key] = nil
        }
        if let path { environment["PATH"] = path + ":" + (environment["PATH"] ?? "/usr/bin:/bin") }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let group = DispatchGroup()
                nonisolated(unsafe) var stdout = Data()
                group.enter()
                DispatchQueue.global().async {
                    stdout = out.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: Run(
                        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self)))
            }
        }
    }

    /// The command quoted in backticks on the line that contains `marker`.
    static func quoted(after marker: String, in text: String) throws -> String {
        let line = try #require(text.split(separator: "\n").first { $0.contains(marker) }, "no \"\(marker)\" in: \(text)")
        let after = try #require(line.range(of: marker)?.upperBound)
        let parts = line[after...].split(separator: "`", omittingEmptySubsequences: false)
        try #require(parts.count >= 3, "no `command` after \"\(marker)\" in: \(line)")
        return String(parts[1])
    }

    static var binary: String {
        get throws { try #require(streamplanBinary, "the streamplan binary was not found; build it or set STREAMPLAN_BIN") }
    }

    /// `path` as the hints spell it: as is when the shell would not split or expand it, else in single quotes.
    static func spelled(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._/-+=:@,_".unicodeScalars.contains($0)
        }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    @Test("plan --sandbox --out: the apply it suggests, run as printed, applies the saved plan (started by its path)")
    func savedPlanByPath() async throws {
        try await TestWorkspace.with(project: "hints") { workspace in
            try workspace.manifest(Self.manifest)
            let binary = try Self.binary
            let plan = try await Self.shell("'\(binary)' plan --sandbox --out plan.json .", in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            let apply = try Self.quoted(after: "Saved the plan to plan.json; ", in: plan.stderr)
            #expect(apply == "\(Self.spelled(binary)) apply --sandbox plan.json")
            let applied = try await Self.shell(apply, in: workspace.directory)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("live_stream.studio: created, id "), "\(applied.stdout)")
            // The closing hint names the same binary: it serves the account (checked in SandboxPageCLITests).
            #expect(applied.stdout.contains("  \(Self.spelled(binary)) sandbox --data .streamplan/sandbox --port 8080\n"))
        }
    }

    @Test("started by name from PATH, the hints say `streamplan …`, which the shell finds the same way")
    func savedPlanByName() async throws {
        try await TestWorkspace.with(project: "hints") { workspace in
            try workspace.manifest(Self.manifest)
            let directory = (try Self.binary as NSString).deletingLastPathComponent
            let plan = try await Self.shell(
                "streamplan plan --sandbox --out plan.json .", in: workspace.directory, path: directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            let apply = try Self.quoted(after: "Saved the plan to plan.json; ", in: plan.stderr)
            #expect(apply == "streamplan apply --sandbox plan.json")
            let applied = try await Self.shell(apply, in: workspace.directory, path: directory)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("  streamplan sandbox --data .streamplan/sandbox --port 8080\n"), "\(applied.stdout)")
        }
    }

    @Test("a stale saved plan: the message is short, and the plan command it suggests runs as printed")
    func stalePlan() async throws {
        try await TestWorkspace.with(project: "hints") { workspace in
            try workspace.manifest(Self.manifest)
            let binary = try Self.binary
            let state = ["--state-dir", "my state"]
            let plan = try await Self.shell(
                "'\(binary)' plan --sandbox --state-dir 'my state' --out plan.json .", in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            // Something else creates the key meanwhile: the saved create is stale.
            let other = try await Self.shell(
                "'\(binary)' apply --sandbox --auto-approve \(state.map { "'\($0)'" }.joined(separator: " ")) .",
                in: workspace.directory)
            #expect(other.status == 0, "\(other.stderr)")
            let stale = try await Self.shell(
                "'\(binary)' apply --sandbox --state-dir 'my state' plan.json", in: workspace.directory)
            #expect(stale.status == 3, "\(stale.stdout)\(stale.stderr)")
            #expect(stale.stderr.contains("live_stream.studio was created since the plan"), "\(stale.stderr)")
            #expect(stale.stderr.split(separator: "\n").allSatisfy { $0.count < 200 }, "\(stale.stderr)")
            let again = try Self.quoted(after: "Plan again with ", in: stale.stderr)
            #expect(again == "\(Self.spelled(binary)) plan --sandbox --state-dir 'my state' --out plan.json .")
            let replanned = try await Self.shell(again, in: workspace.directory)
            #expect(replanned.status == 0, "\(replanned.stdout)\(replanned.stderr)")
            #expect(replanned.stdout.hasPrefix("No changes."), "\(replanned.stdout)")
        }
    }

    @Test("started as `swift run` starts it (a relative path into the package's .build/), the hints say `swift run streamplan`")
    func swiftRunSpelling() async throws {
        try await TestWorkspace.with(project: "hints") { workspace in
            try workspace.manifest(Self.manifest)
            // A package root: a Package.swift and the binary under .build/debug/, started by a relative path.
            let files = FileManager.default
            try "// swift-tools-version:6.2\n".write(
                toFile: workspace.directory + "/Package.swift", atomically: true, encoding: .utf8)
            try files.createDirectory(atPath: workspace.directory + "/.build/debug", withIntermediateDirectories: true)
            try files.createSymbolicLink(
                atPath: workspace.directory + "/.build/debug/streamplan", withDestinationPath: try Self.binary)
            let plan = try await Self.shell(".build/debug/streamplan plan --sandbox --out plan.json .", in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(
                try Self.quoted(after: "Saved the plan to plan.json; ", in: plan.stderr)
                    == "swift run streamplan apply --sandbox plan.json")
            // The same binary started from elsewhere (or by its absolute path) names its path instead.
            let sub = workspace.directory + "/sub"
            try files.createDirectory(atPath: sub, withIntermediateDirectories: true)
            let elsewhere = try await Self.shell(
                "../.build/debug/streamplan plan --sandbox --state-dir ../.streamplan --out plan.json ..", in: sub)
            #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
            let apply = try Self.quoted(after: "Saved the plan to plan.json; ", in: elsewhere.stderr)
            #expect(
                apply == Self.spelled(workspace.directory + "/.build/debug/streamplan")
                    + " apply --sandbox --state-dir ../.streamplan plan.json")
            let applied = try await Self.shell(apply, in: sub)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        }
    }

    @Test("fmt --check, a plan of broken manifests and apply of a file that is no saved plan: their commands run as printed")
    func otherHints() async throws {
        try await TestWorkspace.with(project: "hints") { workspace in
            let binary = Self.spelled(try Self.binary)
            // Badly indented: fmt --check names the fmt that fixes it.
            try workspace.manifest("live_streams:\n    studio:\n        name: Studio\n")
            let check = try await Self.shell("\(binary) fmt --check .", in: workspace.directory)
            #expect(check.status == 3, "\(check.stderr)")
            let fmt = try Self.quoted(after: "would be reformatted; run ", in: check.stderr)
            #expect(fmt == "\(binary) fmt .")
            #expect(try await Self.shell(fmt, in: workspace.directory).status == 0)
            #expect(try await Self.shell("\(binary) fmt --check .", in: workspace.directory).status == 0)

            // A plan of broken manifests names the validate that lists the findings.
            try workspace.manifest("live_streams:\n  studio:\n    nmae: Studio\n")
            let broken = try await Self.shell("\(binary) plan --sandbox .", in: workspace.directory)
            #expect(broken.status == 1)
            let validate = try Self.quoted(after: "fix them first (", in: broken.stderr)
            #expect(validate == "\(binary) validate .")
            let listed = try await Self.shell(validate, in: workspace.directory)
            #expect(listed.status == 1 && (listed.stdout + listed.stderr).contains("unknown key \"nmae\""), "\(listed.stderr)")

            // apply of a JSON file that is no saved plan names the plan --out that writes one.
            try workspace.manifest(Self.manifest)
            try "{}".write(toFile: workspace.directory + "/plan.json", atomically: true, encoding: .utf8)
            let refused = try await Self.shell("\(binary) apply --sandbox plan.json", in: workspace.directory)
            #expect(refused.status == 1, "\(refused.stderr)")
            let plan = try Self.quoted(after: "write one with ", in: refused.stderr)
            #expect(plan == "\(binary) plan --sandbox --out plan.json")
            #expect(try await Self.shell(plan + " .", in: workspace.directory).status == 0)
        }
    }

    @Test("an argument-parser error reads `error: …` like streamplan's own")
    func lowercaseError() async throws {
        let result = try await streamplan(["plan", "--sandbox", "--endpoint", "http://127.0.0.1:1/api", "."])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: --sandbox and --endpoint exclude each other"), "\(result.stderr)")
        #expect(!result.stderr.contains("Error:"))
    }
}
