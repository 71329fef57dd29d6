import Foundation
import Manifest
public import Providers
import Synchronization

/// One Aionvision upload as the engine sees it: the server's chunks (numbered from 1 on the wire,
/// from 0 in `UploadChunk`), each PUT to its presigned URL, its ETag checked against the MD5 of the
/// bytes sent (when the ETag is an MD5, as S3's is for a part without KMS), then confirmed; `finish`
/// completes. An expired or refused URL is renewed through `chunks/retry` and the chunk sent again.
public struct AionvisionUploadSession: UploadSession {
    public let client: AionvisionClient
    public let mediaID: String
    public let uploadID: String
    public let file: String
    public let chunks: [UploadChunk]
    public let layoutKey: Int64
    let contentType: String
    let urls: ChunkURLs
    /// The upload was completed already (by an earlier apply stopped before it heard so).
    let alreadyComplete: Bool
    /// Chunks (numbered from 1) the server had confirmed when the session was opened for a resume:
    /// not sent again even when the journal has no receipt for them (lost, or the apply was killed
    /// between the confirm and the journal write).
    let confirmedOnServer: Set<Int>
    /// At most the server's `concurrent_upload_limit` chunks in flight, whatever the engine asks.
    let gate: UploadGate

    /// The limit when the server names none (the videos reference's example answers 5).
    static let defaultConcurrentUploads = 5

    /// How many times one chunk's URL is renewed before giving up.
    static let maxRenewals = 3
    /// A URL expiring sooner than this is renewed before use.
    static let expiryMargin: TimeInterval = 30

    init(client: AionvisionClient, file: String, size: Int64, initiated: InitiateAnswer) throws {
        let layout = initiated.chunks.map { (number: $0.chunkNumber, size: $0.sizeBytes) }
        try self.init(
            client: client, mediaID: initiated.mediaID, uploadID: initiated.uploadID, file: file, size: size, layout: layout,
            urls: ChunkURLs(Dictionary(initiated.chunks.map { ($0.chunkNumber, $0) }, uniquingKeysWith: { _, last in last })),
            alreadyComplete: false, confirmedOnServer: [],
            concurrentUploads: initiated.concurrentUploadLimit ?? Self.defaultConcurrentUploads)
    }

    init(client: AionvisionClient, mediaID: String, file: String, size: Int64, progress: ProgressAnswer) throws {
        guard let uploadID = progress.uploadID, let chunkSize = progress.chunkSizeBytes, chunkSize > 0 else {
            throw AionvisionError(
                .server, operation: "resume the upload of media \(mediaID)",
                detail: "the progress answer names no upload id or chunk size, so the upload cannot be resumed")
        }
        if let known = progress.sizeBytes, known != size {
            throw AionvisionError(
                .invalidFile, operation: "resume the upload of media \(mediaID)",
                detail: "the upload was started for \(known) bytes but \(file) has \(size)")
        }
        let count = Int((size + chunkSize - 1) / chunkSize)
        let layout = (0..<count).map { (number: $0 + 1, size: min(chunkSize, size - Int64($0) * chunkSize)) }
        try self.init(
            client: client, mediaID: mediaID, uploadID: uploadID, file: file, size: size, layout: layout, urls: ChunkURLs([:]),
            alreadyComplete: progress.status == "completed", confirmedOnServer: Set(progress.confirmedChunks ?? []),
            concurrentUploads: Self.defaultConcurrentUploads)
    }

    private init(
        client: AionvisionClient, mediaID: String, uploadID: String, file: String, size: Int64,
        layout: [(number: Int, size: Int64)], urls: ChunkURLs, alreadyComplete: Bool, confirmedOnServer: Set<Int>,
        concurrentUploads: Int
    ) throws {
        var chunks: [UploadChunk] = []
        var start: Int64 = 0
        for (position, entry) in layout.sorted(by: { $0.number < $1.number }).enumerated() {
            guard entry.number == position + 1, entry.size > 0 else {
                throw AionvisionError(
                    .server, operation: "lay out the upload of media \(mediaID)",
                    detail: "the chunk list is not numbered 1, 2, 3, … with sizes above zero")
            }
            chunks.append(UploadChunk(index: position, start: start, endInclusive: start + entry.size - 1))
            start += entry.size
        }
        guard start == size else {
            throw AionvisionError(
                .server, operation: "lay out the upload of media \(mediaID)",
                detail: "the server's chunks cover \(start) bytes but \(file) has \(size)")
        }
        self.client = client
        self.mediaID = mediaID
        self.uploadID = uploadID
        self.file = file
        self.chunks = chunks
        self.layoutKey = chunks.first?.length ?? 0
        self.contentType = MediaFormat.sniff(path: file)?.mimeType ?? "application/octet-stream"
        self.urls = urls
        self.alreadyComplete = alreadyComplete
        self.confirmedOnServer = confirmedOnServer
        self.gate = UploadGate(permits: max(1, concurrentUploads))
    }

    public static let completedProof = "complete"
    /// The proof of a chunk the server had confirmed before this session (its ETag is the server's).
    public static let confirmedProof = "confirmed-on-server"

    public func send(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?)
        async throws -> ChunkReceipt
    {
        if alreadyComplete { return ChunkReceipt(chunk: chunk, proof: Self.completedProof) }
        if confirmedOnServer.contains(chunk.index + 1) { return ChunkReceipt(chunk: chunk, proof: Self.confirmedProof) }
        await gate.acquire()
        do {
            try Task.checkCancellation()
            let receipt = try await sendGated(chunk, onBytes: onBytes, observe: observe)
            await gate.release()
            return receipt
        } catch {
            await gate.release()
            throw error
        }
    }

    private func sendGated(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?)
        async throws -> ChunkReceipt
    {
        let number = chunk.index + 1
        let operation = "upload chunk \(number) of media \(mediaID)"
        var renewals = 0
        var transientFailures = 0
        var url = try await usableURL(number)
        while true {
            let sent = SentBytes()
            do {
                let answer = try await client.putChunk(
                    url: url, file: file, range: chunk.byteRange, contentType: contentType, operation: operation,
                    onBytes: { bytes in
                        sent.add(bytes)
                        onBytes(bytes)
                    }, observe: observe)
                try Self.check(answer, operation: operation)
                try await client.confirm(
                    ConfirmRequest(
                        mediaID: mediaID, uploadID: uploadID, chunkNumber: number, etag: answer.etag, sizeBytes: chunk.length))
                return ChunkReceipt(chunk: chunk, proof: answer.etag)
            } catch let error as AionvisionError {
                let taken = sent.takeAll()
                if taken > 0 { onBytes(-taken) }
                switch error.kind {
                case .urlRefused where renewals < Self.maxRenewals:
                    renewals += 1
                    url = try await renew(number)
                case _ where error.isTransient && transientFailures + 1 < client.configuration.maxAttempts:
                    transientFailures += 1
                    try await Task.sleep(for: client.delay(afterAttempt: transientFailures))
                default:
                    throw error
                }
            }
        }
    }

    public func finish(_ receipts: [ChunkReceipt]) async throws {
        guard !alreadyComplete else { return }
        do {
            try await client.complete(media: mediaID, upload: uploadID)
        } catch let error as AionvisionError where error.status == 409 {
            // Completed by an earlier apply stopped right after sending `complete`.
            guard (try? await client.progress(media: mediaID))?.status == "completed" else { throw error }
        }
    }

    /// Aborts the upload: S3's parts and the chunk records are removed with the media.
    public func abort() async throws {
        try await client.abort(media: mediaID, upload: uploadID)
    }

    /// The chunk's URL from `initiate` while it has time left, else a fresh one.
    private func usableURL(_ number: Int) async throws -> String {
        if let known = await urls.url(number), known.expiry.map({ $0.timeIntervalSinceNow > Self.expiryMargin }) ?? true {
            return known.uploadURL
        }
        return try await renew(number)
    }

    private func renew(_ number: Int) async throws -> String {
        let fresh = try await client.renew(media: mediaID, upload: uploadID, chunk: number)
        await urls.set(fresh)
        return fresh.uploadURL
    }

    /// An ETag that is an MD5 (32 hex digits, quoted or not) must be the MD5 of the bytes sent.
    static func check(_ answer: AionvisionClient.ChunkAnswer, operation: String) throws {
        let bare = answer.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        guard bare.count == 32, bare.allSatisfy(\.isHexDigit) else { return }
        guard bare == answer.md5 else {
            throw AionvisionError(
                .integrity, operation: operation,
                detail:
                    "the storage's ETag \(answer.etag) is not the MD5 of the bytes sent (\(answer.md5)); the chunk was damaged on the way"
            )
        }
    }
}

/// A counting semaphore: `acquire` waits while every permit is taken.
actor UploadGate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var highWater = 0
    private var taken = 0

    init(permits: Int) {
        free = permits
    }

    func acquire() async {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        taken += 1
        highWater = max(highWater, taken)
    }

    func release() {
        taken -= 1
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Presigned URLs known for an upload's chunks, replaced as they are renewed.
actor ChunkURLs {
    private var byNumber: [Int: PresignedChunk]

    init(_ byNumber: [Int: PresignedChunk]) {
        self.byNumber = byNumber
    }

    func url(_ number: Int) -> PresignedChunk? { byNumber[number] }
    func set(_ chunk: PresignedChunk) { byNumber[chunk.chunkNumber] = chunk }
}

/// Bytes one attempt handed to the transport, so a failed attempt can take them back.
final class SentBytes: Sendable {
    private let value = Mutex<Int64>(0)
    func add(_ bytes: Int64) { value.withLock { $0 += bytes } }
    func takeAll() -> Int64 {
        value.withLock { current in
            defer { current = 0 }
            return current
        }
    }
}
