import Foundation
import Manifest
import Planning
import Providers

/// A video's upload: the chunks, the source's hash and marks, `complete`.
extension VideoExecutor {
    /// Uploads the chunks not yet acknowledged, hashing the source on the way (the chunks acknowledged
    /// earlier are read again for it), checks the hash against the plan's when it had one, writes the
    /// marks with it in one `PATCH` before `complete`, finishes the upload, and sets the thumbnail.
    /// Returns `want` with the source's hash. Every upload ends the same way, so a video that is
    /// completed always carries its source's hash.
    ///
    /// When the thumbnail's mark goes with the source's (`thumbnailFirst`), the thumbnail is sent beside
    /// the parts rather than after them: neither needs the other, and a create's requests then wait on
    /// four round trips, not five. A crash with one sent and not the other leaves a video without
    /// either mark, as a crash between them did before; the next plan resumes it.
    @discardableResult
    func finishUpload(
        _ id: String, want: DesiredVideo, expecting planned: String? = nil, thumbnail: ThumbnailChange?,
        _ context: ApplyContext
    ) async throws -> DesiredVideo {
        guard thumbnailFirst(thumbnail, want: want, context) else {
            let sent = try await sendParts(id, want: want, expecting: planned, context)
            return try await finishUpload(id, want: want, sent: sent, thumbnail: thumbnail, context)
        }
        // Left unawaited when the parts fail, the thumbnail is cancelled (and awaited) as the scope ends.
        async let cover: Void = updateThumbnail(id, want: want, change: .set, context)
        let sent = try await sendParts(id, want: want, expecting: planned, context)
        try await cover
        return try await finishUpload(id, want: want, sent: sent, thumbnail: thumbnail, thumbnailSent: true, context)
    }

    /// Whether the thumbnail goes before the one `PATCH` of the marks, its mark with the source's: a
    /// thumbnail to set, on a service whose videos' marks can be rewritten.
    func thumbnailFirst(_ thumbnail: ThumbnailChange?, want: DesiredVideo, _ context: ApplyContext) -> Bool {
        thumbnail != nil && want.thumbnail != nil && context.provider.canUpdateVideos
    }

    /// The parts of an upload sent, with what its end needs (`finishUpload(_:want:sent:…)`).
    struct SentParts: Sendable {
        let session: any UploadSession
        let summary: ChunkUploader.Summary
        let hashing: StreamingSHA256
        let parts: PartDigests?
        let identity: FileIdentity
        let expected: String?
        let seconds: Double
    }

    /// The first half of an upload: checks the source, sends the parts not yet acknowledged (hashing
    /// the source on the way) and journals them. Makes no change but the parts (the journal's is local).
    func sendParts(_ id: String, want: DesiredVideo, expecting planned: String?, _ context: ApplyContext) async throws
        -> SentParts
    {
        let source = want.source
        let expected = planned ?? source.sha256
        let identity =
            source.remote != nil
            ? try await RemoteSources.current(source, address: want.address)
            : try ContentHasher.identity(of: source.path)
        if expected == nil, let pinned = source.identity, pinned != identity {
            throw ApplyError(
                "\(want.address): the source \(source.written) changed since the plan (\(pinned) then, \(identity) now); plan again"
            )
        }
        let remoteReader = source.remote.map { RemoteSources().reader($0, version: $0.etag) }
        let session =
            if let remoteReader {
                // A URL or S3 source: each part streams its range with a GET of its own (no temporary file).
                try await context.provider.startUpload(
                    videoID: id, reader: remoteReader, size: source.size, preferredChunkSize: context.options.partSize)
            } else {
                try await context.provider.startUpload(
                    videoID: id, file: source.path, size: source.size,
                    preferredChunkSize: context.options.partSize)
            }
        let journal = context.journal
        // A one-chunk upload has nothing to resume: journaling it would only cost three synced writes.
        let journaled = session.chunks.count > 1
        // Keyed by the file's identity: the hash is not known before the upload ends.
        let key = OwnershipMark.pendingSource(identity)
        let done = await journal.acknowledged(
            videoID: id, source: key, fileSize: source.size, partSize: session.layoutKey)
        if journaled {
            try await journal.begin(
                videoID: id, address: want.address.description, source: key,
                fileSize: source.size, partSize: session.layoutKey)
        }
        // Hashed from disk while the apply waited for the lease (`SourcePreparation`), if it was.
        let prepared = source.remote == nil ? context.prepared.take(source.path, identity: identity) : nil
        prepared?.parts.stop()
        let hashing =
            prepared?.sha256
            ?? StreamingSHA256(
                path: source.path, size: source.size, window: Self.hashWindow,
                reader: source.remote.map { RemoteSources().blockingRead($0, version: $0.etag) })
        hashing.skip(done.map(\.chunk.byteRange))
        let parts = prepared?.parts
        let observe: ChunkBytesObserver = { offset, bytes in hashing.observe(offset, bytes) }
        let progress = context.progress
        let address = want.address.description
        await progress?.start(address, total: source.size, quiet: !journaled)
        let clock = ContinuousClock()
        let began = clock.now
        let summary: ChunkUploader.Summary
        do {
            summary = try await ChunkUploader(maxConcurrentChunks: context.options.partConcurrency).upload(
                session, acknowledged: done,
                onReceipt: { receipt in
                    if journaled { try await journal.record(videoID: id, receipt: receipt) }
                    await CrashPoint.midPart.reach()
                },
                onProgress: { update in Task { await progress?.update(address, sent: update.bytesSent) } },
                observe: observe, proof: { parts?.digest(for: $0) })
        } catch {
            hashing.cancel()
            throw error
        }
        return SentParts(
            session: session, summary: summary, hashing: hashing, parts: parts, identity: identity, expected: expected,
            seconds: Double((clock.now - began) / .milliseconds(1)) / 1000)
    }

    /// The second half of an upload, once its parts are sent: the thumbnail, the source's hash and
    /// marks (one `PATCH`, the thumbnail's mark with them), `complete`, the journal's entry finished.
    ///
    /// The thumbnail goes before the marks (AIOZ's upload guide sets it "after creating a video"), so
    /// that one `PATCH` carries both marks: a create is five requests (create, part, thumbnail,
    /// `PATCH`, `complete`), not six. A crash between the thumbnail and the `PATCH` leaves a video
    /// without either mark, which the next plan resumes (thumbnail sent again). A service whose
    /// videos' marks cannot be rewritten gets the thumbnail after `complete`, as before.
    ///
    /// `thumbnailSent`: the thumbnail already went, beside the parts (`finishUpload(_:want:expecting:…)`).
    @discardableResult
    func finishUpload(
        _ id: String, want: DesiredVideo, sent: SentParts, thumbnail: ThumbnailChange?, thumbnailSent: Bool = false,
        _ context: ApplyContext
    ) async throws -> DesiredVideo {
        let (session, hashing, parts) = (sent.session, sent.hashing, sent.parts)
        let journal = context.journal
        let clock = ContinuousClock()
        let began = clock.now
        let thumbnailFirst = thumbnailFirst(thumbnail, want: want, context)
        if thumbnailFirst, !thumbnailSent { try await updateThumbnail(id, want: want, change: .set, context) }
        let want = try await markSource(
            id, want: want, hashing: hashing, identity: sent.identity, expecting: sent.expected,
            withThumbnailMark: thumbnailFirst, context)
        let marked = clock.now
        try await session.finish(sent.summary.receipts)
        if ProcessInfo.processInfo.environment["STREAMPLAN_HASH_STATS"] != nil {
            let counters = hashing.counters
            func seconds(_ duration: Duration) -> String { String(format: "%.2f s", Double(duration / .milliseconds(1)) / 1000) }
            let computed: Int = parts?.computed ?? 0
            let hashed: String =
                "streamplan: \(want.address) source hashed while uploading: \(counters.fromUpload) bytes from the upload, "
                + "\(counters.reread) read again, window peak \(counters.peakWindow) of \(hashing.window); "
            let prepared: String = "\(computed) of \(session.chunks.count) parts' MD5 computed before the upload; "
            let phases: String =
                "parts \(String(format: "%.2f s", sent.seconds)), hash wait and source mark \(seconds(marked - began)), "
                + "complete \(seconds(clock.now - marked))\n"
            FileHandle.standardError.write(Data((hashed + prepared + phases).utf8))
        }
        await CrashPoint.afterComplete.reach()
        try await journal.finish(videoID: id)
        if thumbnail != nil, want.thumbnail != nil, !thumbnailFirst {
            try await updateThumbnail(id, want: want, change: .set, context)
            try await context.provider.updateVideo(id: id, VideoPatch(metadata: want.metadata(project: context.project)))
        }
        return want
    }

    /// Once every chunk is acknowledged: the upload's hash of the source (checked against the plan's,
    /// when it had one, and the file's identity unchanged since the upload began) goes into the hash
    /// cache and, with one `PATCH` of the marks, onto the video, before `complete`. The thumbnail's
    /// mark goes with them only `withThumbnailMark` (the thumbnail is already set).
    func markSource(
        _ id: String, want: DesiredVideo, hashing: StreamingSHA256, identity: FileIdentity, expecting planned: String?,
        withThumbnailMark: Bool = false, _ context: ApplyContext
    ) async throws -> DesiredVideo {
        var want = want
        let source = want.source
        let digest = try await hashing.finish()
        let after =
            source.remote != nil
            ? try await RemoteSources.current(source, address: want.address)
            : try ContentHasher.identity(of: source.path)
        guard after == identity else {
            throw ApplyError(
                "\(want.address): the source \(source.written) changed while it uploaded (\(identity) then, \(after) now); "
                    + "apply again to replace the unfinished video")
        }
        if let planned, planned != digest, let declared = source.remote?.declaredSHA256, declared == planned {
            throw ApplyError(
                "\(want.address): the bytes of \(source.written) hash to sha256 \(digest), not the source_sha256 \(declared) "
                    + "the manifest gives; correct source_sha256 (or remove it to let streamplan hash the object) and apply again"
            )
        }
        if let planned, planned != digest {
            throw ApplyError(
                "\(want.address): the source \(source.written) changed since the plan (sha256 \(planned.prefix(12)) then, "
                    + "\(digest.prefix(12)) uploaded); apply again to replace the unfinished video")
        }
        await context.hashes.record(digest, of: source.remote.map(RemoteSources.cacheKey) ?? source.path, identity: identity)
        try? await context.hashes.save(atMostEvery: .seconds(1))
        want.source.sha256 = digest
        want.source.identity = identity
        await CrashPoint.beforeSourceMark.reach()
        if context.provider.canUpdateVideos {
            try await context.provider.updateVideo(
                id: id,
                VideoPatch(
                    metadata: want.metadata(project: context.project).filter {
                        withThumbnailMark || $0.key != OwnershipMark.thumbnailSHA256
                    }))
        }
        await CrashPoint.afterSourceMark.reach()
        return want
    }
}
