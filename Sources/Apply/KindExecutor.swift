import Foundation
import Planning
public import Providers

/// The effectful half of a resource kind: reads its objects from the account and performs its
/// changes through the provider. The pure half (diff, fingerprint) is its `KindPlanner`.
public protocol KindExecutor: Sendable {
    var kind: ResourceKind { get }
    /// Reads the project's objects of this kind into `observation` (never another project's); `desired`
    /// says what else to look at (objects named like desired ones that nothing claims).
    func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws
    /// Whether `observe` reads `observation.videos` (then it runs after the videos are read; the
    /// other kinds read theirs while the videos' pages are read).
    var observesVideos: Bool { get }
    /// Reads only what `changes` (of this kind) touch, for a saved plan's staleness check.
    func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    /// Performs `changes` (of this kind, none blocked), in the kind's own order and concurrency.
    /// Outcomes in the order the changes finished being tried.
    func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome]
}

extension KindExecutor {
    public var observesVideos: Bool { false }
}

/// What every kind's executor shares during one apply.
public struct ApplyContext: Sendable {
    public let provider: any Provider
    public let project: String
    public let options: ApplyOptions
    public let journal: UploadJournal
    /// Content hashes, cached under the state directory; shared by planning and the uploads (which
    /// record the hashes they compute on the way).
    public let hashes: ContentHasher
    public let progress: ProgressReporter?
    /// The project's registry on the account (read once, on first use).
    public let registry: RegistryHandle
    /// Ids of objects created in this apply, and addresses whose change failed (their children fail too).
    public let results: ApplyResults
    /// The sources of creates hashed while the apply waits for the account lease (`Applier.prepare`).
    public let prepared = SourcePreparation()
    /// The video creates started before the lease's confirmation (`Applier.startTentative`).
    public let tentative = TentativeCreates()

    public init(provider: any Provider, project: String, options: ApplyOptions, progress: ProgressReporter? = nil) {
        self.provider = provider
        self.project = project
        self.options = options
        journal = UploadJournal(path: options.journalPath)
        hashes = ContentHasher(cachePath: options.hashCachePath)
        self.progress = progress
        registry = RegistryHandle(project: project, provider: provider)
        results = ApplyResults()
    }

    /// Runs `body` for one change and turns its result or error into an outcome.
    func outcome(_ change: ResourceChange, _ body: () async throws -> String?) async -> ApplyOutcome {
        // Interrupted: nothing new starts (what depends on this change is not started either).
        if Interruption.requested {
            await results.failed(change.address)
            return ApplyOutcome(
                address: change.address, action: change.action, objectID: change.remoteID, error: Interruption.notStarted)
        }
        do {
            let id = try await body()
            if let id { await results.created(change.address, id) }
            var outcome = ApplyOutcome(address: change.address, action: change.action, objectID: id)
            outcome.warnings = await results.warnings(of: change.address)
            return outcome
        } catch {
            await results.failed(change.address)
            return ApplyOutcome(address: change.address, action: change.action, objectID: change.remoteID, error: "\(error)")
        }
    }

    /// The id of the parent object of `change`: known at plan time, or created earlier in this apply.
    func parentID(of change: ResourceChange) async throws -> String {
        guard let parent = change.address.parent else { throw ApplyError("\(change.address) has no parent") }
        if await results.hasFailed(parent) {
            throw ApplyError("its \(parent.kind.noun) \(parent) was not created")
        }
        if let id = change.parentID { return id }
        if let id = await results.id(of: parent) { return id }
        throw ApplyError(parent.kind == .liveStream ? "no live stream key for \(parent)" : "no id for \(parent)")
    }
}

/// Ids made and failures met during one apply, for the changes that depend on them.
public actor ApplyResults {
    private var ids: [Address: String] = [:]
    private var failures = Set<Address>()
    private var warned: [Address: [String]] = [:]

    func warn(_ address: Address, _ text: String) { warned[address, default: []].append(text) }
    func warnings(of address: Address) -> [String] { warned[address] ?? [] }

    func created(_ address: Address, _ id: String) { ids[address] = id }
    func failed(_ address: Address) { failures.insert(address) }
    func id(of address: Address) -> String? { ids[address] }
    func hasFailed(_ address: Address) -> Bool { failures.contains(address) }
}

/// The order of apply, from the kinds' dependencies: a kind's creates and updates after those of
/// the kinds it depends on (parents, referenced kinds); a kind's deletes before those of the kinds
/// it depends on. A kind nothing depends on deletes within its own stage.
public enum KindOrder {
    /// Stages of (kind, changes) to run one after the other.
    ///
    /// A dependency on a kind with no change in `changes` is left out (a plan without player themes
    /// runs its videos in the first stage, as before videos could name one).
    public static func stages(_ changes: [ResourceChange], kinds: [ResourceKind]) -> [[(ResourceKind, [ResourceChange])]] {
        let present = Set(changes.map(\.kind))
        func dependencies(_ kind: ResourceKind) -> [ResourceKind] { kind.dependencies.filter(present.contains) }
        func depth(_ kind: ResourceKind) -> Int { 1 + (dependencies(kind).map(depth).max() ?? -1) }
        let maxDepth = kinds.map(depth).max() ?? 0
        // Only kinds with changes in this plan count: a plan without captions orders videos as before.
        let hasDependents = Set(present.flatMap(dependencies))
        func stage(_ change: ResourceChange) -> Int {
            let d = depth(change.kind)
            guard change.action == .delete, hasDependents.contains(change.kind) else { return d }
            return maxDepth + 1 + (maxDepth - d)
        }
        var byStage: [Int: [ResourceKind: [ResourceChange]]] = [:]
        for change in changes { byStage[stage(change), default: [:]][change.kind, default: []].append(change) }
        return byStage.keys.sorted().map { number in
            kinds.compactMap { kind in byStage[number]?[kind].map { (kind, $0) } }
        }
    }
}
