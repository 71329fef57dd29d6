import Crypto
import Foundation
public import Planning
import Providers
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What an apply does with the sources of the videos it creates while it waits for the account
/// lease's confirmation: it reads and hashes them, and nothing else.
///
/// An apply may not change the account before `AccountLease.confirm` returns (the settle delay,
/// 2 s after its claim). For a create of one large file the plan takes a few milliseconds, so the
/// apply used to spend the settle delay idle and then hash the file beside its upload, on the same
/// cores. Hashing talks to no one: the SHA-256 of the whole file (the content mark) and the MD5 of
/// each part (the proof AIOZ checks per part) are computed from disk during the delay, on two
/// threads, and the upload then streams bytes it no longer hashes. The lease's guarantee is
/// untouched: no request is made here (docs/design.md, "Concurrent applies").
///
/// A part whose MD5 is not ready when its upload starts is hashed as it streams, as before; the MD5
/// thread stops when the first upload starts, so it never competes with the parts. If the file
/// changes after it was hashed, the part's MD5 no longer matches the bytes sent and the service
/// refuses the part, and the file's identity (size, modification time, inode), checked before and
/// after the upload, refuses the source mark: the same checks as for an upload hashed on the way.
public final class SourcePreparation: Sendable {
    /// One source being hashed ahead of its upload.
    struct Source: Sendable {
        let identity: FileIdentity
        let sha256: StreamingSHA256
        let parts: PartDigests
    }

    private let sources = Mutex<[String: Source]>([:])

    public init() {}

    /// Starts hashing the local source of each video `plan` creates or replaces (at most `limit`
    /// of them, in plan order; sources from LFS, URLs and S3 are left to the upload). Returns at once.
    public func start(_ plan: Plan, partSize: Int64, window: Int, limit: Int = 2) {
        var started = 0
        for change in plan.changes where started < limit && change.blocked == nil && [.create, .replace].contains(change.action) {
            guard let source = change.desired?.video?.source, source.lfs == nil, source.remote == nil, source.size > 0,
                let identity = try? ContentHasher.identity(of: source.path), identity.size == source.size
            else { continue }
            let prepared = Source(
                identity: identity, sha256: StreamingSHA256(path: source.path, size: source.size, window: window),
                parts: PartDigests(path: source.path, size: source.size, partSize: partSize))
            let fresh = sources.withLock { sources in
                guard sources[source.path] == nil else { return false }
                sources[source.path] = prepared
                return true
            }
            guard fresh else { continue }
            prepared.sha256.readAhead()
            prepared.parts.start()
            started += 1
        }
    }

    /// The hashing started for `path`, if the file is still `identity`; handed out once.
    func take(_ path: String, identity: FileIdentity) -> Source? {
        let taken = sources.withLock { $0.removeValue(forKey: path) }
        guard let taken else { return nil }
        guard taken.identity == identity else {
            taken.sha256.cancel()
            taken.parts.stop()
            return nil
        }
        return taken
    }

    /// The hashing started for `path`, left in place (for tests).
    func peek(_ path: String) -> Source? { sources.withLock { $0[path] } }

    /// Stops whatever was not taken (the apply ends).
    public func cancel() {
        let all = sources.withLock { sources in
            defer { sources = [:] }
            return Array(sources.values)
        }
        for source in all {
            source.sha256.cancel()
            source.parts.stop()
        }
    }
}

/// The MD5 of each part of a file (parts of `partSize` bytes from offset 0, the layout an AIOZ
/// upload uses), computed in order on a thread of its own until `stop`.
final class PartDigests: Sendable {
    let path: String
    let size: Int64
    let partSize: Int64
    private struct State {
        var digests: [Int: String] = [:]
    }
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    static let readLength = 1 << 20

    init(path: String, size: Int64, partSize: Int64) {
        self.path = path
        self.size = size
        self.partSize = max(1, partSize)
    }

    func start() {
        Thread.detachNewThread { self.run() }
    }

    /// Stops hashing: the parts not done by now are hashed as they stream.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// The lowercase hex MD5 of `chunk`, when it is one of the parts computed.
    func digest(for chunk: UploadChunk) -> String? {
        guard chunk.start % partSize == 0, chunk.length == min(partSize, size - chunk.start) else { return nil }
        let index = Int(chunk.start / partSize)
        return state.withLock { $0.digests[index] }
    }

    /// How many parts are computed (for tests and benchmarks).
    var computed: Int { state.withLock { $0.digests.count } }

    private func run() {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Self.readLength)
        var start: Int64 = 0
        var index = 0
        while start < size {
            let end = min(size, start + partSize)
            var md5 = Insecure.MD5()
            var offset = start
            while offset < end {
                if stopped.load(ordering: .relaxed) { return }
                let count = Int(min(Int64(Self.readLength), end - offset))
                let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, count, off_t(offset)) }
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { return }
                buffer.withUnsafeBytes { md5.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<got])) }
                offset += Int64(got)
            }
            let hex = md5.finalize().map { String(format: "%02x", $0) }.joined()
            state.withLock { $0.digests[index] = hex }
            start = end
            index += 1
        }
    }
}
