import Foundation

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
