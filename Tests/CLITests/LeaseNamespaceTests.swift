import AIOZ
import Apply
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// The lease on the account and PID namespaces (issue 26, item 3): two containers that share a host
/// name see different pids, so a holder whose pid is not visible here is not taken for dead unless
/// it recorded this very PID namespace.
@Suite("the lease across PID namespaces", .gated, .serialized)
struct LeaseNamespaceTests {
    static let project = "lease-ns"

    /// A one-video workspace, and a lease video planted with `process` as its holder's process.
    static func stage(process: String, _ body: (TestSandbox, TestWorkspace) async throws -> Void) async throws {
        let workspace = try TestWorkspace(project: project, prefix: "lease-ns")
        defer { workspace.remove() }
        try workspace.media("a.mp4", size: 2_000)
        try workspace.manifest("videos:\n  a:\n    title: A\n    source: media/a.mp4\n")
        try await TestSandbox.with { sandbox in
            let expires = Int(Date().timeIntervalSince1970) + 600
            _ = try await sandbox.client.createVideo(
                VideoCreateRequest(
                    title: "streamplan lease of project \(project); do not delete", isPublic: false,
                    metadata: [
                        MetadataPair(key: "streamplan.lease", value: project),
                        MetadataPair(key: "streamplan.lease_holder", value: "ci on a container, pid 1 (streamplan apply)"),
                        MetadataPair(key: "streamplan.lease_token", value: "someone-else"),
                        MetadataPair(key: "streamplan.lease_expires", value: String(expires)),
                        MetadataPair(key: "streamplan.lease_process", value: process),
                    ]))
            try await body(sandbox, workspace)
        }
    }

    /// The pid of a process that has ended.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("a dead pid recorded with another PID namespace (or none) is not taken over: exit 4, naming the holder")
    func otherNamespace() async throws {
        let host = ProcessInfo.processInfo.hostName
        let pid = try Self.deadPID()
        for namespace in ["0b1c2d3e-other-boot/pid:[4026531836]", "-"] {
            try await Self.stage(process: "\(host) \(pid) 1 \(namespace)") { sandbox, workspace in
                let refused = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
                #expect(refused.status == 4, "\(namespace): \(refused.stderr)")
                #expect(refused.stderr.contains("ci on a container, pid 1"), "\(refused.stderr)")
                #expect(try await sandbox.projectVideos(Self.project).isEmpty)
            }
        }
        // An older streamplan's three-field form proves nothing either.
        try await Self.stage(process: "\(host) \(pid) 1") { sandbox, workspace in
            let refused = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(refused.status == 4, "\(refused.stderr)")
        }
    }

    @Test("a dead pid recorded with this PID namespace is taken over with a warning")
    func sameNamespace() async throws {
        let namespace = try #require(ProcessIdentity.namespace, "no /proc here")
        let pid = try Self.deadPID()
        try await Self.stage(process: "\(ProcessInfo.processInfo.hostName) \(pid) 1 \(namespace)") { sandbox, workspace in
            let taken = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(taken.status == 0, "\(taken.stderr)")
            #expect(taken.stderr.contains("taking over the lease on the account"), "\(taken.stderr)")
        }
    }

    @Test(
        "an apply in another PID namespace (unshare --pid --fork --mount-proc), same host name, exits 4 while the holder lives",
        .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")),
        .timeLimit(.minutes(10)))
    func unshared() async throws {
        let namespace = try #require(ProcessIdentity.namespace, "no /proc here")
        // The holder: this very test process, alive, in the host's PID namespace.
        let me = getpid()
        let start = try #require(
            (try? String(contentsOfFile: "/proc/\(me)/stat", encoding: .utf8)).flatMap { stat -> String? in
                guard let close = stat.lastIndex(of: ")") else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 19 ? String(fields[19]) : nil
            })
        let binary = try #require(streamplanBinary)
        try await Self.stage(process: "\(ProcessInfo.processInfo.hostName) \(me) \(start) \(namespace)") { sandbox, workspace in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = [
                "--pid", "--fork", "--mount-proc", binary, "apply", "--auto-approve", "streamplan.yaml", "--endpoint",
                sandbox.baseURL,
            ]
            process.currentDirectoryURL = URL(fileURLWithPath: workspace.directory)
            var environment = ProcessInfo.processInfo.environment
            environment.merge(sandbox.cliEnvironment) { _, new in new }
            environment["NO_COLOR"] = "1"
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stderr: String = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let data = errors.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                }
            }
            #expect(process.terminationStatus == 4, "\(stderr)")
            #expect(stderr.contains("ci on a container, pid 1"), "\(stderr)")
            #expect(try await sandbox.projectVideos(Self.project).isEmpty)
        }
    }
}
