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

/// Where a part goes, as its `Content-Range` says: `bytes START-END/TOTAL`, or the progressive form
/// AIOZ's Go SDK sends (`UploadPartStream`): `part N/*` for a part before the last and `part N/N`
/// for the last of N. A progressive part's bytes start where parts 1…N-1 end; the total is known
/// once the last part comes.
enum PartRange: Equatable, Sendable {
    case bytes(ContentRange)
    case progressive(number: Int, isLast: Bool)

    init(header: String?) throws {
        let trimmed = header?.trimmingWhitespace() ?? ""
        guard trimmed.hasPrefix("part ") else {
            self = .bytes(try ContentRange(header: header))
            return
        }
        let spec = trimmed.dropFirst("part ".count).split(separator: "/", omittingEmptySubsequences: false)
        guard spec.count == 2, !spec[0].isEmpty, spec[0].allSatisfy(\.isASCII), spec[0].allSatisfy(\.isNumber),
            let number = Int(spec[0]), number >= 1,
            spec[1] == "*" || (!spec[1].isEmpty && spec[1].allSatisfy(\.isASCII) && spec[1].allSatisfy(\.isNumber))
        else {
            throw APIError.badRequest(
                "Content-Range '\(trimmed)' is malformed; expected part N/* (a part before the last) or part N/N (the last), N from 1."
            )
        }
        if spec[1] == "*" {
            self = .progressive(number: number, isLast: false)
            return
        }
        guard Int(spec[1]) == number else {
            throw APIError.badRequest(
                "Content-Range '\(trimmed)': part N/TOTAL marks the last part, so N must equal TOTAL; send part \(number)/* for a part before the last."
            )
        }
        self = .progressive(number: number, isLast: true)
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
