import Apply
import ArgumentParser

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
