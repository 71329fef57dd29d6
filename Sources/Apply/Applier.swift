import Foundation
public import Manifest
public import Planning
public import Providers

/// Plans and applies through a provider: the one pipeline behind `plan`, `apply PATHS`,
/// `apply PLANFILE` and the tests. Knows the kinds only through `Planner.kinds` and `executors`.
public struct Applier: Sendable {
    /// Every kind's effectful half, in the same order as `Planner.kinds`.
    public static let executors: [any KindExecutor] = [
        VideoExecutor(), LiveKeyExecutor(), StreamingExecutor(), RestreamExecutor(), TextTrackExecutor(.caption),
        TextTrackExecutor(.chapter),
        WebhookExecutor(), PlaylistExecutor(), PlayerExecutor(), RecordingExecutor(),
    ]

    public let context: ApplyContext

    public init(
        provider: any Provider, project: String, options: ApplyOptions = ApplyOptions(),
        progress: ProgressReporter? = nil
    ) {
        context = ApplyContext(provider: provider, project: project, options: options, progress: progress)
    }

    public var provider: any Provider { context.provider }
    public var project: String { context.project }

    // MARK: Planning

    /// The desired state of a manifest: each source's identity (size, mtime, inode; not its
    /// hash, see `hashSources`) and each thumbnail's hash (cached by path, size, mtime, inode under the
    /// state directory).
    public func desired(_ manifest: Manifest) async throws -> DesiredState {
        let hasher = context.hashes
        var videos: [DesiredVideo] = []
        for spec in manifest.videos {
            var thumbnail: String?
            // A thumbnail that is a URL or an S3 object: its version and size are kept for apply.
            var remoteThumbnail: (RemoteSource, RemoteHead)?
            if let file = spec.thumbnail {
                if let remote = file.remote {
                    let (planned, head, sha256) = try await remoteContent(remote)
                    thumbnail = sha256
                    remoteThumbnail = (planned, head)
                } else {
                    thumbnail = try await hasher.contentSHA256(of: file)
                }
            }
            var video: DesiredVideo
            if spec.source.remote != nil {
                video = try await remoteDesired(spec, thumbnailSHA256: thumbnail)
            } else {
                let identity = try ContentHasher.identity(of: spec.source.path)
                video = DesiredVideo(spec: spec, sourceSHA256: nil, thumbnailSHA256: thumbnail, sourceIdentity: identity)
            }
            if let (remote, head) = remoteThumbnail {
                video.thumbnail?.remote = remote
                video.thumbnail?.size = head.size
            }
            videos.append(video)
        }
        var state = DesiredState(manifest, videos: videos)
        state.textTracks = try await desiredTextTracks(manifest)
        for spec in manifest.playlists {
            var thumbnail: String?
            if let file = spec.thumbnail { thumbnail = try await hasher.contentSHA256(of: file) }
            state.playlists.append(DesiredPlaylist(spec: spec, thumbnailSHA256: thumbnail))
        }
        for index in state.liveKeys.indices {
            guard
                let spec = manifest.liveStreams.first(where: { Address(.liveStream, $0.name) == state.liveKeys[index].address }),
                let file = spec.thumbnail
            else { continue }
            state.liveKeys[index] = DesiredLiveKey(spec, thumbnailSHA256: try await hasher.contentSHA256(of: file))
        }
        for spec in manifest.players {
            var logo: String?
            if let file = spec.logo?.image { logo = try await hasher.contentSHA256(of: file) }
            state.players.append(DesiredPlayer(spec: spec, logoSHA256: logo))
        }
        try? await hasher.save()
        return state
    }

    /// Hashes the sources the plan compares: those of videos a remote video of the project carries
    /// the address of, unless every such video is still pending (its source mark pins the file by
    /// identity; its upload hashes the file on the way). The source of a create is not read.
    public func hashSources(_ desired: inout DesiredState, for observation: Observation, all: Bool = false) async throws {
        var compared: Set<String> = []
        for video in observation.videos
        where video.mark(OwnershipMark.project) == desired.project && video.state != .deleted
            && !OwnershipMark.isPendingSource(video.mark(OwnershipMark.sourceSHA256))
        {
            if let address = video.mark(OwnershipMark.address) { compared.insert(address) }
        }
        // An import writes the source mark of the manifests' file on the adopted video: hash it now.
        for address in desired.imports.keys where address.kind == .video { compared.insert(address.description) }
        // A managed video whose address left the manifests may have been renamed: the new addresses'
        // sources are hashed, so that the plan can find it by its source (`MovePlanner`).
        let wanted = Set(desired.videos.map(\.address.description))
        let managed = Set(
            observation.videos.filter { $0.mark(OwnershipMark.project) == desired.project && $0.state != .deleted }
                .compactMap { $0.mark(OwnershipMark.address) })
        if !managed.subtracting(wanted).isEmpty {
            for address in wanted where !managed.contains(address) { compared.insert(address) }
        }
        let hasher = context.hashes
        // An LFS pointer's hash is its oid, known without reading the content.
        for index in desired.videos.indices
        where desired.videos[index].source.lfs == nil && desired.videos[index].source.remote == nil
            && (all || compared.contains(desired.videos[index].address.description))
        {
            desired.videos[index].source.sha256 = try await hasher.sha256(of: desired.videos[index].source.path)
        }
        try? await hasher.save()
    }

    /// Reads the project's objects of every kind. The videos' list pages (most of an observation's
    /// requests) are read while the other kinds read theirs, so each of the others' lists and reads
    /// (the registry, playlists, keys...) costs no round trip of its own; the kinds that read what
    /// the videos are (`observesVideos`: captions, chapters) go after both, in `executors` order.
    ///
    /// `listed`, when given, gives the project's video list read already (started before the
    /// manifests were loaded, `plan(_:listed:)`), instead of reading it here.
    public func observe(_ desired: DesiredState, listed: (@Sendable () async throws -> [RemoteVideo])? = nil) async throws
        -> Observation
    {
        let context = context
        let videoExecutors = Self.executors.filter { $0.kind == .video }
        async let videoPart: Observation = {
            var part = Observation()
            for executor in videoExecutors {
                if let videos = executor as? VideoExecutor {
                    try await videos.observe(into: &part, desired: desired, context, listed: listed)
                } else {
                    try await executor.observe(into: &part, desired: desired, context)
                }
            }
            return part
        }()
        var observation = Observation()
        for executor in Self.executors where executor.kind != .video && !executor.observesVideos {
            try await executor.observe(into: &observation, desired: desired, context)
        }
        let videos = try await videoPart
        observation.videos = videos.videos
        observation.importedElsewhere.merge(videos.importedElsewhere) { other, _ in other }
        for executor in Self.executors where executor.observesVideos {
            try await executor.observe(into: &observation, desired: desired, context)
        }
        return observation
    }

    /// Observes the account and plans the changes that make it match `manifest`. With
    /// `hashEverySource` (saved plans), the sources of creates are hashed too, so that the plan pins
    /// their content wherever it is applied.
    ///
    /// `listed`, when given, is the project's video list, started by the caller before the
    /// manifests were loaded (`plan` reads it while it loads them); it must be the list of
    /// `manifest.project` (`VideoExecutor.list`).
    public func plan(
        _ manifest: Manifest, options: PlanOptions = PlanOptions(), hashEverySource: Bool = false,
        listed: (@Sendable () async throws -> [RemoteVideo])? = nil
    ) async throws -> Plan {
        var options = options
        options.serviceName = provider.serviceName
        options.videosUpdatable = provider.canUpdateVideos
        options.audioMediaUnsupported = provider.audioMediaUnsupported
        var desired = try await desired(manifest)
        let observation = try await observe(desired, listed: listed)
        try await hashSources(&desired, for: observation, all: hashEverySource)
        return Planner.plan(desired, observation, options: options)
    }

    // MARK: Applying

    /// Starts hashing the local sources of the first videos `plan` creates or replaces (SHA-256 and
    /// each part's MD5, from disk, on threads of their own) and returns at once: called before the
    /// account lease is confirmed, so that the settle delay is spent on work the uploads need and
    /// that touches nothing on the account (`SourcePreparation`). `apply` uses what is done.
    public func prepare(_ plan: Plan) {
        context.prepared.start(
            plan, partSize: context.options.partSize, window: VideoExecutor.hashWindow,
            limit: min(2, max(1, context.options.parallelism)))
    }

    /// Starts the first video creates of `plan` (as many as run at once, at most 2) before the
    /// lease is confirmed, as tentative creates under `claim` (`TentativeCreates`): each creates its
    /// video without the project's mark and sends its parts; the rest of the create (the project's
    /// marks, the source mark, `complete`) waits for `context.tentative.confirm()`, and
    /// `context.tentative.abandon` deletes them if the lease is lost. Returns at once.
    public func startTentative(_ plan: Plan, claim: TentativeCreates.Claim) {
        let context = context
        context.tentative.begin(claim)
        let limit = min(2, max(1, context.options.parallelism))
        let executor = VideoExecutor()
        for change in plan.changes.filter({ VideoExecutor.canStartTentatively($0, context) }).prefix(limit) {
            guard let want = change.desired?.video else { continue }
            context.tentative.add(change.address, Task { try await executor.tentativeCreate(want, claim: claim, context) })
        }
    }

    /// Before the plan, when the lease was taken over from `takenOver` (`AccountLease.takenOver`):
    /// the videos that claim created tentatively become the project's, for the plan to resume.
    public func adoptTentative(lease: String, takenOver: String) async throws -> Int {
        try await TentativeCreates.adopt(lease: lease, takenOver: takenOver, context)
    }

    /// Performs every change that is not blocked, kind by kind in dependency order (see `KindOrder`);
    /// a failed change does not stop the others (but does stop what depends on it).
    public func apply(_ plan: Plan) async throws -> [ApplyOutcome] {
        // Hashing started for a create that did not upload (failed, blocked) stops with the apply.
        defer { context.prepared.cancel() }
        try context.options.checkAllowed(plan)
        // A plan whose attached cost says the account cannot pay is never started (the CLI says so
        // first, with the amounts; this keeps every other caller as safe).
        if let refusal = plan.cost?.refusals.first {
            throw ApplyError("\(refusal); nothing was changed")
        }
        let runnable = plan.changes.filter { $0.blocked == nil && !$0.isOwnership }
        let ownership = plan.changes.filter { $0.blocked == nil && $0.isOwnership }
        // Moves first: every other change was planned at the new addresses.
        var outcomes = await OwnershipExecutor.moves(ownership, context)
        for stage in KindOrder.stages(runnable, kinds: Self.executors.map(\.kind)) {
            for (kind, changes) in stage {
                guard let executor = Self.executors.first(where: { $0.kind == kind }) else { continue }
                outcomes += await executor.execute(changes, context)
            }
        }
        outcomes += await OwnershipExecutor.protections(ownership, context)
        // Uploads save the hash cache at most once a second; what they learnt since is kept now.
        try? await context.hashes.save()
        return outcomes
    }

    /// Where each video an apply left stands, with its links; with `wait`, after transcoding ends
    /// (each change of status is told to `onStatus`). Other kinds: their outcome only.
    ///
    /// `projectVideos`, when given, is about how many videos the project holds after the apply (the
    /// plan's): when listing them (100 a page) takes at most a quarter of the requests reading each
    /// video would, the links come from the project's list instead (an apply of 10,000 creates
    /// reads 100 pages, not 10,000 videos).
    public func results(
        _ outcomes: [ApplyOutcome], wait: Bool, projectVideos: Int? = nil, onStatus: @Sendable (String) -> Void = { _ in }
    ) async throws -> [ApplyResult] {
        if !wait { return try await currentResults(outcomes, projectVideos: projectVideos) }
        var results: [ApplyResult] = []
        for outcome in outcomes {
            guard outcome.succeeded, outcome.kind == .video, let id = outcome.objectID else {
                results.append(ApplyResult(outcome: outcome, video: nil))
                continue
            }
            var video = try await provider.video(id: id)
            if wait, let start = video {
                video = try await waitForTranscoding(start, address: outcome.address, onStatus: onStatus)
            }
            results.append(ApplyResult(outcome: outcome, video: video))
        }
        return results
    }

    /// `results` without waiting: the videos are read `parallelism` at a time (one after another, the
    /// reads after an apply of 10,000 videos took longer than a tenth of the apply), in the outcomes' order.
    private func currentResults(_ outcomes: [ApplyOutcome], projectVideos: Int?) async throws -> [ApplyResult] {
        let provider = provider
        var videos: [Int: RemoteVideo] = [:]
        var reads = outcomes.indices.compactMap { index -> (Int, String)? in
            let outcome = outcomes[index]
            guard outcome.succeeded, outcome.kind == .video, let id = outcome.objectID else { return nil }
            return (index, id)
        }
        if let projectVideos, (projectVideos + 99) / 100 * 4 <= reads.count {
            let listed = try await provider.videos(markedWith: [MetadataEntry(key: OwnershipMark.project, value: project)])
            let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (index, id) in reads { videos[index] = byID[id] }
            // A video the list did not show (it moved while paging) is read on its own, as before.
            reads = reads.filter { videos[$0.0] == nil }
        }
        try await withThrowingTaskGroup(of: (Int, RemoteVideo?).self) { group in
            var next = 0
            while next < min(max(1, context.options.parallelism), reads.count) {
                let (index, id) = reads[next]
                group.addTask { (index, try await provider.video(id: id)) }
                next += 1
            }
            while let (index, video) = try await group.next() {
                videos[index] = video
                if next < reads.count {
                    let (index, id) = reads[next]
                    group.addTask { (index, try await provider.video(id: id)) }
                    next += 1
                }
            }
        }
        return outcomes.indices.map { ApplyResult(outcome: outcomes[$0], video: videos[$0]) }
    }

    private func waitForTranscoding(_ start: RemoteVideo, address: Address, onStatus: @Sendable (String) -> Void) async throws
        -> RemoteVideo
    {
        var video = start
        var last = ""
        while video.state.isInProgress {
            let line = "\(address): \(video.state)" + video.renditions.map { " \($0.name)=\($0.status ?? "?")" }.joined()
            if line != last { onStatus(line) }
            last = line
            try await Task.sleep(for: .seconds(2))
            guard let next = try await provider.video(id: video.id) else { break }
            video = next
        }
        if video.state == .failed {
            onStatus("error: \(address): transcoding failed on \(provider.serviceName) (video \(video.id))")
        }
        return video
    }
}

/// One outcome with, for a video, where it stands now.
public struct ApplyResult: Sendable {
    public var outcome: ApplyOutcome
    public var video: RemoteVideo?
}
