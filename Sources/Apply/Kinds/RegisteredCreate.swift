import Foundation
import Planning
import Providers

/// Creating an object that only the registry can claim (live keys, streamings), so that a lost
/// answer or a crash never leaves an invisible duplicate.
///
/// Before the create the registry entry is set to `pending:<unix seconds>`; after it, to the id. An
/// apply that finds a pending entry (or loses the create's answer) first looks for an orphan: an
/// object with the same name, made since the pending mark (less `slack` for clock skew), that no
/// registry entry claims. Exactly one is adopted; none or several → create (never adopt a guess).
struct RegisteredCreate {
    let address: Address
    let context: ApplyContext
    /// The kind's crash point between a create and the registry's record of its id (none: no test
    /// stops there).
    var afterCreate: CrashPoint? = nil
    /// How far before a pending mark a create may appear to have happened (clock skew).
    var slack: TimeInterval = 300

    /// Candidates by creation time: `(id, created_at)` of objects that match by name.
    typealias Candidates = () async throws -> [(id: String, createdAt: String?)]

    ///
    /// `known`: objects that must never be taken for this create's (the object it replaces). A lost
    /// answer is resolved only to a candidate that was not there just before the create was sent.
    func run(
        candidates: Candidates, create: @escaping () async throws -> String, lostAnswer: String, known: Set<String> = [],
        adopted: (String) async throws -> Void = { _ in }
    ) async throws -> String {
        let registry = try await context.registry.registry()
        if let since = await registry.entries.pendingSince(address),
            let found = try await orphan(candidates, since: since, excluding: known)
        {
            try await registry.set(address, found)
            try await adopted(found)
            return found
        }
        let started = Int(Date().timeIntervalSince1970)
        try await registry.markPending(address, at: Date(timeIntervalSince1970: TimeInterval(started)))
        // What was there before the create: none of it can be what the create made.
        let before = known.union(try await candidates().map(\.id))
        let id = try await CreateOnce.adopting(
            create: create, find: { try await orphan(candidates, since: started, excluding: before) },
            lostAnswer: lostAnswer)
        guard !known.contains(id) else { throw ApplyError(lostAnswer) }
        await afterCreate?.reach()
        try await registry.set(address, id)
        return id
    }

    /// The create of a replacement (streamings): the registry keeps naming `old` (nothing pending is
    /// written, so the old object is never unclaimed while it exists). A lost answer is resolved only
    /// to a candidate listed neither just before the create nor as `old`; none → the change fails.
    func replacing(_ old: String, candidates: Candidates, create: @escaping () async throws -> String, lostAnswer: String)
        async throws -> String
    {
        let started = Int(Date().timeIntervalSince1970)
        let before = Set(try await candidates().map(\.id)).union([old])
        let id = try await CreateOnce.adopting(
            create: create, find: { try await orphan(candidates, since: started, excluding: before) },
            lostAnswer: lostAnswer)
        guard id != old else { throw ApplyError(lostAnswer) }
        return id
    }

    /// The one unclaimed candidate made since `since` (less the slack), not in `excluding`, or nil.
    func orphan(_ candidates: Candidates, since: Int, excluding: Set<String> = []) async throws -> String? {
        let claimed = await (try context.registry.registry()).entries.claimedIDs.union(excluding)
        let earliest = Date(timeIntervalSince1970: TimeInterval(since) - slack)
        let found = try await candidates().filter { candidate in
            !claimed.contains(candidate.id) && (candidate.createdAt.flatMap(Timestamps.date).map { $0 >= earliest } ?? false)
        }
        // Two candidates cannot be told apart: adopt neither.
        return found.count == 1 ? found[0].id : nil
    }
}
