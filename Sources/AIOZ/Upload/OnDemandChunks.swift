import Foundation
import NIOCore
import _NIOFileSystem

/// A range of a file read one chunk at a time, each read only when the transport asks for the next
/// chunk: a part holds at most the chunk being read and the one being written. NIO's
/// `readChunks` reads up to 8 chunks ahead of the transport (2 MiB of 256 KiB chunks per part, 16 MiB
/// for 8 parts in flight), which the upload does not need: with several parts in flight, one part's
/// read overlaps the others' writes.
struct OnDemandChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let handle: ReadFileHandle
    let range: Range<Int64>
    let chunkLength: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: ReadFileHandle
        var offset: Int64
        let end: Int64
        let chunkLength: Int64

        /// The next chunk; nil at the range's end, or at the file's end if it shrank (the body then
        /// ends short, which the part upload reports).
        mutating func next() async throws -> ByteBuffer? {
            guard offset < end else { return nil }
            let chunk = try await handle.readChunk(
                fromAbsoluteOffset: offset, length: .bytes(Swift.min(chunkLength, end - offset)))
            guard chunk.readableBytes > 0 else {
                offset = end
                return nil
            }
            offset += Int64(chunk.readableBytes)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: handle, offset: range.lowerBound, end: range.upperBound, chunkLength: chunkLength)
    }

    /// Whether parts read on demand (the default) or through NIO's `readChunks`
    /// (`STREAMPLAN_PART_READS=read-ahead`, a benchmark hook).
    static let enabled: Bool = {
        ProcessInfo.processInfo.environment["STREAMPLAN_PART_READS"] != "read-ahead"
    }()
}
