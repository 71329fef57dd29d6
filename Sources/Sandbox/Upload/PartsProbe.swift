import Foundation
import MediaInfo

/// The uploaded parts of a video, read as the one file they make (before they are concatenated), so
/// `complete` can read the source's real duration from its container and charge for that.
struct PartsBytes: ProbeBytes {
    /// Part files in byte order with where each starts in the whole.
    let parts: [(path: String, start: Int64, length: Int64)]
    let size: Int64

    init(files: FileLayout, video: String, parts: [StoredPart], total: Int) {
        self.parts = parts.sorted { $0.start < $1.start }.map {
            (files.partPath(video: video, index: $0.index), Int64($0.start), Int64($0.length))
        }
        size = Int64(total)
    }

    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        var out: [UInt8] = []
        var position = offset
        let end = min(size, offset + Int64(count))
        for part in parts where part.start + part.length > position && part.start < end {
            guard let handle = FileHandle(forReadingAtPath: part.path) else { break }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(position - part.start))
            let wanted = Int(min(end, part.start + part.length) - position)
            let data = try handle.read(upToCount: wanted) ?? Data()
            out += data
            position += Int64(data.count)
            if data.count < wanted || position >= end { break }
        }
        return out
    }
}

extension Pricing {
    /// The duration `complete` charges for: read from the source's container (MP4/MOV/M4V, WebM,
    /// Matroska) as AIOZ would know it, else derived from the size as before (test bytes that are not
    /// real media).
    static func duration(files: FileLayout, video: String, parts: [StoredPart], total: Int) -> Double {
        let probe = MediaProbe.probe(PartsBytes(files: files, video: video, parts: parts, total: total))
        return probe.durationSeconds ?? duration(forSize: total)
    }
}
