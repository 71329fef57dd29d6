import Foundation

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
