import Crypto
import Foundation
import Manifest
public import MediaInfo
public import Planning
import YAMLNodes

/// SHA-256 of local files, and what a source's container says of it (`SourceProbe`), cached by
/// path, size, modification time and inode under `.streamplan/`, so that re-planning does not re-read
/// unchanged multi-gigabyte files.
public actor ContentHasher {
    struct Entry: Codable, Equatable {
        var size: Int64
        var mtimeNanoseconds: Int64
        var inode: UInt64
        var sha256: String
        /// Absent in caches written before probing existed, and until the file is first probed.
        var probe: SourceProbe?
    }

    private let cachePath: String?
    private var entries: [String: Entry]
    private var dirty = false
    private var lastSave: ContinuousClock.Instant?
    /// How many files were actually read (the rest came from the cache); for tests and logs.
    public private(set) var filesRead = 0

    /// A hasher whose cache lives at `cachePath` (nil: no cache).
    public init(cachePath: String?) {
        self.cachePath = cachePath
        if let cachePath, let data = FileManager.default.contents(atPath: cachePath),
            let decoded = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            entries = decoded
        } else {
            entries = [:]
        }
    }

    /// How many files were probed (the rest came from the cache); for tests.
    public private(set) var filesProbed = 0

    /// The size, modification time and inode of the file at `path`, without reading it.
    public static func identity(of path: String) throws -> FileIdentity {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ApplyError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return FileIdentity(
            size: Int64(info.st_size),
            mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino))
    }

    /// The cached hash of the file at `path` if the cache holds one for its current identity.
    public func cachedSHA256(of path: String, identity: FileIdentity) -> String? {
        guard let cached = entries[path], cached.size == identity.size,
            cached.mtimeNanoseconds == identity.mtimeNanoseconds, cached.inode == identity.inode,
            !cached.sha256.isEmpty
        else { return nil }
        return cached.sha256
    }

    /// Remembers a hash computed elsewhere (an upload hashes its source on the way) for the file as
    /// it was then, so that the next plan does not read it again (a probe of the same file is kept).
    public func record(_ sha256: String, of path: String, identity: FileIdentity) {
        var entry = Entry(
            size: identity.size, mtimeNanoseconds: identity.mtimeNanoseconds, inode: identity.inode, sha256: sha256)
        if let cached = entries[path], cached.sameFile(as: entry) { entry.probe = cached.probe }
        entries[path] = entry
        dirty = true
    }

    /// The lowercase hex SHA-256 of the file at `path` (absolute, symlinks resolved).
    public func sha256(of path: String) throws -> String {
        let key = try stamp(path)
        if let cached = entries[path], cached.sameFile(as: key), !cached.sha256.isEmpty {
            return cached.sha256
        }
        let digest = try Self.hashFile(path)
        filesRead += 1
        var entry = key
        entry.sha256 = digest
        if let cached = entries[path], cached.sameFile(as: key) { entry.probe = cached.probe }
        entries[path] = entry
        dirty = true
        return digest
    }

    /// The duration and picture size of the source at `path`, probed once per version of the file.
    /// Never throws: a file that cannot be read or understood gives a probe with its `problem`.
    public func probe(of path: String) -> SourceProbe {
        let key: Entry
        do {
            key = try stamp(path)
        } catch {
            return SourceProbe(problem: "\(error)")
        }
        if let cached = entries[path], cached.sameFile(as: key), let probe = cached.probe { return probe }
        let probe = MediaProbe.probe(path: path)
        filesProbed += 1
        var entry = entries[path].flatMap { $0.sameFile(as: key) ? $0 : nil } ?? key
        entry.probe = probe
        entries[path] = entry
        dirty = true
        return probe
    }

    /// The file's identity as the cache keys it (size, mtime in ns, inode), with no hash or probe yet.
    private func stamp(_ path: String) throws -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ApplyError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return Entry(
            size: Int64(info.st_size),
            mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino), sha256: "")
    }

    /// Writes the cache back (atomically) if anything changed.
    public func save() throws {
        guard dirty, let cachePath else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(entries), to: cachePath)
        dirty = false
        lastSave = .now
    }

    /// `save`, unless the cache was saved less than `interval` ago: an apply of thousands of uploads
    /// wrote (created and renamed) the cache file once per upload, which cost more CPU than the
    /// uploads' own requests. Whoever calls this saves once more at the end.
    public func save(atMostEvery interval: Duration) throws {
        if let lastSave, ContinuousClock.now - lastSave < interval { return }
        try save()
    }

    static func hashFile(_ path: String) throws -> String {
        let handle: FileHandle
        switch RegularFile.open(path) {
        case .success(let opened): handle = opened
        case .failure(let refusal): throw ApplyError("\(path) \(refusal)")
        }
        defer { try? handle.close() }
        // read(2) into one 4 MiB buffer: FileHandle.read(upToCount:) on Linux reads a regular file
        // in st_blksize (4 KiB) calls and copies them into a Data, 262,144 calls a GiB
        // (docs/benchmarks.md, "Sources from Git LFS and S3").
        let length = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let count = read(handle.fileDescriptor, buffer.baseAddress, length)
            if count < 0 {
                if errno == EINTR { continue }
                throw ApplyError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension ContentHasher.Entry {
    func sameFile(as other: ContentHasher.Entry) -> Bool {
        size == other.size && mtimeNanoseconds == other.mtimeNanoseconds && inode == other.inode
    }
}

/// Writes files so that a crash leaves either the old or the new content, never a torn file.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: Int = 0o600) throws {
        let directory = Paths.directory(of: path)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: permissions])
        else {
            throw ApplyError("cannot write \(temporary)")
        }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ApplyError("cannot replace \(path): \(reason)")
        }
    }
}

/// An error of the apply stage, with a sentence for people.
public struct ApplyError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
