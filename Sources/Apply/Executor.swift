import AIOZ
import Foundation
import Manifest
import Planning

/// Settings of one apply.
public struct ApplyOptions: Sendable {
    /// Videos worked on at once.
    public var parallelism: Int = 4
    /// Parts of one video in flight at once.
    public var partConcurrency: Int = 3
    public var partSize: Int64 = PartPlan.defaultPartSize
    /// The smallest part size allowed (lowered only against the sandbox, in tests).
    public var minimumPartSize: Int64 = PartPlan.minimumPartSize
    /// Deletes and replaces are refused unless this is set.
    public var allowDelete = false

    public init() {}
}

/// What happened to one planned change.
public struct ApplyOutcome: Sendable {
    public var address: String
    public var action: ChangeAction
    /// The video the change left in place (the new one for a create or replace).
    public var videoID: String?
    public var error: String?

    public var succeeded: Bool { error == nil }
}

/// Executes a plan against AIOZ: creates, chunked uploads, thumbnails, patches and deletes.
///
/// Each step is safe to repeat after a crash: a created video carries its marks from the first
/// request, acknowledged parts are journaled before moving on, and the thumbnail's mark is
/// written only after the thumbnail is uploaded.
public struct Executor: Sendable {
    public let client: AIOZClient
    public let project: String
    public let options: ApplyOptions
    public let journal: UploadJournal
    public let progress: ProgressReporter?

    public init(client: AIOZClient, project: String, options: ApplyOptions, journal: UploadJournal, progress: ProgressReporter?) {
        self.client = client
        self.project = project
        self.options = options
        self.journal = journal
        self.progress = progress
    }

    /// Runs every change, at most `parallelism` at once; a failure does not stop the others.
    public func apply(_ plan: Plan, desired: [DesiredVideo]) async throws -> [ApplyOutcome] {
        if plan.isDestructive && !options.allowDelete {
            let names = plan.changes.filter { $0.blocked == nil && ($0.action == .delete || $0.action == .replace) }.map(\.address)
            throw ApplyError("the plan deletes or replaces \(names.joined(separator: ", ")); "
                + "run apply with --allow-delete to allow it")
        }
        let wanted = Dictionary(desired.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        // Live keys and streamings are LiveExecutor's; blocked changes are never executed.
        let changes = plan.changes.filter { $0.kind == .video && $0.blocked == nil }
        return await withTaskGroup(of: (Int, ApplyOutcome).self) { group in
            var results = [ApplyOutcome?](repeating: nil, count: changes.count)
            var next = 0
            func startNext() {
                guard next < changes.count else { return }
                let index = next
                let change = changes[index]
                next += 1
                group.addTask {
                    do {
                        let id = try await self.execute(change, want: wanted[change.address])
                        return (index, ApplyOutcome(address: change.address, action: change.action, videoID: id))
                    } catch {
                        return (index, ApplyOutcome(address: change.address, action: change.action, videoID: change.remoteID,
                                                    error: "\(error)"))
                    }
                }
            }
            for _ in 0..<max(1, options.parallelism) { startNext() }
            for await (index, outcome) in group {
                results[index] = outcome
                startNext()
            }
            return results.compactMap { $0 }
        }
    }

    private func execute(_ change: ResourceChange, want: DesiredVideo?) async throws -> String? {
        switch change.action {
        case .delete:
            guard let id = change.remoteID else { return nil }
            try await deleteIgnoringMissing(id)
            try await journal.finish(videoID: id)
            return nil
        case .create:
            guard let want else { throw ApplyError("\(change.address): nothing in the manifests to create") }
            let id = try await create(want)
            try await finishUpload(id, want: want, thumbnail: change.thumbnail)
            return id
        case .replace:
            guard let want, let old = change.remoteID else { throw ApplyError("\(change.address): nothing to replace") }
            let id = try await create(want)
            try await finishUpload(id, want: want, thumbnail: want.thumbnailSHA256 == nil ? nil : .set)
            try await deleteIgnoringMissing(old)
            try await journal.finish(videoID: old)
            return id
        case .resume:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to resume") }
            try await finishUpload(id, want: want, thumbnail: change.thumbnail)
            try await patch(id, want: want, change: change)
            return id
        case .update:
            guard let want, let id = change.remoteID else { throw ApplyError("\(change.address): nothing to update") }
            try await updateThumbnail(id, want: want, change: change.thumbnail)
            try await patch(id, want: want, change: change)
            return id
        }
    }

    /// Creates the video with its marks. If the answer is lost, looks for the mark before trying again,
    /// so a retried create never makes a second video.
    private func create(_ want: DesiredVideo) async throws -> String {
        let request = createRequest(want)
        do {
            return try await client.createVideo(request).id
        } catch let error as AIOZError where error.code == .outcomeUnknown {
            if let existing = try await find(want.address) { return existing }
            return try await client.createVideo(request).id
        }
    }

    private func find(_ address: String) async throws -> String? {
        var query = VideoListQuery()
        query.limit = 100
        query.metadata = [MetadataPair(key: OwnershipMark.project, value: project),
                          MetadataPair(key: OwnershipMark.address, value: address)]
        let found = try await client.allVideos(query).filter { video in
            video.metadata.contains { $0.key == OwnershipMark.address && $0.value == address }
                && video.metadata.contains { $0.key == OwnershipMark.project && $0.value == project }
        }
        return found.first?.id
    }

    func createRequest(_ want: DesiredVideo) -> VideoCreateRequest {
        let spec = want.spec
        // The thumbnail's mark is added only once the thumbnail is uploaded.
        let metadata = want.metadata(project: project).filter { $0.key != OwnershipMark.thumbnailSHA256 }
        return VideoCreateRequest(
            title: spec.title, description: spec.description, isPublic: spec.isPublic,
            tags: spec.tags.isEmpty ? nil : spec.tags,
            metadata: metadata.map { MetadataPair(key: $0.key, value: $0.value) },
            qualities: spec.qualities?.map(Self.qualityRequest))
    }

    static func qualityRequest(_ q: QualitySpec) -> QualityRequest {
        QualityRequest(
            resolution: q.resolution, type: q.type, containerType: q.containerType,
            videoConfig: q.video.map { QualityRequest.VideoConfig(codec: $0.codec, bitrate: $0.bitrate, index: $0.index) },
            audioConfig: q.audio.map {
                QualityRequest.AudioConfig(codec: $0.codec, bitrate: $0.bitrate, channels: $0.channels, sampleRate: $0.sampleRate,
                                           language: $0.language, index: $0.index)
            })
    }

    /// Uploads the parts not yet acknowledged, completes the video, and sets its thumbnail.
    private func finishUpload(_ id: String, want: DesiredVideo, thumbnail: ThumbnailChange?) async throws {
        let source = want.spec.source
        let plan = try PartPlan(fileSize: source.size, partSize: options.partSize, minimumPartSize: options.minimumPartSize)
        let done = await journal.acknowledged(videoID: id, sourceSHA256: want.sourceSHA256, fileSize: source.size,
                                              partSize: plan.partSize)
        try await journal.begin(videoID: id, address: want.address, sourceSHA256: want.sourceSHA256, fileSize: source.size,
                                partSize: plan.partSize)
        let journal = self.journal
        let progress = self.progress
        let address = want.address
        await progress?.start(address, total: source.size)
        _ = try await ChunkedUploader(client: client, maxConcurrentParts: options.partConcurrency).upload(
            videoID: id, file: source.path, plan: plan, acknowledged: done,
            onPartAcknowledged: { part in try await journal.record(videoID: id, part: part) },
            onProgress: { update in
                Task { await progress?.update(address, sent: update.bytesSent) }
            })
        try await client.completeVideo(id: id)
        try await journal.finish(videoID: id)
        if thumbnail != nil, want.spec.thumbnail != nil {
            try await updateThumbnail(id, want: want, change: .set)
            try await client.updateVideo(id: id, VideoUpdateRequest(metadata: fullMetadata(want)))
        }
    }

    private func updateThumbnail(_ id: String, want: DesiredVideo, change: ThumbnailChange?) async throws {
        switch change {
        case .set?, .replace?:
            guard let file = want.spec.thumbnail else { return }
            try await client.uploadThumbnail(videoID: id, file: file.path)
        case .remove?:
            try await client.deleteThumbnail(videoID: id)
        case nil:
            return
        }
    }

    private func patch(_ id: String, want: DesiredVideo, change: ResourceChange) async throws {
        let changed = Set(change.attributes.map(\.name))
        let spec = want.spec
        var update = VideoUpdateRequest()
        if changed.contains("title") { update.title = spec.title }
        if changed.contains("description") { update.description = spec.description ?? "" }
        if changed.contains("is_public") { update.isPublic = spec.isPublic }
        if changed.contains("tags") { update.tags = spec.tags }
        if changed.contains("metadata") || change.thumbnail != nil || change.action == .resume {
            update.metadata = fullMetadata(want)
        }
        guard !update.isEmpty else { return }
        try await client.updateVideo(id: id, update)
    }

    private func fullMetadata(_ want: DesiredVideo) -> [MetadataPair] {
        want.metadata(project: project).map { MetadataPair(key: $0.key, value: $0.value) }
    }

    private func deleteIgnoringMissing(_ id: String) async throws {
        do {
            try await client.deleteVideo(id: id)
        } catch let error as AIOZError where error.code == .notFound {
            return
        }
    }
}
