import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who holds a project's apply lock, as written in the lock file.
public struct LockHolder: Sendable, Hashable, Codable {
    public var pid: Int32
    public var host: String
    public var user: String
    public var startedAt: String
    public var command: String

    enum CodingKeys: String, CodingKey {
        case pid, host, user, command
        case startedAt = "started_at"
    }

    public var description: String {
        "\(user) on \(host), pid \(pid), since \(startedAt) (\(command))"
    }
}

/// Why the lock could not be taken.
public enum LockError: Error, Sendable, CustomStringConvertible {
    /// Another apply is running (or the holder is on another host, where we cannot tell).
    case held(LockHolder, path: String)
    /// The holder's process is gone: a killed apply left the lock. Broken only when asked.
    case stale(LockHolder?, path: String)
    case io(String)

    public var description: String {
        switch self {
        case .held(let holder, let path):
            return "another apply of this project is running: the lock \(path) is held by \(holder.description). "
                + "Wait for it to finish; if you are sure it is gone, run again with --break-lock."
        case .stale(let holder, let path):
            let who =
                holder.map { "was taken by \($0.description), and that process is no longer running" }
                ?? "is empty or unreadable (its writer was killed)"
            return "the lock \(path) \(who). Nothing was changed. If no apply of this project is running, "
                + "run again with --break-lock to break it."
        case .io(let message):
            return message
        }
    }
}

/// A lock that stops two applies of one project running at once from one state directory.
///
/// It is a file created with O_EXCL under the state directory, holding pid, host, user and start
/// time. AIOZ offers no compare-and-swap, so no remote lock could be atomic; two CI runners are kept
/// apart by a concurrency group per project instead (docs/ci.md). A lock whose process is dead on
/// this host is reported as stale and broken only with `breakLock`.
public final class ProjectLock: Sendable {
    public let path: String
    public let holder: LockHolder

    private init(path: String, holder: LockHolder) {
        self.path = path
        self.holder = holder
    }

    public static func path(stateDirectory: String, project: String) -> String {
        stateDirectory + "/locks/\(project).lock"
    }

    /// Takes the lock or throws `LockError` at once (it never waits).
    public static func acquire(
        stateDirectory: String, project: String, command: String, breakLock: Bool = false,
        onBreak: (String) -> Void = { _ in }
    ) throws -> ProjectLock {
        let path = path(stateDirectory: stateDirectory, project: project)
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory + "/locks", withIntermediateDirectories: true)
        } catch {
            throw LockError.io("cannot create \(stateDirectory)/locks: \(error.localizedDescription)")
        }
        let me = LockHolder(
            pid: getpid(), host: ProcessInfo.processInfo.hostName,
            user: ProcessInfo.processInfo.environment["USER"] ?? String(getuid()),
            startedAt: Date().formatted(.iso8601), command: command)
        for attempt in 0..<2 {
            if try create(path, me) { return ProjectLock(path: path, holder: me) }
            let holder = read(path)
            let alive = holder.map(isAlive) ?? false
            if alive, let holder, holder.host == me.host {
                // A live process on this host: never broken, even when asked.
                throw LockError.held(holder, path: path)
            }
            guard breakLock, attempt == 0 else {
                if let holder, alive { throw LockError.held(holder, path: path) }
                throw LockError.stale(holder, path: path)
            }
            onBreak("breaking the lock \(path)" + (holder.map { " held by \($0.description)" } ?? ""))
            unlink(path)
        }
        throw LockError.stale(read(path), path: path)
    }

    /// Removes the lock if it is still ours.
    public func release() {
        if Self.read(path) == holder { unlink(path) }
    }

    private static func create(_ path: String, _ holder: LockHolder) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw LockError.io("cannot create the lock \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = ((try? encoder.encode(holder)) ?? Data()) + [0x0A]
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            unlink(path)
            throw LockError.io("cannot write the lock \(path)")
        }
        return true
    }

    static func read(_ path: String) -> LockHolder? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(LockHolder.self, from: data)
    }

    /// Whether the holder still runs; a holder on another host counts as alive (we cannot tell).
    static func isAlive(_ holder: LockHolder) -> Bool {
        guard holder.host == ProcessInfo.processInfo.hostName else { return true }
        return kill(holder.pid, 0) == 0 || errno == EPERM
    }
}
