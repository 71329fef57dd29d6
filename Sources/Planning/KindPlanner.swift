/// The pure half of a resource kind: desired × observed → changes, and the fingerprint a saved plan
/// keeps of each object a change touches. No I/O: tested with plain values. Its effectful half
/// (`KindExecutor` in Apply) observes the account and performs the changes.
public protocol KindPlanner: Sendable {
    var kind: ResourceKind { get }
    /// The type of the desired value this kind's changes carry (a saved plan's `desired` decodes as it).
    var desiredType: any DesiredObject.Type { get }
    /// This kind's changes and up-to-date addresses, in the order people read them.
    func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry]
    /// What `observed` holds of the object `change` touches (the same at plan and at apply time).
    func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint
    /// The fingerprints of many changes of this kind at once, in order: a kind with many objects
    /// indexes `observed` once here instead of searching it per change.
    func fingerprints(_ changes: [ResourceChange], _ observed: Observation) -> [RemoteFingerprint]
    /// What a reviewer should know that is not a change (e.g. a value the service would not clear).
    func notes(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanNote]
}

extension KindPlanner {
    public func fingerprints(_ changes: [ResourceChange], _ observed: Observation) -> [RemoteFingerprint] {
        changes.map { fingerprint($0, observed) }
    }

    public func notes(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanNote] { [] }
}

/// A sentence about one object that is not a change.
public struct PlanNote: Sendable, Hashable, Codable {
    public var address: Address
    public var text: String

    public init(address: Address, text: String) {
        self.address = address
        self.text = text
    }
}

/// One line of a kind's plan: a change, or an address that already matches.
public enum PlanEntry: Sendable, Hashable {
    case change(ResourceChange)
    case unchanged(Address)

    public var address: Address {
        switch self {
        case .change(let change): change.address
        case .unchanged(let address): address
        }
    }
}

/// How to plan.
public struct PlanOptions: Sendable, Hashable {
    /// Do not block deleting or replacing what is broadcasting (`--force-live`).
    public var forceLive: Bool
    /// The service's name in reasons ("transcoding failed on AIOZ Stream").
    public var serviceName: String
    /// Adopt imported videos whose source cannot be compared with the manifests' file (`--trust-source`).
    public var trustSource = false
    /// Whether the service can change a video's fields in place; when it cannot, an update is
    /// planned as blocked, with the reason, instead of failing at apply.
    public var videosUpdatable: Bool
    /// Why the service cannot create audio media (`type: audio`); nil when it can. Such creates and
    /// replaces are planned as blocked, with the reason.
    public var audioMediaUnsupported: String?

    public init(forceLive: Bool = false, serviceName: String = "AIOZ Stream", videosUpdatable: Bool = true) {
        self.forceLive = forceLive
        self.serviceName = serviceName
        self.videosUpdatable = videosUpdatable
    }
}

/// Desired × observed → Plan: a loop over the kinds. A pure function: no I/O, no clock, no randomness.
public enum Planner {
    /// Every kind, parents before children.
    public static let kinds: [any KindPlanner] = [
        VideoPlanner(), LiveKeyPlanner(), StreamingPlanner(), RestreamPlanner(), TextTrackPlanner(.caption),
        TextTrackPlanner(.chapter),
        WebhookPlanner(),
        PlaylistPlanner(),
        PlayerPlanner(),
        RecordingPlanner(),
    ]

    public static func planner(for kind: ResourceKind) -> any KindPlanner {
        kinds.first { $0.kind == kind }!
    }

    /// `changes` with each one's fingerprint of `observed`, computed a kind at a time (`fingerprints`).
    public static func fingerprinted(_ changes: [ResourceChange], _ observed: Observation) -> [ResourceChange] {
        var changes = changes
        // Moves and protection records change no object: they hold while the object is the same id.
        for index in changes.indices where changes[index].isOwnership {
            changes[index].fingerprint = RemoteFingerprint(
                address: changes[index].address, remoteID: changes[index].remoteID, exists: true)
        }
        for kind in Set(changes.filter { !$0.isOwnership }.map(\.kind)) {
            let indices = changes.indices.filter { changes[$0].kind == kind && !changes[$0].isOwnership }
            let prints = planner(for: kind).fingerprints(indices.map { changes[$0] }, observed)
            for (index, print) in zip(indices, prints) { changes[index].fingerprint = print }
        }
        return changes
    }

    /// Plans every kind and orders the result as a tree: each object's lines are followed by those of
    /// the objects under it; each change carries its fingerprint.
    public static func plan(_ desired: DesiredState, _ observed: Observation, options: PlanOptions = PlanOptions()) -> Plan {
        // Moves first: every kind then plans against the account as it will be once they are made.
        let resolved = MovePlanner.resolve(desired, observed)
        let observed = MovePlanner.rewritten(observed, resolved.moves)
        let desired = IgnoredFields.applied(desired, observed)
        var entries: [ResourceKind: [PlanEntry]] = [:]
        for kind in kinds { entries[kind.kind] = kind.plan(desired, observed, options) }
        var ordered: [PlanEntry] = []
        var parentsDone = Set<Address>()
        func emit(_ kind: ResourceKind, under parent: Address?) {
            let list = (entries[kind] ?? []).filter { $0.address.parent == parent }
            let children = kinds.map(\.kind).filter { $0.parent == kind }
            for (index, entry) in list.enumerated() {
                ordered.append(entry)
                let next = index + 1 < list.count ? list[index + 1].address : nil
                // After an address's last line, the lines of what lives under it (once).
                if next != entry.address, parentsDone.insert(entry.address).inserted {
                    for child in children { emit(child, under: entry.address) }
                }
            }
        }
        for kind in kinds where kind.kind.parent == nil { emit(kind.kind, under: nil) }
        // Children whose parent has no line of its own (cannot happen with the kinds above) go last.
        let seen = Set(ordered)
        for kind in kinds { for entry in entries[kind.kind] ?? [] where !seen.contains(entry) { ordered.append(entry) } }
        var changes: [ResourceChange] = []
        var unchanged: [Address] = []
        for entry in ordered {
            switch entry {
            case .change(let change): changes.append(change)
            case .unchanged(let address): unchanged.append(address)
            }
        }
        Protection.block(&changes, desired, observed)
        changes = resolved.changes + changes + Protection.changes(desired, observed)
        changes = Self.fingerprinted(changes, observed)
        var plan = Plan(project: desired.project, changes: changes, unchanged: unchanged)
        plan.notes = resolved.notes + kinds.flatMap { $0.notes(desired, observed, options) }
        return plan
    }
}
