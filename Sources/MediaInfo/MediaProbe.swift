import Foundation

/// What a source file says about itself: its duration and the pixel size of its video track.
///
/// Read natively from the container's own index (MP4/MOV/M4V: `mvhd` and `tkhd`; WebM/Matroska: the
/// Segment's Info and Tracks), never guessed: a file whose container is not one of those, or whose
/// index is damaged, gives a `problem` instead, and nothing that needs the duration is made up.
public struct SourceProbe: Sendable, Hashable, Codable {
    /// Seconds, when the container records them.
    public var durationSeconds: Double?
    /// The video track's pixel size; nil for an audio-only file.
    public var width: Int?
    public var height: Int?
    /// Why the file could not be read (nil when it was).
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case width, height, problem
        case durationSeconds = "duration_seconds"
    }

    public init(durationSeconds: Double? = nil, width: Int? = nil, height: Int? = nil, problem: String? = nil) {
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
        self.problem = problem
    }

    static func failed(_ problem: String) -> SourceProbe { SourceProbe(problem: problem) }

    /// The shorter side of the picture, which is what a "720p" label measures (a portrait 1080×1920
    /// video is 1080p); nil without a video track.
    public var lines: Int? {
        guard let width, let height else { return nil }
        return min(width, height)
    }
}

/// Random access to the bytes of a file (or of an array, in tests), never past the end.
public protocol ProbeBytes {
    var size: Int64 { get }
    /// Up to `count` bytes from `offset`; fewer at the end.
    func read(at offset: Int64, count: Int) throws -> [UInt8]
}

/// Bytes in memory.
public struct ProbeArray: ProbeBytes {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: Int64 { Int64(bytes.count) }
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<min(bytes.count, start + count)])
    }
}

/// A regular file, read with seeks. Opened without blocking and refused unless it is a regular
/// file, so a FIFO or a device swapped in for a source can never hang a probe.
final class ProbeFile: ProbeBytes {
    let handle: FileHandle
    let size: Int64

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ProbeFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ProbeFailure("\(path) is not a regular file")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        size = Int64(info.st_size)
    }

    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        try handle.seek(toOffset: UInt64(offset))
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }
}

struct ProbeFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Reads durations and pixel sizes out of MP4/MOV/M4V and WebM/Matroska files.
///
/// Hostile input is expected: every box and element size is checked against its parent and the
/// file, nesting is bounded, the number of boxes read is bounded, and no index is read whole past
/// `maxIndexBytes`, so a damaged or crafted file ends in a `problem`, never in a crash or a loop.
public enum MediaProbe {
    /// The largest `moov` box or Matroska Info/Tracks element read into memory.
    static let maxIndexBytes: Int64 = 64 << 20
    /// How many boxes or elements one probe may look at.
    static let maxVisits = 100_000

    /// Probes the file at `path`.
    public static func probe(path: String) -> SourceProbe {
        do {
            return probe(try ProbeFile(path: path))
        } catch let failure as ProbeFailure {
            return .failed(failure.message)
        } catch {
            return .failed("cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Probes bytes (a file's, or an array's in tests).
    public static func probe(_ bytes: some ProbeBytes) -> SourceProbe {
        do {
            let head = try bytes.read(at: 0, count: 16)
            if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return try EBML.probe(bytes) }
            if head.count >= 8,
                ["ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"].contains(String(decoding: head[4..<8], as: UTF8.self))
            {
                return try ISOBMFF.probe(bytes)
            }
            if AudioProbe.isAudio(head) { return try AudioProbe.probe(bytes, head: head) }
            let known = head.count >= 12 && head.starts(with: Array("RIFF".utf8)) ? " (this looks like RIFF/AVI)" : ""
            return .failed(
                "streamplan reads durations from MP4, MOV, M4V, WebM, Matroska, MP3, WAV, FLAC and Ogg files only\(known); it will not guess"
            )
        } catch let failure as ProbeFailure {
            return .failed(failure.message)
        } catch {
            return .failed("cannot read the file: \(error.localizedDescription)")
        }
    }
}

/// A bounded cursor over bytes in memory.
struct ByteCursor {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        offset = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }

    func uint(at position: Int, _ width: Int) -> UInt64? {
        guard width > 0, width <= 8, position >= 0, position + width <= end else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(bytes[position + i]) }
        return value
    }
}
