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

    /// Runs `body` holding the lease. The lease is claimed first and confirmed only when `body`
    /// calls the gate, which it must do before its first change: the plan is made during the lease's
    /// settle delay, and an apply with nothing to change never waits for it.
    func run<T: Sendable>(_ provider: any Provider, project: String, _ body: (LeaseGate) async throws -> T) async throws -> T {
        guard !connection.sandbox else { return try await body(LeaseGate {}) }
        guard provider.supportsAccountLease else {
            Terminal.stderr(
                "warning: \(provider.serviceName) cannot hold streamplan's account lease (a video exists there only once "
                    + "its bytes are uploaded); only the local lock in the state directory keeps two applies apart")
            return try await body(LeaseGate {})
        }
        let lease = AccountLease(provider: provider, project: project, holder: Self.holder, settle: Self.settle)
        do {
            try await lease.claim(breakLease: breakLock) { Terminal.stderr("warning: \($0)") }
            let takenOver = await lease.takenOver
            let gate = LeaseGate(lease: project, token: lease.token, takenOver: takenOver) { try await lease.confirm() }
            let result = try await body(gate)
            await lease.release()
            return result
        } catch let held as AccountLease.Held {
            await lease.release()
            Terminal.stderr("error: \(held.description)")
            throw StreamplanExit.lockHeld.code
        } catch {
            await lease.release()
            throw error
        }
    }
}

/// What an apply awaits before its first change on the account: the lease's confirmation. With a
/// lease on the account, its name and claim (for the creates made tentatively before the
/// confirmation, `TentativeCreates`) and the claim it took over, if any.
struct LeaseGate: Sendable {
    let confirm: @Sendable () async throws -> Void
    var claim: TentativeCreates.Claim?
    var takenOver: String?
    init(_ confirm: @escaping @Sendable () async throws -> Void) { self.confirm = confirm }
    init(lease: String, token: String, takenOver: String?, _ confirm: @escaping @Sendable () async throws -> Void) {
        self.confirm = confirm
        claim = TentativeCreates.Claim(lease: lease, token: token)
        self.takenOver = takenOver
    }
    func callAsFunction() async throws { try await confirm() }
}
