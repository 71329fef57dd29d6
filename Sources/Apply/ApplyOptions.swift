public import Planning

/// Settings of one apply.
public struct ApplyOptions: Sendable {
    /// Videos worked on at once.
    public var parallelism: Int = 4
    /// Chunks of one upload in flight at once: 8 was the fastest of 1, 2, 4 and 8 over an emulated
    /// 50 ms, 100 Mbit/s link (docs/benchmarks.md).
    public var partConcurrency: Int = 8
    /// The chunk size asked of the provider (AIOZ Stream: 50 MiB by default, 5 to 200 MiB).
    public var partSize: Int64 = 50 << 20
    /// Deletes and replaces are refused unless this is set.
    public var allowDelete = false
    /// Deleting or replacing what is broadcasting is refused unless this is set.
    public var forceLive = false
    /// With `--shard I/N` (N > 1): how long a change waits for what another shard makes (a video's
    /// player theme, a playlist's video) before failing (`CrossShard`). Zero: it fails at once.
    public var referenceWait: Duration = .zero
    /// Where the hash cache and the upload journal live (`.streamplan`); nil keeps both in memory.
    public var stateDirectory: String?

    public init(stateDirectory: String? = nil) {
        self.stateDirectory = stateDirectory
    }

    public var journalPath: String? { stateDirectory.map { $0 + "/upload-journal.json" } }
    public var hashCachePath: String? { stateDirectory.map { $0 + "/hash-cache.json" } }

    /// Deletes and replaces need --allow-delete: the one place that says so.
    public func checkAllowed(_ plan: Plan) throws {
        guard !allowDelete, plan.isDestructive else { return }
        let names = plan.destructiveChanges.map(\.address.description)
        throw ApplyError(
            "the plan deletes or replaces \(names.joined(separator: ", ")); run apply with --allow-delete to allow it")
    }
}

/// What happened to one planned change.
public struct ApplyOutcome: Sendable {
    public var address: Address
    public var action: ChangeAction
    /// The object the change left in place (the new one for a create or replace); nil after a delete.
    public var objectID: String?
    public var error: String?
    /// What went through but not quite as asked (e.g. a value the service kept when asked to clear it).
    public var warnings: [String] = []

    public init(address: Address, action: ChangeAction, objectID: String?, error: String? = nil) {
        self.address = address
        self.action = action
        self.objectID = objectID
        self.error = error
    }

    public var kind: ResourceKind { address.kind }
    public var succeeded: Bool { error == nil }
}
