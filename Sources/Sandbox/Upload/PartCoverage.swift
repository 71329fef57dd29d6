/// Checks that uploaded parts tile `0..<total` exactly: no gap, no overlap, nothing past the end.
enum PartCoverage {
    static func check(_ parts: [StoredPart], total: Int) throws -> [StoredPart] {
        let sorted = parts.sorted { $0.start < $1.start }
        var next = 0
        for part in sorted {
            if part.start > next {
                throw APIError.badRequest(
                    "The uploaded parts leave a gap: bytes \(next)-\(part.start - 1) of \(total) are missing.")
            }
            if part.start < next {
                throw APIError.badRequest("Parts \(part.index) and an earlier part overlap at byte \(part.start).")
            }
            next = part.end + 1
        }
        if next != total {
            throw APIError.badRequest("The uploaded parts leave a gap: bytes \(next)-\(total - 1) of \(total) are missing.")
        }
        return sorted
    }
}
