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
    /// When the holder's process started (Linux: /proc/PID/stat field 22), so that a pid reused by
    /// another process after a kill is not mistaken for the holder. Absent in older lock files.
    public var processStart: UInt64?
    /// The holder's PID namespace (`ProcessIdentity.namespace`): its pid is checked only from the
    /// same one. Absent in older lock files (then the pid proves nothing).
    public var namespace: String?

    enum CodingKeys: String, CodingKey {
        case pid, host, user, command, namespace
        case startedAt = "started_at"
        case processStart = "process_start"
    }

    public init(
        pid: Int32, host: String, user: String, startedAt: String, command: String, processStart: UInt64?,
        namespace: String? = ProcessIdentity.namespace
    ) {
        self.pid = pid
        self.host = host
        self.user = user
        self.startedAt = startedAt
        self.command = command
        self.processStart = processStart
        self.namespace = namespace
    }

    /// Whether its pid means something here: this host, and this PID namespace of this boot.
    var isCheckableHere: Bool {
        ProcessIdentity.canCheck(
            host: host, namespace: namespace, hereHost: ProcessInfo.processInfo.hostName, hereNamespace: ProcessIdentity.namespace
        )
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
/// time. A lock whose process is dead on this host (a killed apply) is taken over with a warning;
/// one held on another host, where nothing can be checked, is broken only with `breakLock`. Applies
/// from different state directories or machines are kept apart by the lease on the account
/// (`AccountLease`).
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
            pid: getpid(), host: ProcessInfo.processInfo.hostName, user: currentUser(),
            startedAt: Date().formatted(.iso8601), command: command, processStart: processStart(getpid()))
        for attempt in 0..<2 {
            if try create(path, me) { return ProjectLock(path: path, holder: me) }
            let holder = read(path)
            let alive = holder.map(isAlive) ?? false
            if alive, let holder, holder.isCheckableHere {
                // A live process on this host: never broken, even when asked.
                throw LockError.held(holder, path: path)
            }
            guard attempt == 0 else { break }
            if let holder, holder.isCheckableHere {
                // Its process is gone on this very host and PID namespace: a killed apply. Safe to take over.
                onBreak("taking over the lock \(path): it was held by \(holder.description), which is no longer running")
            } else if holder == nil, age(path) > 10 {
                // Empty or unreadable for a while: its writer died between creating and writing it.
                onBreak("taking over the lock \(path): it is empty or unreadable (its writer was killed)")
            } else if breakLock {
                onBreak("breaking the lock \(path)" + (holder.map { " held by \($0.description)" } ?? ""))
            } else if let holder, alive {
                throw LockError.held(holder, path: path)
            } else {
                throw LockError.stale(holder, path: path)
            }
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

    /// Whether the holder still runs; a holder on another host, or in another PID namespace (another
    /// container with the same host name), counts as alive (we cannot tell).
    static func isAlive(_ holder: LockHolder) -> Bool {
        guard holder.isCheckableHere else { return true }
        guard kill(holder.pid, 0) == 0 || errno == EPERM else { return false }
        // The pid exists; it is the holder only if it started when the holder did.
        guard let recorded = holder.processStart, let now = processStart(holder.pid) else { return true }
        return recorded == now
    }

    /// When process `pid` started, in clock ticks since boot (/proc/PID/stat, field 22); nil elsewhere.
    static func processStart(_ pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The user's name for the lock file: $USER, else the account's name, else the uid.
    public static func currentUser() -> String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    /// Seconds since the file was last modified (0 when it cannot be read).
    static func age(_ path: String) -> TimeInterval {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return 0 }
        return Date().timeIntervalSince(date)
    }
}
