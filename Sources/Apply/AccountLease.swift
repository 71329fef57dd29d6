import Foundation
import Manifest
import Planning
import Providers

/// Who may apply a project right now, kept on the account, so that two applies from different
/// machines (or state directories) do not run at once.
///
/// AIOZ Stream has no compare-and-swap, so this is the strongest protection the API allows: a
/// private, never-uploaded video per project (`streamplan.lease = PROJECT`) whose metadata holds
/// the holder, a random token and an expiry. An apply writes its token (`claim`), waits `settle` while
/// it only reads (its plan), and reads the token back before its first change (`confirm`): if another
/// apply wrote meanwhile, the later writer wins and the other refuses (exit 4),
/// naming the holder. The lease is renewed while the apply runs and cleared when it ends; a lease
/// left by a killed apply expires after `ttl`, or is broken with `--break-lock`. Two applies whose
/// writes land more than `settle` apart always see each other; closer than that, the read-back can
/// still tell them apart unless a write is delayed by more than `settle` in transit. Whatever gets
/// through is shown by the next plan (duplicates and untracked objects) and removed by
/// `apply --allow-delete`. See docs/design.md.
public actor AccountLease {
    public static let marker = "streamplan.lease"
    static let holderKey = "streamplan.lease_holder"
    static let tokenKey = "streamplan.lease_token"
    static let expiresKey = "streamplan.lease_expires"
    /// `HOST PID PROCESS-START NAMESPACE`: lets an apply on the same host, in the same PID namespace
    /// (`ProcessIdentity`), take over the lease of a killed one.
    static let processKey = "streamplan.lease_process"

    /// What the lease says.
    public struct State: Sendable, Hashable {
        public var holder: String
        public var token: String
        public var expires: Date
        /// `HOST PID PROCESS-START NAMESPACE` of the holder's process.
        public var process: String = ""

        /// Whether the holder is a process of this host and PID namespace that is no longer running.
        var holderIsDeadHere: Bool {
            Self.isDead(
                process, hereHost: ProcessInfo.processInfo.hostName, hereNamespace: ProcessIdentity.namespace,
                isAlive: ProjectLock.isAlive)
        }

        /// The decision behind `holderIsDeadHere`: dead only when the holder recorded this host and
        /// this PID namespace (a lease written without one, by an older streamplan or where /proc is
        /// missing, proves nothing) and its process is gone. Otherwise the lease waits for its expiry
        /// or `--break-lock`.
        static func isDead(
            _ process: String, hereHost: String, hereNamespace: String?, isAlive: (LockHolder) -> Bool
        ) -> Bool {
            let parts = process.split(separator: " ").map(String.init)
            guard parts.count == 4, let pid = Int32(parts[1]),
                ProcessIdentity.canCheck(host: parts[0], namespace: parts[3], hereHost: hereHost, hereNamespace: hereNamespace)
            else { return false }
            let holder = LockHolder(
                pid: pid, host: parts[0], user: "", startedAt: "", command: "", processStart: UInt64(parts[2]),
                namespace: parts[3])
            return !isAlive(holder)
        }
    }

    /// Why the lease was refused.
    public struct Held: Error, CustomStringConvertible, Sendable {
        public var holder: String
        public var expires: Date

        public var description: String {
            "another apply of this project holds the lease on the account: \(holder), until \(expires.formatted(.iso8601)) "
                + "unless renewed. Wait for it to finish; if you are sure it is gone, run again with --break-lock."
        }
    }

    let provider: any Provider
    let project: String
    let holder: String
    /// This apply's claim: written onto the lease, and onto the videos it creates before the
    /// confirmation (`TentativeCreates`).
    public nonisolated let token = UUID().uuidString.lowercased()
    /// The token this claim replaced when its holder was dead here, the lease had expired or was
    /// broken: the videos that apply created before its confirmation are this one's to adopt.
    public private(set) var takenOver: String?
    let ttl: TimeInterval
    let settle: Duration
    /// The lease video once the claim is confirmed.
    private var videoID: String?
    /// The lease video this apply wrote its token to, and when.
    private var claimed: (id: String, at: ContinuousClock.Instant)?
    private var breakLease = false
    private var renewal: Task<Void, Never>?

    public init(provider: any Provider, project: String, holder: String, ttl: TimeInterval = 600, settle: Duration = .seconds(2))
    {
        self.provider = provider
        self.project = project
        self.holder = holder
        self.ttl = ttl
        self.settle = settle
    }

    /// Takes the lease (or throws `Held`), then keeps it renewed until `release`: `claim` then `confirm`.
    public func acquire(breakLease: Bool = false, onBreak: @Sendable (String) -> Void = { _ in }) async throws {
        try await claim(breakLease: breakLease, onBreak: onBreak)
        try await confirm()
    }

    /// Writes this apply's token onto the lease (or throws `Held` when another holder's token is
    /// there and alive) and returns at once. Nothing may change on the account until `confirm`
    /// returns; what only reads (the plan's observation, the reviewer's "yes") runs meanwhile, so the
    /// settle delay costs an apply only what is left of it once the plan is made.
    public func claim(breakLease: Bool = false, onBreak: @Sendable (String) -> Void = { _ in }) async throws {
        let id = try await leaseVideo()
        let current = try await read(id)
        if let current, !current.token.isEmpty, current.token != token, current.expires > Date() {
            if current.holderIsDeadHere {
                onBreak("taking over the lease on the account: it was held by \(current.holder), which is no longer running")
            } else if breakLease {
                onBreak("breaking the lease on the account held by \(current.holder)")
            } else {
                throw Held(holder: current.holder, expires: current.expires)
            }
        }
        if let current, !current.token.isEmpty, current.token != token, takenOver == nil {
            takenOver = current.token
        }
        try await write(id, mine())
        claimed = (id, ContinuousClock.now)
        self.breakLease = breakLease
    }

    /// Waits until `settle` has passed since the claim's write, then reads the lease back: if another
    /// apply wrote meanwhile, the later writer wins and this one throws `Held`. Two applies may each
    /// create a lease video at first; all agree on the smallest id, so an apply that wrote to another
    /// one claims again on it (at most three times). Returns at once when already confirmed.
    public func confirm() async throws {
        guard videoID == nil else { return }
        for attempt in 0..<3 {
            guard let (id, written) = claimed else { throw ApplyError("the lease on the account was not claimed") }
            try await Task.sleep(until: written + settle, clock: .continuous)
            guard try await leaseVideo() == id else {
                if attempt < 2 { try await claim(breakLease: breakLease) }
                continue
            }
            guard let after = try await read(id), after.token == token else {
                let winner = try await read(id)
                throw Held(holder: winner?.holder ?? "another apply", expires: winner?.expires ?? Date().addingTimeInterval(ttl))
            }
            videoID = id
            startRenewing()
            return
        }
        throw Held(holder: "another apply (the lease kept moving)", expires: Date().addingTimeInterval(ttl))
    }

    private func startRenewing() {
        let interval = max(1, ttl / 3)
        renewal = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard !Task.isCancelled else { return }
                await self?.renew()
            }
        }
    }

    /// Clears the lease if it is still this apply's (confirmed or only claimed).
    public func release() async {
        renewal?.cancel()
        renewal = nil
        guard let id = videoID ?? claimed?.id, let current = try? await read(id), current.token == token else { return }
        try? await write(id, State(holder: "", token: "", expires: Date(timeIntervalSince1970: 0)))
    }

    private func renew() async {
        guard let id = videoID, let current = try? await read(id), current.token == token else { return }
        try? await write(id, mine())
    }

    /// This apply's lease, expiring `ttl` from now.
    private func mine() -> State {
        let pid = getpid()
        let process =
            "\(ProcessInfo.processInfo.hostName) \(pid) \(ProjectLock.processStart(pid).map(String.init) ?? "0") "
            + (ProcessIdentity.namespace ?? "-")
        return State(holder: holder, token: token, expires: Date().addingTimeInterval(ttl), process: process)
    }

    /// The project's lease video: the first of them by id (all applies agree on it), made when missing.
    private func leaseVideo() async throws -> String {
        try await Self.leaseVideo(provider: provider, project: project)
    }

    private static func leaseVideo(provider: any Provider, project: String) async throws -> String {
        let mark = MetadataEntry(key: Self.marker, value: project)
        if let found = try await provider.videos(markedWith: [mark]).map(\.id).min() { return found }
        let video = NewVideo(
            title: "streamplan lease of project \(project); do not delete",
            description: "Says which apply of project \(project) may run now. Never uploaded.", isPublic: false,
            metadata: [mark], qualities: NewVideo.neverUploadedQualities)
        let made = try await CreateOnce.run(
            create: { try await provider.createVideo(video) },
            find: { try await provider.videos(markedWith: [mark]).map(\.id).min() })
        // Two applies may each have made one: both settle on the smallest id.
        let all = try await provider.videos(markedWith: [mark]).map(\.id)
        return all.min() ?? made.id
    }

    private func read(_ id: String) async throws -> State? {
        guard let video = try await provider.video(id: id) else { return nil }
        let expires = video.mark(Self.expiresKey).flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
        return State(
            holder: video.mark(Self.holderKey) ?? "", token: video.mark(Self.tokenKey) ?? "",
            expires: expires ?? Date(timeIntervalSince1970: 0), process: video.mark(Self.processKey) ?? "")
    }

    private func write(_ id: String, _ state: State) async throws {
        try await provider.updateVideo(
            id: id,
            VideoPatch(metadata: [
                MetadataEntry(key: Self.marker, value: project),
                MetadataEntry(key: Self.holderKey, value: state.holder),
                MetadataEntry(key: Self.tokenKey, value: state.token),
                MetadataEntry(key: Self.expiresKey, value: String(Int(state.expires.timeIntervalSince1970))),
                MetadataEntry(key: Self.processKey, value: state.process),
            ]))
    }
}
