import Foundation

/// Finds a byte pattern with `memchr` + `memcmp`: fast even in debug builds, where generic
/// collection searching (and MultipartKit's byte-by-byte parser) crawl at ~1 MB/s.
enum ByteSearch {
    static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        var offset = 0
        let lastStart = haystack.count - needle.count
        return needle.withUnsafeBytes { needleBytes -> Int? in
            while offset <= lastStart {
                guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return nil }
                let position = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + position, needleBytes.baseAddress!, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }
}
