import Foundation
import Manifest
import Planning
import Providers

/// Videos: read through their ownership marks; created with their marks in the first request,
/// uploaded in chunks with a journal, completed, given a thumbnail, patched and deleted.
///
/// Each step is safe to repeat after a crash: a created video carries its marks from the first
/// request (the source's as a pending mark that pins the file: its hash is computed while the file
/// uploads and written with one `PATCH` before `complete`), acknowledged chunks are journaled before
/// moving on, and the thumbnail's mark is written only after the thumbnail is uploaded.
public struct VideoExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .video }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        try await observe(into: &observation, desired: desired, context, listed: nil)
    }

    /// `observe`, with the project's list read already (`Applier.plan(_:listed:)`) when `listed` is given.
    func observe(
        into observation: inout Observation, desired: DesiredState, _ context: ApplyContext,
        listed: (@Sendable () async throws -> [RemoteVideo])?
    ) async throws {
        if let listed {
            observation.videos = try await listed()
        } else {
            observation.videos = try await Self.list(context)
        }
        // Videos to import carry no marks of this project (yet): read each by its id.
        let seen = Set(observation.videos.map(\.id))
        for (address, id) in desired.imports.sorted(by: { $0.key < $1.key }) where address.kind == .video && !seen.contains(id) {
            if let video = try await context.provider.video(id: id) {
                observation.videos.append(video)
            } else {
                await ImportProbe.record(id, expected: .video, into: &observation, context)
            }
        }
    }

    /// The project's videos, as `observe` reads them: every video carrying the project's mark.
    public static func list(_ context: ApplyContext) async throws -> [RemoteVideo] {
        try await context.provider.videos(markedWith: [MetadataEntry(key: OwnershipMark.project, value: context.project)])
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        for change in changes {
            if change.action != .create, let id = change.remoteID {
                if let video = try await context.provider.video(id: id) { observation.videos.append(video) }
            } else if let found = try await find(change.address, context) {
                observation.videos.append(found)
            }
        }
    }

    /// Runs the changes, at most `parallelism` at once; a failure does not stop the others.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        await withTaskGroup(of: (Int, ApplyOutcome).self) { group in
            var results = [ApplyOutcome?](repeating: nil, count: changes.count)
            var next = 0
            func startNext() {
                guard next < changes.count else { return }
                let index = next
                let change = changes[index]
                next += 1
                group.addTask { (index, await context.outcome(change) { try await self.execute(change, context) }) }
            }
            for _ in 0..<max(1, context.options.parallelism) { startNext() }
            for await (index, outcome) in group {
                results[index] = outcome
                startNext()
            }
            return results.compactMap { $0 }
        }
    }

    private func execute(_ change: ResourceChange, _ context: ApplyContext) async throws -> String? {
        var want = change.desired?.video
        // A source that is a Git LFS pointer is fetched (only when it is uploaded) and read from the store.
        if [.create, .replace, .resume].contains(change.action), let pointer = want?.source, pointer.lfs != nil {
            want?.source = try await LFSFetcher.materialized(pointer, hashes: context.hashes)
        }
        switch change.action {
        case .delete:
            guard let id = change.remoteID else { return nil }
            try await delete(id, context)
            return nil
        case .create:
            guard let want else { throw ApplyError("\(change.address): nothing in the manifests to create") }
            if let early = context.tentative.take(change.address) {
                // Created and its parts sent while the lease settled, made real once it was confirmed.
                let made = try await early.value
                try await finishUpload(made.id, want: made.pending, sent: made.sent, thumbnail: change.thumbnail, context)
                try await assignPlayer(made.id, want: want, change: change, context)
                return made.id
            }
            let (id, pending) = try await create(want, replacing: nil, context)
            await CrashPoint.afterCreate.reach()
            try await finishUpload(id, want: pending, expecting: want.sourceSHA256, thumbnail: change.thumbnail, context)
            try await assignPlayer(id, want: want, change: change, context)
            return id
        case .replace:
            guard let want, let old = change.remoteID else { throw ApplyError("\(change.address): nothing to replace") }
            let (id, pending) = try await create(want, replacing: old, context)
            await CrashPoint.afterCreate.reach()
            try await finishUpload(
                id, want: pending, expecting: want.sourceSHA256, thumbnail: want.thumbnail == nil ? nil : .set, context)
            try await assignPlayer(id, want: want, change: change, context)
            await CrashPoint.replaceBeforeDelete.reach()
            // The old video goes only once its replacement is proven: another object, on the account.
            try await ReplaceGuard.check(address: change.address, old: old, new: id) {
                try await context.provider.video(id: id).map { $0.state != .deleted } ?? false
            }
            try await delete(old, context)
            return id
        case .resume:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to resume") }
            let uploaded = try await finishUpload(id, want: want, thumbnail: change.thumbnail, context)
            try await patch(id, want: uploaded, change: change, context)
            try await assignPlayer(id, want: want, change: change, context)
            return id
        case .import:
            // The thumbnail first: its mark is written with the others by the patch that follows.
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to import") }
            try await updateThumbnail(id, want: want, change: change.thumbnail, context)
            try await patch(id, want: want, change: change, context)
            try await assignPlayer(id, want: want, change: change, context)
            return id
        case .move, .protect, .unprotect:
            throw ApplyError("\(change.address): a \(change.action.rawValue) is not a video's own change")
        case .update:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to update") }
            try await updateThumbnail(id, want: want, change: change.thumbnail, context)
            try await patch(id, want: want, change: change, context)
            try await assignPlayer(id, want: want, change: change, context)
            return id
        }
    }

    /// Creates the video with its marks: the source's is the pending mark (pinning the file as it is
    /// now), replaced by the hash the upload computes; the thumbnail's comes once the thumbnail is
    /// uploaded. Returns the id and the desired video as created (its source not hashed, whatever the
    /// plan knew: the upload hashes it and checks it against `planned`).
    ///
    /// The create carries a token of its own (`streamplan.create_token`, dropped by the source mark's
    /// `PATCH`): a lost answer is resolved only to a video carrying it, never to the video being
    /// replaced (`replacing`), which carries the same address.
    ///
    /// With `tentative`, the video is created under the lease's claim before its confirmation: its
    /// project mark is replaced by the claim's (`TentativeCreates`), so that no plan takes it for one
    /// of the project's videos until it is made real.
    func create(
        _ want: DesiredVideo, replacing old: String?, _ context: ApplyContext, tentative: TentativeCreates.Claim? = nil
    ) async throws -> (String, DesiredVideo) {
        if want.source.remote != nil || want.thumbnail?.remote != nil, !context.provider.canUploadFromReader {
            throw ApplyError(
                "\(want.address): \(context.provider.serviceName) cannot upload from a URL or S3 source (\(want.source.written)); "
                    + "nothing was created")
        }
        let identity =
            want.source.remote != nil
            ? try await RemoteSources.current(want.source, address: want.address)
            : try ContentHasher.identity(of: want.source.path)
        // A plan that hashed the source (a saved plan, maybe made on another machine) is checked by
        // content once the upload has hashed it; one that did not, by the file's identity now.
        if want.source.sha256 == nil, let planned = want.source.identity, planned != identity {
            throw ApplyError(
                "\(want.address): the source \(want.source.written) changed since the plan (\(planned) then, \(identity) now); plan again"
            )
        }
        var pending = want
        pending.source.identity = identity
        if let pointer = want.source.lfs {
            // Content-addressed and verified: the mark can name the content from the first request (the
            // upload's own hash is still checked against it before the mark is confirmed and `complete`).
            pending.source.sha256 = pointer.oid
        } else if want.source.remote != nil, let planned = want.source.sha256 {
            // Hashed by the plan (or named by the manifest or S3's checksum), at the version apply
            // insists on; the upload's own hash is still checked against it before `complete`.
            pending.source.sha256 = planned
        } else if context.provider.canUpdateVideos {
            pending.source.sha256 = nil
        } else {
            // A service that cannot change a video's metadata after its creation (Aionvision) gets the
            // source's hash in the create: read once before the upload (the cache spares unchanged files),
            // checked against the upload's own hash at the end.
            let digest = try await context.hashes.sha256(of: want.source.path)
            if let planned = want.source.sha256, planned != digest {
                throw ApplyError(
                    "\(want.address): the source \(want.source.written) changed since the plan (sha256 \(planned.prefix(12)) then, "
                        + "\(digest.prefix(12)) now); plan again")
            }
            pending.source.sha256 = digest
            try? await context.hashes.save(atMostEvery: .seconds(1))
        }
        var metadata = pending.metadata(project: context.project).filter { $0.key != OwnershipMark.thumbnailSHA256 }
        let token = CreateToken.make()
        let marked = context.provider.canUpdateVideos && metadata.count < CreateToken.metadataLimit
        if marked { metadata.append(MetadataEntry(key: CreateToken.key, value: token)) }
        if let tentative { metadata = tentative.hide(metadata) }
        let within =
            tentative.map { MetadataEntry(key: TentativeCreates.leaseKey, value: $0.lease) }
            ?? MetadataEntry(key: OwnershipMark.project, value: context.project)
        var video = NewVideo(
            title: want.title, description: want.description, isPublic: want.isPublic, tags: want.tags,
            metadata: metadata, qualities: want.qualities,
            source: NewVideoSource(path: want.source.path, size: want.source.size, format: want.source.format))
        video.mediaType = want.mediaType ?? .video
        video.watermark = want.watermark
        video.segmentDuration = want.segmentDuration
        let pendingMark = pending.sourceMark
        let id = try await CreateOnce.run(
            create: { try await context.provider.createVideo(video) },
            find: {
                // Only a video this create made: its token (or, where no token could be written, the
                // pending source mark pinning this file as it is now), and never the old one.
                let marks = marked ? [MetadataEntry(key: CreateToken.key, value: token)] : []
                let found = try await candidates(want.address, extra: marks, within: within, context).filter { video in
                    video.id != old && (marked || video.mark(OwnershipMark.sourceSHA256) == pendingMark)
                }
                return found.count == 1 ? found[0].id : nil
            }
        ).id
        if tentative != nil { context.tentative.made(id) }
        guard id != old else {
            throw ApplyError("\(want.address): the create answered with the id of the video it replaces (\(id)); nothing deleted")
        }
        return (id, pending)
    }

    /// The project's video carrying `address`, if any.
    private func find(_ address: Address, _ context: ApplyContext) async throws -> RemoteVideo? {
        try await candidates(address, extra: [], context).first
    }

    /// The project's videos (or those marked `within`) carrying `address` (and the `extra` marks), not deleted.
    private func candidates(
        _ address: Address, extra: [MetadataEntry], within: MetadataEntry? = nil, _ context: ApplyContext
    ) async throws -> [RemoteVideo] {
        try await context.provider.videos(
            markedWith: [
                within ?? MetadataEntry(key: OwnershipMark.project, value: context.project),
                MetadataEntry(key: OwnershipMark.address, value: address.description),
            ] + extra
        ).filter { $0.state != .deleted }
    }

    /// How many bytes the upload's SHA-256 holds out of order (`STREAMPLAN_HASH_WINDOW_MIB`, a
    /// benchmark hook; see `StreamingSHA256`).
    static let hashWindow: Int = {
        guard let text = ProcessInfo.processInfo.environment["STREAMPLAN_HASH_WINDOW_MIB"], let mebibytes = Int(text) else {
            return StreamingSHA256.defaultWindow
        }
        return max(0, mebibytes) << 20
    }()

    func updateThumbnail(_ id: String, want: DesiredVideo, change: ThumbnailChange?, _ context: ApplyContext) async throws {
        switch change {
        case .set?, .replace?:
            guard let file = want.thumbnail else { return }
            if let remote = file.remote {
                // Streamed from a GET of the planned version (If-Match on its ETag).
                try await context.provider.setThumbnail(
                    videoID: id, reader: RemoteSources().reader(remote, version: remote.etag), size: file.size)
                return
            }
            try await context.provider.setThumbnail(
                videoID: id, file: LFSFetcher.contentPath(of: file, hashes: context.hashes))
        case .remove?:
            try await context.provider.removeThumbnail(videoID: id)
        case nil:
            return
        }
    }

    /// Sends the fields the plan found changed; the metadata (with the marks) when it, or the
    /// thumbnail, changed, and always on a resume (the marks may lag behind).
    private func patch(_ id: String, want: DesiredVideo, change: ResourceChange, _ context: ApplyContext) async throws {
        let fields = change.fields
        var patch = VideoPatch()
        if fields.contains(.title) { patch.title = want.title }
        if fields.contains(.description) { patch.description = want.description ?? "" }
        if fields.contains(.isPublic) { patch.isPublic = want.isPublic }
        if fields.contains(.tags) { patch.tags = want.tags }
        if fields.contains(.metadata) || change.thumbnail != nil || change.action == .resume || change.action == .import {
            patch.metadata = want.metadata(project: context.project)
        }
        guard !patch.isEmpty else { return }
        // The marks go with every patch, so `streamplan.applied_sha256` always names what was applied.
        patch.metadata = want.metadata(project: context.project)
        try await context.provider.updateVideo(id: id, patch)
        try await checkCleared(
            id, patch: patch, metadataChanged: change.fields.contains(.metadata), want: want, address: change.address, context)
    }

    /// After a patch that clears tags, the description or metadata entries, reads the video back: a
    /// value the service kept is reported and marked (`KeptOnClear`), so that the next plan says so
    /// instead of asking again forever. Nothing to do when nothing was cleared.
    private func checkCleared(
        _ id: String, patch: VideoPatch, metadataChanged: Bool, want: DesiredVideo, address: Address, _ context: ApplyContext
    )
        async throws
    {
        let clearsTags = patch.tags?.isEmpty == true
        let clearsDescription = patch.description?.isEmpty == true
        // Every patch carries the marks; only a change of the user's entries can have removed some.
        let clearsMetadata = metadataChanged
        guard clearsTags || clearsDescription || clearsMetadata, let after = try await context.provider.video(id: id) else {
            return
        }
        let kept = KeptOnClear.found(
            after: after, askedTags: clearsTags ? [] : nil, description: clearsDescription ? "" : nil,
            userMetadata: clearsMetadata ? want.metadata : nil)
        guard kept != KeptOnClear(after) else { return }
        for field in kept.hashes.keys.sorted() {
            await context.results.warn(address, KeptOnClear.sentence(field, after, serviceName: context.provider.serviceName))
        }
        var metadata = want.metadata(project: context.project)
        if !kept.hashes.isEmpty { metadata.append(MetadataEntry(key: KeptOnClear.mark, value: kept.value)) }
        try await context.provider.updateVideo(id: id, VideoPatch(metadata: metadata))
    }

    private func delete(_ id: String, _ context: ApplyContext) async throws {
        do {
            try await context.provider.deleteVideo(id: id)
        } catch  where error.remoteFailure == .notFound {}
        await CrashPoint.afterDelete.reach()
        try await context.journal.finish(videoID: id)
    }
}
