import Foundation
import Manifest
import Planning
import Providers
import Synchronization

/// Video creates started while the account lease settles (issue 25; docs/design.md, "Concurrent
/// applies"): the create and its parts run during the settle delay, but the video is **tentative**
/// until the lease is confirmed, and nothing that makes it real or costs anything happens before.
///
/// A tentative video carries every mark of a create except the project's: `streamplan.project` is
/// replaced by `streamplan.tentative_lease` (the lease's name: the project, or the shard's) and
/// `streamplan.tentative_token` (the claim's token). No plan lists it (plans read the project's
/// mark), so no other apply resumes, replaces or deletes it as one of the project's videos. Once
/// the lease is confirmed, one `PATCH` writes the project's marks over the tentative ones (the
/// video is then what a create made after the confirmation would be: `new`, its source mark
/// pending); the source mark's `PATCH` and `complete`, which starts the paid transcode, come after,
/// as for every create. If the confirmation fails, every tentative video is deleted. One that
/// outlives its apply (a kill, a lost answer) is adopted by the next apply that takes the lease over
/// from that token (its holder dead, the lease expired or broken), or deleted by the next confirmed
/// apply otherwise (`removeForeign`).
///
/// A video that carries the project's mark is real, whatever claim's marks it also carries: a
/// service that keeps metadata entries a `PATCH` leaves out (`KeptOnClear`) keeps the tentative
/// marks beside the project's after the confirmation, and neither `removeForeign` nor `adopt` may
/// take such a video for a tentative one.
public final class TentativeCreates: Sendable {
    /// On a tentative video, in place of `streamplan.project`: the name of the lease it was created under.
    public static let leaseKey = "streamplan.tentative_lease"
    /// On a tentative video: the token of the claim that created it.
    public static let tokenKey = "streamplan.tentative_token"

    /// The claim creates are tentative under.
    public struct Claim: Sendable {
        public let lease: String
        public let token: String
        public init(lease: String, token: String) {
            self.lease = lease
            self.token = token
        }

        /// `metadata` (a create's marks) as a tentative video carries it.
        func hide(_ metadata: [MetadataEntry]) -> [MetadataEntry] {
            metadata.filter { $0.key != OwnershipMark.project } + [
                MetadataEntry(key: TentativeCreates.leaseKey, value: lease),
                MetadataEntry(key: TentativeCreates.tokenKey, value: token),
            ]
        }
    }

    /// A tentative create whose parts are sent.
    struct Early: Sendable {
        let id: String
        let pending: DesiredVideo
        let sent: VideoExecutor.SentParts
    }

    private struct State: Sendable {
        var claim: Claim?
        var decision: Bool?
        var waiters: [CheckedContinuation<Bool, Never>] = []
        var tasks: [Address: Task<Early, any Error>] = [:]
        /// Tentative videos not yet made real.
        var made: Set<String> = []
    }

    private let state = Mutex(State())

    public init() {}

    func begin(_ claim: Claim) { state.withLock { $0.claim = claim } }

    func add(_ address: Address, _ task: Task<Early, any Error>) { state.withLock { $0.tasks[address] = task } }

    /// The tentative create of `address`, for the executor to finish (once).
    func take(_ address: Address) -> Task<Early, any Error>? { state.withLock { $0.tasks.removeValue(forKey: address) } }

    func made(_ id: String) { _ = state.withLock { $0.made.insert(id) } }

    func madeReal(_ id: String) { _ = state.withLock { $0.made.remove(id) } }

    /// Waits for the lease: true once it is confirmed, false if it was lost.
    func decided() async -> Bool {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool? in
                if let decision = state.decision { return decision }
                state.waiters.append(continuation)
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    private func decide(_ decision: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard state.decision == nil else { return [] }
            state.decision = decision
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: decision) }
    }

    /// The lease is confirmed: tentative videos are made real as their parts go on.
    public func confirm() { decide(true) }

    /// The lease was lost: stops the tentative creates and deletes what they made (a video whose
    /// delete fails is left tentative, for the next confirmed apply to delete).
    public func abandon(_ context: ApplyContext) async {
        decide(false)
        let tasks = state.withLock { state in
            defer { state.tasks = [:] }
            return Array(state.tasks.values)
        }
        for task in tasks {
            task.cancel()
            _ = try? await task.value
        }
        for id in state.withLock({ $0.made }) {
            do {
                try await context.provider.deleteVideo(id: id)
            } catch  where error.remoteFailure == .notFound {
            } catch { continue }
            madeReal(id)
            try? await context.journal.finish(videoID: id)
        }
    }

    /// Once the lease is confirmed: deletes the tentative videos of this lease made under another
    /// claim (an apply that lost the lease to this one, or died before its confirmation). Their
    /// creator can no longer make them real: that needs a confirmation, and the lease is this
    /// apply's. Returns how many were deleted.
    public func removeForeign(_ context: ApplyContext) async -> Int {
        guard let claim = state.withLock({ $0.claim }) else { return 0 }
        guard
            let found = try? await context.provider.videos(markedWith: [MetadataEntry(key: Self.leaseKey, value: claim.lease)])
        else { return 0 }
        var removed = 0
        for video in found where video.mark(Self.tokenKey) != claim.token && !Self.isReal(video) {
            do {
                try await context.provider.deleteVideo(id: video.id)
            } catch  where error.remoteFailure == .notFound {
                continue
            } catch { continue }
            try? await context.journal.finish(videoID: video.id)
            removed += 1
        }
        return removed
    }

    /// Before the plan, when this apply's claim replaced `takenOver` (its holder dead here, the
    /// lease expired or broken): the tentative videos that claim left become the project's (one
    /// `PATCH` each, the marks they would have had after its confirmation), so the plan resumes them
    /// instead of uploading again. Every apply that can take the lease over from that token writes
    /// the same marks, and only the one confirmed acts on the plan. Returns how many were adopted.
    public static func adopt(lease: String, takenOver token: String, _ context: ApplyContext) async throws -> Int {
        let found = try await context.provider.videos(markedWith: [
            MetadataEntry(key: Self.leaseKey, value: lease), MetadataEntry(key: Self.tokenKey, value: token),
        ])
        let tentative = found.filter { !isReal($0) }
        for video in tentative {
            let metadata =
                [MetadataEntry(key: OwnershipMark.project, value: context.project)]
                + video.metadata.filter { ![Self.leaseKey, Self.tokenKey, OwnershipMark.project].contains($0.key) }
            try await context.provider.updateVideo(id: video.id, VideoPatch(metadata: metadata))
        }
        return tentative.count
    }

    /// Whether `video` was made real: it carries the project's mark (tentative marks beside it are
    /// ones the service kept when the confirmation's `PATCH` left them out).
    static func isReal(_ video: RemoteVideo) -> Bool { video.mark(OwnershipMark.project) != nil }
}
