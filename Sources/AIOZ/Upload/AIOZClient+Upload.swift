import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
public import Providers
import _NIOFileSystem

/// Streaming uploads: video parts and thumbnails, read from disk in 256 KiB chunks.
extension AIOZClient {
    static let chunkLength: ByteCount = .kibibytes(256)

    /// An upload's body: one buffer when it fits in a chunk (small parts and thumbnails: one write, no
    /// stream to hop through on every chunk), streamed otherwise. Either way `body` is read once, so its
    /// hashing and byte counts are the same; a small body read short (the file shrank) fails before
    /// anything is sent.
    static func uploadBody<Body: AsyncSequence & Sendable>(
        _ body: Body, length: Int64, context: RequestContext
    ) async throws -> OutgoingBody where Body.Element == ByteBuffer {
        guard let whole = try await collected(body, length: length, context: context) else {
            return .stream(.stream(body, length: .known(length)))
        }
        return .bytes(whole)
    }

    /// `body`'s bytes in one buffer when `length` fits in a chunk; nil for a larger body (streamed).
    static func collected<Body: AsyncSequence & Sendable>(
        _ body: Body, length: Int64, context: RequestContext
    ) async throws -> ByteBuffer? where Body.Element == ByteBuffer {
        guard length <= Int64(chunkLength.bytes) else { return nil }
        var whole = ByteBuffer()
        whole.reserveCapacity(Int(length))
        do {
            for try await var chunk in body { whole.writeBuffer(&chunk) }
        } catch {
            throw TransportFailure.classify(error, context: context)
        }
        guard whole.readableBytes == length else {
            throw TransportFailure(
                error: context.error(.invalidFile, detail: "the file changed size while it was being uploaded"),
                requestNotProcessed: true)
        }
        return whole
    }

    /// Uploads one part: `POST /videos/{id}/part` with `Content-Range`, fields `file`, then `hash` and `index`.
    ///
    /// The part is streamed from disk and hashed while it is sent (one read of each byte per
    /// attempt); a failed attempt is re-sent alone with a freshly built body.
    /// - Parameter onBytes: bytes handed to the transport; negative when a failed attempt's bytes are taken back.
    /// - Parameter observe: sees the part's bytes (with their offsets in the file) as they are read.
    /// - Parameter md5: the part's MD5 computed beforehand (lowercase hex): sent instead of hashing
    ///   the bytes as they stream; AIOZ refuses the part if it does not match them.
    /// - Returns: the part's lowercase hex MD5.
    @discardableResult
    public func uploadPart(
        videoID: String, file path: String, reader: (any RangeReader)? = nil, range: ClosedRange<Int64>, index: Int, total: Int64,
        md5 known: String? = nil, onBytes: @escaping @Sendable (Int64) -> Void = { _ in }, observe: ChunkBytesObserver? = nil
    ) async throws -> String {
        let part = PartRange(index: index, start: range.lowerBound, endInclusive: range.upperBound)
        let context = RequestContext("upload part \(index)", Self.videoResource(videoID))
        guard index >= 0, part.start >= 0, part.endInclusive < total else {
            throw context.error(
                .invalidRequest, detail: "bytes \(part.start)-\(part.endInclusive) do not fit a file of \(total) bytes")
        }
        return try await withRetries(context) {
            // Bytes counted for this attempt; nil once the attempt failed and its bytes were taken
            // back, so that chunks the transport still pulls afterwards are not counted twice.
            let sent = NIOLockedValueBox<Int64?>(0)
            do {
                return try await uploadPartOnce(
                    videoID: videoID, path: path, reader: reader, part: part, total: total, knownMD5: known, context: context,
                    observe: observe
                ) {
                    bytes in
                    let counted = sent.withLockedValue { value -> Bool in
                        guard let current = value else { return false }
                        value = current + Int64(bytes)
                        return true
                    }
                    if counted { onBytes(Int64(bytes)) }
                }
            } catch {
                let taken = sent.withLockedValue { value -> Int64 in
                    defer { value = nil }
                    return value ?? 0
                }
                if taken > 0 { onBytes(-taken) }
                throw error
            }
        }
    }

    private func uploadPartOnce(
        videoID: String, path: String, reader: (any RangeReader)?, part: PartRange, total: Int64, knownMD5: String?,
        context: RequestContext, observe: ChunkBytesObserver?, onChunk: @escaping @Sendable (Int) -> Void
    ) async throws -> String {
        let boundary = MultipartFraming.boundary()
        let head = MultipartFraming.fileHead(
            boundary: boundary, filename: "part-\(part.index)", contentType: "application/octet-stream")
        let placeholder = MultipartFraming.tail(
            boundary: boundary, fields: [("hash", String(repeating: "0", count: 32)), ("index", String(part.index))])
        let length = Int64(head.readableBytes) + part.length + Int64(placeholder.readableBytes)
        let digest = NIOLockedValueBox<String?>(nil)
        // The part's bytes handed to the transport, to tell a file that shrank from an early answer.
        let produced = NIOLockedValueBox<Int64>(0)

        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
        headers.add(name: "content-range", value: part.contentRange(totalSize: total))

        func send<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) async throws where Chunks.Element == ByteBuffer {
            let body = MultipartFileBody(
                head: head,
                chunks: chunks,
                makeTail: { hex in
                    MultipartFraming.tail(boundary: boundary, fields: [("hash", hex), ("index", String(part.index))])
                },
                onChunk: { bytes in
                    produced.withLockedValue { $0 += Int64(bytes) }
                    onChunk(bytes)
                },
                onDigest: { hex in digest.withLockedValue { $0 = hex } },
                firstOffset: part.start, observe: observe, knownMD5: knownMD5
            )
            do {
                _ = try await sendOnce(
                    .POST, path: "\(family)/\(Self.segment(videoID))/part", headers: headers,
                    body: try await Self.uploadBody(body, length: length, context: context),
                    timeout: configuration.uploadTimeout, context: context
                )
            } catch let failure as TransportFailure {
                let whole = digest.withLockedValue { $0 } != nil && produced.withLockedValue { $0 } == part.length
                throw failure.bodyEnded(producedWhole: whole, context: context)
            }
        }
        if let reader {
            let chunks: AsyncThrowingStream<ByteBuffer, any Error>
            do {
                chunks = try await reader.stream(part.byteRange)
            } catch {
                throw TransportFailure(
                    error: context.error(.invalidFile, detail: "cannot read \(reader.name): \(error)"), requestNotProcessed: true,
                    isPermanent: true)
            }
            try await send(chunks)
        } else {
            try await withReadHandle(path, context: context) { handle in
                if OnDemandChunks.enabled {
                    try await send(
                        OnDemandChunks(handle: handle, range: part.byteRange, chunkLength: Int64(Self.chunkLength.bytes)))
                } else {
                    try await send(handle.readChunks(in: part.byteRange, chunkLength: Self.chunkLength))
                }
            }
        }
        guard let hex = digest.withLockedValue({ $0 }) else {
            throw TransportFailure(
                error: context.error(.invalidFile, detail: "the part was not read to its end"), requestNotProcessed: false)
        }
        return hex
    }

    /// Uploads a PNG or JPEG thumbnail, streamed from disk; the content type comes from the file's first bytes.
    public func uploadThumbnail(videoID: String, file path: String) async throws {
        try await uploadImage(
            file: path, to: "\(family)/\(Self.segment(videoID))/thumbnail",
            context: RequestContext("upload thumbnail", Self.videoResource(videoID)))
    }

    /// Uploads a PNG or JPEG file as the multipart `file` of a POST to `apiPath` (a video's or a live
    /// stream key's thumbnail), streamed from disk.
    func uploadImage(file path: String, to apiPath: String, context: RequestContext) async throws {
        try await withRetries(context) {
            try await withReadHandle(path, context: context) { handle in
                let size = try await handle.info().size
                let signature = try await handle.readChunk(fromAbsoluteOffset: 0, length: .bytes(8))
                guard let image = ImageKind(signature: Array(signature.readableBytesView)) else {
                    throw TransportFailure(
                        error: context.error(.invalidFile, detail: "\(path) is neither a PNG nor a JPEG image"),
                        requestNotProcessed: false, isPermanent: true
                    )
                }
                let boundary = MultipartFraming.boundary()
                let head = MultipartFraming.fileHead(
                    boundary: boundary, filename: "thumbnail.\(image.fileExtension)", contentType: image.mimeType)
                let tail = MultipartFraming.tail(boundary: boundary, fields: [])
                let produced = NIOLockedValueBox<Int64>(0)
                let body = MultipartFileBody(
                    head: head, chunks: handle.readChunks(in: 0..<size, chunkLength: Self.chunkLength),
                    makeTail: { _ in tail }, onChunk: { bytes in produced.withLockedValue { $0 += Int64(bytes) } },
                    onDigest: { _ in }
                )
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
                do {
                    _ = try await sendOnce(
                        .POST, path: apiPath, headers: headers,
                        body: try await Self.uploadBody(
                            body, length: Int64(head.readableBytes) + size + Int64(tail.readableBytes), context: context),
                        timeout: configuration.uploadTimeout, context: context
                    )
                } catch let failure as TransportFailure {
                    throw failure.bodyEnded(producedWhole: produced.withLockedValue { $0 } == size, context: context)
                }
            }
        }
    }

    /// Uploads a PNG or JPEG thumbnail streamed from a remote image (a URL, an S3 object) of `size`
    /// bytes; the content type comes from its first bytes (one small ranged read).
    public func uploadThumbnail(videoID: String, reader: any RangeReader, size: Int64) async throws {
        let context = RequestContext("upload thumbnail", Self.videoResource(videoID))
        try await withRetries(context) {
            var signature: [UInt8] = []
            let chunks: AsyncThrowingStream<ByteBuffer, any Error>
            do {
                for try await chunk in try await reader.stream(0..<min(8, size)) {
                    signature += chunk.readableBytesView
                }
                chunks = try await reader.stream(0..<size)
            } catch {
                throw TransportFailure(
                    error: context.error(.invalidFile, detail: "cannot read \(reader.name): \(error)"), requestNotProcessed: true,
                    isPermanent: true)
            }
            guard let image = ImageKind(signature: signature) else {
                throw TransportFailure(
                    error: context.error(.invalidFile, detail: "\(reader.name) is neither a PNG nor a JPEG image"),
                    requestNotProcessed: true, isPermanent: true)
            }
            let boundary = MultipartFraming.boundary()
            let head = MultipartFraming.fileHead(
                boundary: boundary, filename: "thumbnail.\(image.fileExtension)", contentType: image.mimeType)
            let tail = MultipartFraming.tail(boundary: boundary, fields: [])
            let produced = NIOLockedValueBox<Int64>(0)
            let body = MultipartFileBody(
                head: head, chunks: chunks, makeTail: { _ in tail },
                onChunk: { bytes in produced.withLockedValue { $0 += Int64(bytes) } }, onDigest: { _ in })
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
            do {
                _ = try await sendOnce(
                    .POST, path: "\(family)/\(Self.segment(videoID))/thumbnail", headers: headers,
                    body: try await Self.uploadBody(
                        body, length: Int64(head.readableBytes) + size + Int64(tail.readableBytes), context: context),
                    timeout: configuration.uploadTimeout, context: context)
            } catch let failure as TransportFailure {
                throw failure.bodyEnded(producedWhole: produced.withLockedValue { $0 } == size, context: context)
            }
        }
    }

    /// Opens `path` for reading for the duration of `body`, mapping "cannot open" to a clear, permanent error.
    ///
    /// The handle is closed by NIO's scoped `withFileHandle`, whose tear-down runs even when the task
    /// is cancelled (a sibling part failed): closing it ourselves with `try? await handle.close()`
    /// skipped the close under cancellation, and NIO then stopped the process for a leaked descriptor.
    func withReadHandle<T: Sendable>(
        _ path: String, context: RequestContext, _ body: (ReadFileHandle) async throws -> T
    ) async throws -> T {
        var opened = false
        do {
            return try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                opened = true
                return try await body(handle)
            }
        } catch let error as FileSystemError where !opened {
            throw TransportFailure(
                error: context.error(.invalidFile, detail: "cannot open \(path): \(error.message)"),
                requestNotProcessed: false, isPermanent: true
            )
        }
    }
}

/// The image formats AIOZ accepts as thumbnails, recognised by their magic bytes.
enum ImageKind {
    case png, jpeg

    init?(signature: [UInt8]) {
        if signature.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if signature.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }

    var mimeType: String { self == .png ? "image/png" : "image/jpeg" }
    var fileExtension: String { self == .png ? "png" : "jpg" }
}
