public import NIOCore

/// The bytes of a source that is not a local file (an HTTP(S) URL, an S3 object), read by ranges:
/// each call is one ranged GET whose body streams through, so an upload holds no more than a few
/// transport buffers of it and writes no temporary file.
public protocol RangeReader: Sendable {
    /// For messages: the source as the manifest names it (never with credentials).
    var name: String { get }
    /// The bytes of `range` (half-open, within the object), in order. Throws when the object
    /// answers another version than the one planned, or fewer bytes than asked.
    func stream(_ range: Range<Int64>) async throws -> AsyncThrowingStream<ByteBuffer, any Error>
}
