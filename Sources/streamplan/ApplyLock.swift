import Apply
import ArgumentParser
import Foundation
import Providers

/// Taking the project's apply lock for a command, with the lock's refusal mapped to its exit code.
enum ApplyLock {
    static func acquire(stateDirectory: String, project: String, breakLock: Bool) throws -> ProjectLock {
        do {
            return try ProjectLock.acquire(
                stateDirectory: stateDirectory, project: project, command: "streamplan apply",
                breakLock: breakLock, onBreak: { Terminal.stderr("warning: \($0)") })
        } catch let error as LockError {
            Terminal.stderr("error: \(error.description)")
            if case .io = error { throw StreamplanExit.failure.code }
            throw StreamplanExit.lockHeld.code
        }
    }
}

/// The lease on the account (`AccountLease`) around an apply's plan and execution: two applies from
/// different machines or state directories refuse each other (exit 4). Not taken for the embedded
/// sandbox, whose account belongs to this state directory (the local lock covers it).
struct ApplyLease {
    let connection: ConnectionOptions
    let breakLock: Bool

    /// How long an apply waits before reading its lease back (`STREAMPLAN_LEASE_SETTLE_MS`, for tests).
    static var settle: Duration {
        let text = ProcessInfo.processInfo.environment["STREAMPLAN_LEASE_SETTLE_MS"]
        return .milliseconds(text.flatMap(Int.init) ?? 2000)
    }

    static var holder: String {
        "\(ProjectLock.currentUser()) on \(ProcessInfo.processInfo.hostName), pid \(getpid()) (streamplan apply)"
    }

    func run<T: Sendable>(_ provider: any Provider, project: String, _ body: () async throws -> T) async throws -> T {
        guard !connection.sandbox else { return try await body() }
        guard provider.supportsAccountLease else {
            Terminal.stderr(
                "warning: \(provider.serviceName) cannot hold streamplan's account lease (a video exists there only once "
                    + "its bytes are uploaded); only the local lock in the state directory keeps two applies apart")
            return try await body()
        }
        let lease = AccountLease(provider: provider, project: project, holder: Self.holder, settle: Self.settle)
        do {
            try await lease.acquire(breakLease: breakLock) { Terminal.stderr("warning: \($0)") }
        } catch let held as AccountLease.Held {
            Terminal.stderr("error: \(held.description)")
            throw StreamplanExit.lockHeld.code
        }
        do {
            let result = try await body()
            await lease.release()
            return result
        } catch {
            await lease.release()
            throw error
        }
    }
}
