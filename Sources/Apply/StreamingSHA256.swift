import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The SHA-256 of a file, computed from the bytes its upload streams while the parts go up in
/// parallel, so that a create reads each byte once in the common case.
///
/// SHA-256 is sequential and the parts are not: part 0 streams bytes 0…, part 1 bytes P…, at once.
/// Bytes that arrive in order are hashed at once (no copy). Bytes ahead of the hashed position are
/// copied into a reorder window of `window` bytes (counted from the hashed position); bytes beyond
/// it are **dropped** (never block a part: on a wide-area link the parts' parallelism is the
/// throughput), and when the hashed position reaches a dropped range a catch-up thread reads it
/// from disk again, while the upload goes on. So memory is bounded by the window whatever the file
/// size, and a byte is read twice only when it arrived more than `window` bytes ahead of the hashed
/// position (with P-byte parts and N in flight: when (N−1)·P exceeds the window). Ranges that are
/// not streamed at all (acknowledged by an earlier apply) are read by the catch-up. See
/// docs/design.md, "One read of each byte".
public final class StreamingSHA256: Sendable {
    /// What the hashing cost, for logs, benchmarks and tests.
    public struct Counters: Sendable, Hashable {
        /// Bytes hashed as the upload streamed them (directly or from the window).
        public var fromUpload: Int64 = 0
        /// Bytes read from disk again by the catch-up.
        public var reread: Int64 = 0
        /// The largest number of bytes held in the window at once.
        public var peakWindow: Int64 = 0
    }

    public static let defaultWindow = 16 << 20
    static let readLength = 1 << 20

    public let path: String
    public let size: Int64
    public let window: Int

    private struct State {
        var position: Int64 = 0
        var hasher = SHA256()
        /// Bytes ahead of `position`, by offset; all start at or after `position`.
        var pieces: [Int64: [UInt8]] = [:]
        var buffered = 0
        /// Ranges dropped because they were beyond the window; sorted, disjoint, ending after `position`.
        var dropped: [Range<Int64>] = []
        var catchingUp = false
        var finishing = false
        /// `readAhead`: every byte is read from disk, in order, from now on.
        var readingAhead = false
        var failure: String?
        var digest: String?
        var waiters: [CheckedContinuation<Void, Never>] = []
        var counters = Counters()

        var isOver: Bool { digest != nil || failure != nil }

        /// Hashes what of `bytes` (at `offset`) lies past `position`, if they reach it; then
        /// everything in the window that follows.
        mutating func consume(_ offset: Int64, _ bytes: UnsafeRawBufferPointer, size: Int64) -> Bool {
            let end = offset + Int64(bytes.count)
            guard offset <= position, end > position else { return false }
            let skip = Int(position - offset)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[skip...]))
            position = end
            drain(size: size)
            return true
        }

        mutating func drain(size: Int64) {
            while let piece = pieces.removeValue(forKey: position) {
                buffered -= piece.count
                piece.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                position += Int64(piece.count)
            }
            // Pieces overtaken (a retry cut differently): hash what of them lies ahead, forget them.
            for offset in pieces.keys where offset < position {
                guard let piece = pieces.removeValue(forKey: offset) else { continue }
                buffered -= piece.count
                if offset + Int64(piece.count) > position {
                    piece.withUnsafeBytes { bytes in _ = consume(offset, bytes, size: size) }
                }
            }
            while let first = dropped.first, first.upperBound <= position { dropped.removeFirst() }
            if position >= size, digest == nil {
                digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            }
        }

        /// Whether the bytes at `position` will not come from the upload (dropped, or the upload is over).
        var needsDisk: Bool {
            guard !isOver else { return false }
            return finishing || readingAhead || dropped.first.map { $0.contains(position) } == true
        }

        mutating func drop(_ range: Range<Int64>) {
            guard !range.isEmpty else { return }
            if let index = dropped.firstIndex(where: { $0.upperBound == range.lowerBound }) {
                let merged = dropped[index].lowerBound..<max(dropped[index].upperBound, range.upperBound)
                dropped[index] = merged
                if index + 1 < dropped.count, dropped[index + 1].lowerBound <= merged.upperBound {
                    dropped[index] = merged.lowerBound..<max(merged.upperBound, dropped[index + 1].upperBound)
                    dropped.remove(at: index + 1)
                }
                return
            }
            let index = dropped.firstIndex { $0.lowerBound > range.lowerBound } ?? dropped.count
            dropped.insert(range, at: index)
        }
    }

    private let state: Mutex<State>
    /// Set by `readAhead`, read without the lock: the upload's bytes are then not looked at.
    private let readingAhead = Atomic<Bool>(false)

    /// Hashes the `size` bytes of the file at `path`, holding at most `window` bytes out of order.
    /// Reads a range for the catch-up when the source is not a local file (a URL, an S3 object);
    /// nil: `path` is read from disk.
    let reader: (@Sendable (Range<Int64>) throws -> [UInt8])?

    public init(
        path: String, size: Int64, window: Int = StreamingSHA256.defaultWindow,
        reader: (@Sendable (Range<Int64>) throws -> [UInt8])? = nil
    ) {
        self.path = path
        self.reader = reader
        self.size = size
        self.window = max(window, 0)
        var initial = State()
        if size <= 0 { initial.digest = SHA256().finalize().map { String(format: "%02x", $0) }.joined() }
        state = Mutex(initial)
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// Marks ranges the upload will not stream (chunks acknowledged before): the catch-up reads them.
    public func skip(_ ranges: [Range<Int64>]) {
        state.withLock { state in
            for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                state.drop(max(range.lowerBound, state.position)..<range.upperBound)
            }
        }
        startCatchUpIfNeeded()
    }

    /// Reads the whole file from disk on a thread of its own, in order, from now on, instead of
    /// waiting for the upload's bytes: for a create, started before the account lease is confirmed
    /// (`SourcePreparation`), so that the SHA-256 is computed while the apply waits for the lease's
    /// settle delay instead of beside the parts. The upload's bytes are then ignored (`observe`
    /// returns at once, without the lock); the digest is the same.
    public func readAhead() {
        readingAhead.store(true, ordering: .relaxed)
        state.withLock { $0.readingAhead = true }
        startCatchUpIfNeeded()
    }

    /// Takes bytes the upload read at `offset` (a `ChunkBytesObserver`).
    public func observe(_ offset: Int64, _ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, !readingAhead.load(ordering: .relaxed) else { return }
        let end = offset + Int64(bytes.count)
        state.withLock { state in
            guard !state.isOver, end > state.position else { return }
            let before = state.position
            if state.consume(offset, bytes, size: size) {
                state.counters.fromUpload += end - before
                return
            }
            let previous = state.pieces[offset]?.count ?? 0
            if end <= state.position + Int64(window), state.buffered - previous + bytes.count <= window {
                state.pieces[offset] = Array(bytes)
                state.buffered += bytes.count - previous
                state.counters.fromUpload += Int64(bytes.count - previous)
                state.counters.peakWindow = max(state.counters.peakWindow, Int64(state.buffered))
            } else if previous == 0 {
                state.drop(offset..<end)
            }
        }
        startCatchUpIfNeeded()
    }

    /// Waits until every byte is hashed (reading what the upload did not deliver) and returns the
    /// lowercase hex digest.
    public func finish() async throws -> String {
        state.withLock { $0.finishing = true }
        startCatchUpIfNeeded()
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.isOver { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        let (digest, failure) = state.withLock { ($0.digest, $0.failure) }
        if let digest { return digest }
        throw ApplyError("cannot hash \(path) while uploading it: \(failure ?? "stopped")")
    }

    /// Stops hashing (the upload failed): the catch-up thread ends, waiters are released.
    public func cancel() {
        fail("the upload stopped")
    }

    private func fail(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.failure == nil, state.digest == nil { state.failure = reason }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func startCatchUpIfNeeded() {
        let (start, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            if state.isOver {
                defer { state.waiters = [] }
                return (false, state.waiters)
            }
            guard !state.catchingUp, state.needsDisk else { return (false, []) }
            state.catchingUp = true
            return (true, [])
        }
        for waiter in waiters { waiter.resume() }
        if start { Thread.detachNewThread { self.catchUp() } }
    }

    /// Reads from disk, in order, what the upload will not deliver at the hashed position, until the
    /// upload catches up again (or the file is hashed).
    private func catchUp() {
        if let reader {
            catchUp(with: reader)
            return
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            state.withLock { $0.catchingUp = false }
            fail("cannot open it: \(String(cString: strerror(errno)))")
            return
        }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Self.readLength)
        while true {
            let next = state.withLock { state -> Range<Int64>? in
                guard state.needsDisk else {
                    state.catchingUp = false
                    return nil
                }
                var end = min(size, state.position + Int64(Self.readLength))
                if let range = state.dropped.first, range.contains(state.position), !state.finishing {
                    end = min(end, range.upperBound)
                }
                if let piece = state.pieces.keys.filter({ $0 > state.position }).min() { end = min(end, piece) }
                return state.position..<end
            }
            guard let next else { break }
            let count = Int(next.count)
            var read = 0
            while read < count {
                let got = buffer.withUnsafeMutableBytes { bytes in
                    pread(descriptor, bytes.baseAddress! + read, count - read, off_t(next.lowerBound) + off_t(read))
                }
                if got < 0, errno == EINTR { continue }
                guard got > 0 else {
                    let reason = got == 0 ? "it is shorter than the \(size) bytes planned" : String(cString: strerror(errno))
                    state.withLock { $0.catchingUp = false }
                    fail("cannot read bytes \(next.lowerBound + Int64(read))…: \(reason)")
                    return
                }
                read += got
            }
            state.withLock { state in
                let before = state.position
                _ = buffer.withUnsafeBytes {
                    state.consume(next.lowerBound, UnsafeRawBufferPointer(rebasing: $0[..<count]), size: size)
                }
                state.counters.reread += max(0, min(state.position, next.upperBound) - before)
            }
        }
        startCatchUpIfNeeded()
    }

    /// The catch-up of a remote source: the same ranges, each read with a ranged GET.
    private func catchUp(with reader: @Sendable (Range<Int64>) throws -> [UInt8]) {
        while true {
            let next = state.withLock { state -> Range<Int64>? in
                guard state.needsDisk else {
                    state.catchingUp = false
                    return nil
                }
                var end = min(size, state.position + Int64(Self.remoteReadLength))
                if let range = state.dropped.first, range.contains(state.position), !state.finishing {
                    end = min(end, range.upperBound)
                }
                if let piece = state.pieces.keys.filter({ $0 > state.position }).min() { end = min(end, piece) }
                return state.position..<end
            }
            guard let next else { break }
            let bytes: [UInt8]
            do {
                bytes = try reader(next)
            } catch {
                state.withLock { $0.catchingUp = false }
                fail("cannot read bytes \(next.lowerBound)…: \(error)")
                return
            }
            guard bytes.count == next.count else {
                state.withLock { $0.catchingUp = false }
                fail("bytes \(next.lowerBound)…: \(bytes.count) read, \(next.count) asked")
                return
            }
            state.withLock { state in
                let before = state.position
                _ = bytes.withUnsafeBytes { state.consume(next.lowerBound, $0, size: size) }
                state.counters.reread += max(0, min(state.position, next.upperBound) - before)
            }
        }
        startCatchUpIfNeeded()
    }

    /// A remote catch-up reads larger ranges (one GET each).
    static let remoteReadLength = 8 << 20
}
