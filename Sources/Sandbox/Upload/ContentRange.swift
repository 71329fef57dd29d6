/// `Content-Range: bytes START-END/TOTAL` (END inclusive), as every part upload must carry.
struct ContentRange: Equatable, Sendable {
    let start: Int
    let end: Int
    let total: Int

    var length: Int { end - start + 1 }

    init(start: Int, end: Int, total: Int) {
        self.start = start
        self.end = end
        self.total = total
    }

    /// Parses the header; every malformed or inconsistent value is a 400 saying what is wrong.
    init(header: String?) throws {
        guard let header, !header.isEmpty else {
            throw APIError.badRequest("Content-Range header is required: bytes START-END/TOTAL.")
        }
        let trimmed = header.trimmingWhitespace()
        guard trimmed.hasPrefix("bytes ") else {
            throw APIError.badRequest("Content-Range '\(header)' is malformed; expected bytes START-END/TOTAL.")
        }
        let spec = trimmed.dropFirst("bytes ".count)
        let slash = spec.split(separator: "/", omittingEmptySubsequences: false)
        let dash = slash.first?.split(separator: "-", omittingEmptySubsequences: false) ?? []
        guard slash.count == 2, dash.count == 2,
            let start = Int(dash[0]), let end = Int(dash[1]), let total = Int(slash[1]),
            dash[0].allSatisfy(\.isNumber), dash[1].allSatisfy(\.isNumber), slash[1].allSatisfy(\.isNumber)
        else {
            throw APIError.badRequest("Content-Range '\(header)' is malformed; expected bytes START-END/TOTAL.")
        }
        guard start <= end, end < total else {
            throw APIError.badRequest("Content-Range '\(header)' is inconsistent: need START ≤ END < TOTAL.")
        }
        self.init(start: start, end: end, total: total)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
