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
            let known = head.count >= 12 && head.starts(with: Array("RIFF".utf8)) ? " (this looks like RIFF/AVI)" : ""
            return .failed(
                "streamplan reads durations from MP4, MOV, M4V, WebM and Matroska files only\(known); it will not guess")
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

/// MP4 / QuickTime: a tree of boxes (`size`, `type`, content).
enum ISOBMFF {
    struct Box {
        var type: String
        /// Where the content starts and ends (absolute offsets).
        var contentStart: Int64
        var end: Int64
    }

    /// Reads the box header at `offset`, refusing a size that runs past `limit`.
    static func header(_ read: (Int64, Int) throws -> [UInt8], at offset: Int64, limit: Int64) throws -> Box? {
        guard limit - offset >= 8 else { return nil }
        let head = try read(offset, 16)
        guard head.count >= 8 else { return nil }
        let cursor = ByteCursor(head)
        var size = Int64(cursor.uint(at: 0, 4)!)
        let type = String(decoding: head[4..<8], as: UTF8.self)
        var headerSize: Int64 = 8
        if size == 1 {
            guard let large = cursor.uint(at: 8, 8), large <= UInt64(Int64.max) else {
                throw ProbeFailure("the \(printable(type)) box at byte \(offset) is cut off")
            }
            size = Int64(large)
            headerSize = 16
        } else if size == 0 {
            size = limit - offset
        }
        guard size >= headerSize else {
            throw ProbeFailure("the \(printable(type)) box at byte \(offset) declares \(size) bytes, less than its own header")
        }
        guard size <= limit - offset else {
            throw ProbeFailure(
                "the \(printable(type)) box at byte \(offset) declares \(size) bytes but only \(limit - offset) remain (the file is truncated or damaged)"
            )
        }
        return Box(type: type, contentStart: offset + headerSize, end: offset + size)
    }

    static func printable(_ type: String) -> String {
        let clean = type.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        return clean ? "'\(type)'" : "unnamed"
    }

    static func probe(_ bytes: some ProbeBytes) throws -> SourceProbe {
        var offset: Int64 = 0
        var visits = 0
        while offset < bytes.size {
            visits += 1
            guard visits <= MediaProbe.maxVisits else { throw ProbeFailure("the file has too many top-level boxes") }
            guard let box = try header({ try bytes.read(at: $0, count: $1) }, at: offset, limit: bytes.size) else { break }
            if box.type == "moov" {
                let length = box.end - box.contentStart
                guard length <= MediaProbe.maxIndexBytes else {
                    throw ProbeFailure(
                        "the 'moov' box is \(length) bytes, more than streamplan reads (\(MediaProbe.maxIndexBytes))")
                }
                let content = try bytes.read(at: box.contentStart, count: Int(length))
                guard content.count == Int(length) else { throw ProbeFailure("the 'moov' box is cut off") }
                return try movie(content)
            }
            offset = box.end
        }
        throw ProbeFailure("the file has no 'moov' box (the movie's index), so its duration is unknown")
    }

    /// The children of the box whose content is `content[start..<end]`.
    static func children(_ content: [UInt8], _ start: Int, _ end: Int, visits: inout Int) throws -> [Box] {
        var boxes: [Box] = []
        var offset = Int64(start)
        let read: (Int64, Int) throws -> [UInt8] = { position, count in
            let from = Int(position)
            guard from < end else { return [] }
            return Array(content[from..<min(end, from + count)])
        }
        while offset < Int64(end) {
            visits += 1
            guard visits <= MediaProbe.maxVisits else { throw ProbeFailure("the 'moov' box holds too many boxes") }
            guard let box = try header(read, at: offset, limit: Int64(end)) else { break }
            boxes.append(box)
            offset = box.end
        }
        return boxes
    }

    static func movie(_ moov: [UInt8]) throws -> SourceProbe {
        var visits = 0
        var duration: Double?
        var sawHeader = false
        var size: (Int, Int)?
        for box in try children(moov, 0, moov.count, visits: &visits) {
            let start = Int(box.contentStart)
            let end = Int(box.end)
            switch box.type {
            case "mvhd":
                sawHeader = true
                duration = try movieDuration(ByteCursor(moov, from: start, to: end))
            case "trak":
                if size == nil, let found = try videoTrackSize(moov, start, end, visits: &visits) { size = found }
            default: break
            }
        }
        guard sawHeader else { throw ProbeFailure("the 'moov' box has no 'mvhd' (movie header), so the duration is unknown") }
        guard let duration else {
            throw ProbeFailure(
                "the movie header records no duration (a fragmented or live-recorded file?); streamplan will not guess")
        }
        return SourceProbe(durationSeconds: duration, width: size?.0, height: size?.1)
    }

    /// `mvhd`: version 0 has 32-bit times and duration, version 1 64-bit.
    static func movieDuration(_ c: ByteCursor) throws -> Double? {
        guard let version = c.uint(at: c.offset, 1) else { throw ProbeFailure("the 'mvhd' box is cut off") }
        let (scaleAt, durationAt, width) = version == 1 ? (20, 24, 8) : (12, 16, 4)
        guard let scale = c.uint(at: c.offset + scaleAt, 4), let raw = c.uint(at: c.offset + durationAt, width) else {
            throw ProbeFailure("the 'mvhd' box is cut off")
        }
        guard scale > 0 else { throw ProbeFailure("the movie header's timescale is 0") }
        let unknown: UInt64 = width == 8 ? .max : 0xFFFF_FFFF
        guard raw != 0, raw != unknown else { return nil }
        return Double(raw) / Double(scale)
    }

    /// A `trak`'s `tkhd` width and height (16.16 fixed point) when its `mdia/hdlr` says `vide`.
    static func videoTrackSize(_ moov: [UInt8], _ start: Int, _ end: Int, visits: inout Int) throws -> (Int, Int)? {
        var size: (Int, Int)?
        var isVideo = false
        for box in try children(moov, start, end, visits: &visits) {
            let s = Int(box.contentStart)
            let e = Int(box.end)
            if box.type == "tkhd" {
                let c = ByteCursor(moov, from: s, to: e)
                guard let version = c.uint(at: s, 1) else { throw ProbeFailure("a 'tkhd' box is cut off") }
                let at = s + (version == 1 ? 88 : 76)
                guard let w = c.uint(at: at, 4), let h = c.uint(at: at + 4, 4) else {
                    throw ProbeFailure("a 'tkhd' box is cut off")
                }
                size = (Int(w >> 16), Int(h >> 16))
            } else if box.type == "mdia" {
                for inner in try children(moov, s, e, visits: &visits) where inner.type == "hdlr" {
                    let c = ByteCursor(moov, from: Int(inner.contentStart), to: Int(inner.end))
                    if let handler = c.uint(at: Int(inner.contentStart) + 8, 4) {
                        isVideo = handler == 0x7669_6465  // "vide"
                    }
                }
            }
        }
        guard isVideo, let size, size.0 > 0, size.1 > 0 else { return nil }
        return size
    }
}

/// WebM / Matroska: EBML elements (variable-length id, variable-length size, content).
enum EBML {
    static let header: UInt64 = 0x1A45_DFA3
    static let docType: UInt64 = 0x4282
    static let segment: UInt64 = 0x1853_8067
    static let info: UInt64 = 0x1549_A966
    static let tracks: UInt64 = 0x1654_AE6B
    static let cluster: UInt64 = 0x1F43_B675
    static let timecodeScale: UInt64 = 0x2A_D7B1
    static let duration: UInt64 = 0x4489
    static let trackEntry: UInt64 = 0xAE
    static let trackType: UInt64 = 0x83
    static let video: UInt64 = 0xE0
    static let pixelWidth: UInt64 = 0xB0
    static let pixelHeight: UInt64 = 0xBA

    struct Element {
        var id: UInt64
        var contentStart: Int64
        /// nil: "unknown size" (runs to the end of its parent).
        var size: Int64?
    }

    /// A variable-length integer at the start of `head`: (value, length); `keepMarker` for ids.
    static func vint(_ head: [UInt8], at index: Int, keepMarker: Bool) -> (UInt64, Int, Bool)? {
        guard index < head.count else { return nil }
        let first = head[index]
        guard first != 0 else { return nil }
        let length = first.leadingZeroBitCount + 1
        guard length <= 8, index + length <= head.count else { return nil }
        var value = UInt64(keepMarker ? first : first & (0xFF >> length))
        var allOnes = value == UInt64(0xFF >> length)
        for i in 1..<length {
            value = value << 8 | UInt64(head[index + i])
            if head[index + i] != 0xFF { allOnes = false }
        }
        return (value, length, !keepMarker && allOnes)
    }

    static func element(_ read: (Int64, Int) throws -> [UInt8], at offset: Int64, limit: Int64) throws -> Element? {
        guard offset < limit else { return nil }
        let head = try read(offset, 12)
        guard let (id, idLength, _) = vint(head, at: 0, keepMarker: true), idLength <= 4,
            let (size, sizeLength, unknown) = vint(head, at: idLength, keepMarker: false)
        else {
            throw ProbeFailure("the element at byte \(offset) has a malformed header (the file is damaged)")
        }
        let contentStart = offset + Int64(idLength + sizeLength)
        guard contentStart <= limit else { throw ProbeFailure("the element at byte \(offset) is cut off") }
        if unknown { return Element(id: id, contentStart: contentStart, size: nil) }
        guard size <= UInt64(limit - contentStart) else {
            throw ProbeFailure(
                "the element 0x\(String(id, radix: 16, uppercase: true)) at byte \(offset) declares \(size) bytes but only \(limit - contentStart) remain (the file is truncated or damaged)"
            )
        }
        return Element(id: id, contentStart: contentStart, size: Int64(size))
    }

    static func probe(_ bytes: some ProbeBytes) throws -> SourceProbe {
        let read: (Int64, Int) throws -> [UInt8] = { try bytes.read(at: $0, count: $1) }
        guard let ebml = try element(read, at: 0, limit: bytes.size), ebml.id == header, let ebmlSize = ebml.size else {
            throw ProbeFailure("the file does not start with an EBML header")
        }
        var offset = ebml.contentStart + ebmlSize
        var visits = 0
        // The Segment (there is one in a WebM file), then its Info and Tracks.
        while offset < bytes.size {
            visits += 1
            guard visits <= MediaProbe.maxVisits else { throw ProbeFailure("the file has too many top-level elements") }
            guard let top = try element(read, at: offset, limit: bytes.size) else { break }
            guard top.id == segment else {
                guard let size = top.size else { break }
                offset = top.contentStart + size
                continue
            }
            return try segmentContents(read, top, limit: bytes.size, visits: &visits)
        }
        throw ProbeFailure("the file has no Matroska Segment, so its duration is unknown")
    }

    static func segmentContents(_ read: (Int64, Int) throws -> [UInt8], _ segment: Element, limit: Int64, visits: inout Int)
        throws -> SourceProbe
    {
        let end = segment.size.map { segment.contentStart + $0 } ?? limit
        var offset = segment.contentStart
        var scale: UInt64 = 1_000_000
        var rawDuration: Double?
        var sawInfo = false
        var size: (Int, Int)?
        var sawTracks = false
        while offset < end, !(sawInfo && sawTracks) {
            visits += 1
            guard visits <= MediaProbe.maxVisits else { throw ProbeFailure("the Segment holds too many elements") }
            guard let child = try element(read, at: offset, limit: end) else { break }
            // A Cluster (media data) of unknown size cannot be skipped: the index must come before it.
            guard let length = child.size else { break }
            if child.id == info || child.id == tracks {
                guard length <= MediaProbe.maxIndexBytes else {
                    throw ProbeFailure("an index element is \(length) bytes, more than streamplan reads")
                }
                let content = try read(child.contentStart, Int(length))
                guard content.count == Int(length) else { throw ProbeFailure("an index element is cut off") }
                if child.id == info {
                    sawInfo = true
                    for (id, start, count) in try elements(content, 0, content.count, visits: &visits) {
                        if id == timecodeScale, let value = unsigned(content, start, count), value > 0 { scale = value }
                        if id == duration { rawDuration = float(content, start, count) }
                    }
                } else {
                    sawTracks = true
                    size = try videoSize(content, visits: &visits)
                }
            }
            offset = child.contentStart + length
        }
        guard sawInfo else { throw ProbeFailure("the Segment has no Info element before its media, so the duration is unknown") }
        guard let rawDuration, rawDuration.isFinite, rawDuration > 0 else {
            throw ProbeFailure("the Segment's Info records no duration (a live-recorded file?); streamplan will not guess")
        }
        let seconds = rawDuration * Double(scale) / 1_000_000_000
        guard seconds.isFinite, seconds > 0 else { throw ProbeFailure("the recorded duration is not a usable number") }
        return SourceProbe(durationSeconds: seconds, width: size?.0, height: size?.1)
    }

    /// The child elements of `content[start..<end]` as (id, content start, content length).
    static func elements(_ content: [UInt8], _ start: Int, _ end: Int, visits: inout Int) throws -> [(UInt64, Int, Int)] {
        var found: [(UInt64, Int, Int)] = []
        var offset = Int64(start)
        let read: (Int64, Int) throws -> [UInt8] = { position, count in
            let from = Int(position)
            guard from < end else { return [] }
            return Array(content[from..<min(end, from + count)])
        }
        while offset < Int64(end) {
            visits += 1
            guard visits <= MediaProbe.maxVisits else { throw ProbeFailure("an index element holds too many elements") }
            guard let child = try element(read, at: offset, limit: Int64(end)) else { break }
            let length = child.size ?? (Int64(end) - child.contentStart)
            found.append((child.id, Int(child.contentStart), Int(length)))
            offset = child.contentStart + length
        }
        return found
    }

    /// The first video track's PixelWidth × PixelHeight.
    static func videoSize(_ content: [UInt8], visits: inout Int) throws -> (Int, Int)? {
        for (id, start, count) in try elements(content, 0, content.count, visits: &visits) where id == trackEntry {
            var type: UInt64?
            var size: (Int, Int)?
            for (inner, s, n) in try elements(content, start, start + count, visits: &visits) {
                if inner == trackType { type = unsigned(content, s, n) }
                if inner == video {
                    var width: UInt64?
                    var height: UInt64?
                    for (v, vs, vn) in try elements(content, s, s + n, visits: &visits) {
                        if v == pixelWidth { width = unsigned(content, vs, vn) }
                        if v == pixelHeight { height = unsigned(content, vs, vn) }
                    }
                    if let width, let height, width > 0, height > 0, width < 1 << 20, height < 1 << 20 {
                        size = (Int(width), Int(height))
                    }
                }
            }
            if type == 1, let size { return size }
        }
        return nil
    }

    static func unsigned(_ content: [UInt8], _ start: Int, _ count: Int) -> UInt64? {
        guard count >= 1, count <= 8, start >= 0, start + count <= content.count else { return nil }
        return content[start..<(start + count)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    static func float(_ content: [UInt8], _ start: Int, _ count: Int) -> Double? {
        guard let bits = unsigned(content, start, count) else { return nil }
        switch count {
        case 4: return Double(Float(bitPattern: UInt32(bits)))
        case 8: return Double(bitPattern: bits)
        default: return nil
        }
    }
}
