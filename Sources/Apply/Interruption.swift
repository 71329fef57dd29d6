import Synchronization

/// A request to stop an apply gracefully (the CLI's first Ctrl-C or SIGTERM): no change starts after
/// it, the changes under way finish, and the apply ends as usual, releasing its lock and lease and
/// saying what was done and what was not. Process-wide: one apply runs per process.
public enum Interruption {
    private static let count = Atomic<Int>(0)

    /// What a change that was never started says instead of an error of its own.
    public static let notStarted = "not started: the apply was interrupted"

    /// Whether a stop was requested.
    public static var requested: Bool { count.load(ordering: .sequentiallyConsistent) > 0 }

    /// Records one more request; returns how many there have been (the CLI stops at once on the second).
    @discardableResult
    public static func request() -> Int { count.add(1, ordering: .sequentiallyConsistent).newValue }

    /// Forgets every request (tests).
    public static func reset() { count.store(0, ordering: .sequentiallyConsistent) }
}

extension ApplyOutcome {
    /// Whether the change was never started because the apply was interrupted.
    public var notStarted: Bool { error == Interruption.notStarted }
}
