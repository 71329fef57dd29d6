/// One chunk of an upload: a byte range of the file and its number (from 0).
///
/// AIOZ Stream lets the client choose the layout (parts of a size it picks, sent with
/// `Content-Range`); a presigned-URL service chooses it itself. Either way the engine sees chunks.
public struct UploadChunk: Sendable, Hashable, Codable, CustomStringConvertible {
    public var index: Int
    public var start: Int64
    /// Inclusive.
    public var endInclusive: Int64

    public init(index: Int, start: Int64, endInclusive: Int64) {
        self.index = index
        self.start = start
        self.endInclusive = endInclusive
    }

    public var length: Int64 { endInclusive - start + 1 }
    /// The half-open range, for file reads.
    public var byteRange: Range<Int64> { start..<(endInclusive + 1) }

    public var description: String { "part \(index) (bytes \(start)-\(endInclusive))" }

    enum CodingKeys: String, CodingKey {
        case index, start
        case endInclusive = "end_inclusive"
    }
}

/// The service's acknowledgement of one chunk: its proof of the bytes it received (AIOZ: the
/// part's MD5 the client computed and the server checked; presigned uploads: the ETag).
public struct ChunkReceipt: Sendable, Hashable, Codable {
    public var chunk: UploadChunk
    public var proof: String

    public init(chunk: UploadChunk, proof: String) {
        self.chunk = chunk
        self.proof = proof
    }
}

/// Sees the file's bytes as a chunk streams them from disk: `offset` is where `bytes` start in the
/// file. Called synchronously, in order within one chunk (chunks go in parallel); the bytes are valid
/// only during the call. A chunk sent again (a retry) shows its bytes again.
public typealias ChunkBytesObserver = @Sendable (_ offset: Int64, _ bytes: UnsafeRawBufferPointer) -> Void

/// One file's upload into one remote video, as a provider lays it out.
///
/// The engine sends the chunks not yet acknowledged (from its journal), in parallel, journals each
/// receipt before moving on, then finishes. Sending a chunk twice must be harmless.
public protocol UploadSession: Sendable {
    /// Every chunk of the file, in order.
    var chunks: [UploadChunk] { get }
    /// What must match for receipts journaled earlier to be reused (e.g. the chunk size).
    var layoutKey: Int64 { get }
    /// Sends one chunk, streamed from disk. `onBytes` reports bytes handed to the transport
    /// (negative when a failed attempt's bytes are taken back); `observe`, when given, sees the bytes
    /// themselves as they are read (the engine hashes the file on the way: one read of each byte).
    func send(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?)
        async throws -> ChunkReceipt
    /// `send`, for a chunk whose proof the caller computed from the file beforehand (AIOZ: the part's
    /// MD5, `SourcePreparation`): the session sends it instead of hashing the bytes as they stream
    /// (the service still checks it against the bytes it receives). A session whose proof is not a
    /// digest of the bytes ignores it (the default).
    func send(
        _ chunk: UploadChunk, proof: String?, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?
    ) async throws -> ChunkReceipt
    /// Tells the service every chunk is there (AIOZ: `complete`).
    func finish(_ receipts: [ChunkReceipt]) async throws
}

/// Bytes sent so far out of the file's size.
public struct UploadProgress: Sendable, Hashable {
    public var bytesSent: Int64
    public var totalBytes: Int64

    public init(bytesSent: Int64, totalBytes: Int64) {
        self.bytesSent = bytesSent
        self.totalBytes = totalBytes
    }
}

extension UploadSession {
    public func send(
        _ chunk: UploadChunk, proof: String?, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?
    ) async throws -> ChunkReceipt {
        try await send(chunk, onBytes: onBytes, observe: observe)
    }

    /// Sends one chunk without looking at its bytes.
    public func send(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void) async throws -> ChunkReceipt {
        try await send(chunk, onBytes: onBytes, observe: nil)
    }
}
