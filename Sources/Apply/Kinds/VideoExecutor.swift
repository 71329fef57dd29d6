import Manifest
import Planning
import Providers

/// Videos: read through their ownership marks; created with their marks in the first request,
/// uploaded in chunks with a journal, completed, given a thumbnail, patched and deleted.
///
/// Each step is safe to repeat after a crash: a created video carries its marks from the first
/// request, acknowledged chunks are journaled before moving on, and the thumbnail's mark is written
/// only after the thumbnail is uploaded.
public struct VideoExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .video }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        observation.videos = try await context.provider.videos(markedWith: [
            MetadataEntry(
                key: OwnershipMark.project,
                value: context.project)
        ])
        // Videos to import carry no marks of this project (yet): read each by its id.
        let seen = Set(observation.videos.map(\.id))
        for (address, id) in desired.imports.sorted(by: { $0.key < $1.key }) where address.kind == .video && !seen.contains(id) {
            if let video = try await context.provider.video(id: id) { observation.videos.append(video) }
        }
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
        let want = change.desired?.video
        switch change.action {
        case .delete:
            guard let id = change.remoteID else { return nil }
            try await delete(id, context)
            return nil
        case .create:
            guard let want else { throw ApplyError("\(change.address): nothing in the manifests to create") }
            let id = try await create(want, context)
            await CrashPoint.afterCreate.reach()
            try await finishUpload(id, want: want, thumbnail: change.thumbnail, context)
            return id
        case .replace:
            guard let want, let old = change.remoteID else { throw ApplyError("\(change.address): nothing to replace") }
            let id = try await create(want, context)
            await CrashPoint.afterCreate.reach()
            try await finishUpload(id, want: want, thumbnail: want.thumbnail == nil ? nil : .set, context)
            await CrashPoint.replaceBeforeDelete.reach()
            try await delete(old, context)
            return id
        case .resume:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to resume") }
            try await finishUpload(id, want: want, thumbnail: change.thumbnail, context)
            try await patch(id, want: want, change: change, context)
            return id
        case .import:
            // The thumbnail first: its mark is written with the others by the patch that follows.
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to import") }
            try await updateThumbnail(id, want: want, change: change.thumbnail, context)
            try await patch(id, want: want, change: change, context)
            return id
        case .update:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to update") }
            try await updateThumbnail(id, want: want, change: change.thumbnail, context)
            try await patch(id, want: want, change: change, context)
            return id
        }
    }

    /// Creates the video with its marks (the thumbnail's mark comes once the thumbnail is uploaded).
    private func create(_ want: DesiredVideo, _ context: ApplyContext) async throws -> String {
        let video = NewVideo(
            title: want.title, description: want.description, isPublic: want.isPublic, tags: want.tags,
            metadata: want.metadata(project: context.project).filter { $0.key != OwnershipMark.thumbnailSHA256 },
            qualities: want.qualities,
            source: NewVideoSource(path: want.source.path, size: want.source.size, format: want.source.format))
        return try await CreateOnce.run(
            create: { try await context.provider.createVideo(video) },
            find: { try await find(want.address, context)?.id }
        ).id
    }

    /// The project's video carrying `address`, if any.
    private func find(_ address: Address, _ context: ApplyContext) async throws -> RemoteVideo? {
        try await context.provider.videos(markedWith: [
            MetadataEntry(key: OwnershipMark.project, value: context.project),
            MetadataEntry(key: OwnershipMark.address, value: address.description),
        ]).first { $0.state != .deleted }
    }

    /// Uploads the chunks not yet acknowledged, finishes the upload, and sets the thumbnail.
    private func finishUpload(_ id: String, want: DesiredVideo, thumbnail: ThumbnailChange?, _ context: ApplyContext) async throws
    {
        let source = want.source
        let session = try await context.provider.startUpload(
            videoID: id, file: source.path, size: source.size,
            preferredChunkSize: context.options.partSize)
        let journal = context.journal
        // A one-chunk upload has nothing to resume: journaling it would only cost three synced writes.
        let journaled = session.chunks.count > 1
        let done = await journal.acknowledged(
            videoID: id, sourceSHA256: source.sha256, fileSize: source.size,
            partSize: session.layoutKey)
        if journaled {
            try await journal.begin(
                videoID: id, address: want.address.description, sourceSHA256: source.sha256,
                fileSize: source.size, partSize: session.layoutKey)
        }
        let progress = context.progress
        let address = want.address.description
        await progress?.start(address, total: source.size, quiet: !journaled)
        let summary = try await ChunkUploader(maxConcurrentChunks: context.options.partConcurrency).upload(
            session, acknowledged: done,
            onReceipt: { receipt in
                if journaled { try await journal.record(videoID: id, receipt: receipt) }
                await CrashPoint.midPart.reach()
            },
            onProgress: { update in Task { await progress?.update(address, sent: update.bytesSent) } })
        try await session.finish(summary.receipts)
        await CrashPoint.afterComplete.reach()
        try await journal.finish(videoID: id)
        if thumbnail != nil, want.thumbnail != nil {
            try await updateThumbnail(id, want: want, change: .set, context)
            try await context.provider.updateVideo(id: id, VideoPatch(metadata: want.metadata(project: context.project)))
        }
    }

    private func updateThumbnail(_ id: String, want: DesiredVideo, change: ThumbnailChange?, _ context: ApplyContext) async throws
    {
        switch change {
        case .set?, .replace?:
            guard let file = want.thumbnail else { return }
            try await context.provider.setThumbnail(videoID: id, file: file.path)
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
        try await checkCleared(id, patch: patch, want: want, address: change.address, context)
    }

    /// After a patch that clears tags, the description or metadata entries, reads the video back: a
    /// value the service kept is reported and marked (`KeptOnClear`), so that the next plan says so
    /// instead of asking again forever. Nothing to do when nothing was cleared.
    private func checkCleared(_ id: String, patch: VideoPatch, want: DesiredVideo, address: Address, _ context: ApplyContext)
        async throws
    {
        let clearsTags = patch.tags?.isEmpty == true
        let clearsDescription = patch.description?.isEmpty == true
        let clearsMetadata = patch.metadata != nil
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
