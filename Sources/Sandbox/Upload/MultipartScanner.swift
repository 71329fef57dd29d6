import Foundation
import NIOCore

/// An incremental `multipart/form-data` reader: feed it body chunks as they arrive, get events back.
///
/// Hand-written rather than MultipartKit's `MultipartParser`, which goes byte by byte (~1.4 MB/s in
/// debug builds): this scans for the delimiter with `memchr`, hands body bytes on as zero-copy slices and
/// carries only a delimiter-length tail between chunks, so memory stays flat whatever the part size.
struct MultipartScanner {
    enum Event: Equatable {
        case partStart(name: String, filename: String?)
        case body(ByteBuffer)
        case partEnd
    }

    enum State { case preamble, afterDelimiter, headers, body, done }

    static let maxHeaderBytes = 16 * 1024
    private let delimiter: [UInt8]
    private var pending: ByteBuffer
    private(set) var state = State.preamble

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // A leading CRLF lets the first delimiter be found like every later one.
        pending = ByteBuffer(string: "\r\n")
    }

    var isDone: Bool { state == .done }

    mutating func feed(_ incoming: ByteBuffer) throws -> [Event] {
        if pending.readableBytes == 0 {
            pending = incoming
        } else {
            var joined = ByteBuffer()
            joined.reserveCapacity(pending.readableBytes + incoming.readableBytes)
            joined.writeImmutableBuffer(pending)
            joined.writeImmutableBuffer(incoming)
            pending = joined
        }
        var events: [Event] = []
        while try step(&events) {}
        return events
    }

    /// One state transition; false when more bytes are needed.
    private mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .preamble:
            if let index = find(delimiter) {
                pending.moveReaderIndex(forwardBy: index + delimiter.count)
                state = .afterDelimiter
                return true
            }
            keepTail()
            return false
        case .afterDelimiter:
            guard pending.readableBytes >= 2, let two = pending.readString(length: 2) else { return false }
            switch two {
            case "--":
                state = .done
                pending.moveReaderIndex(forwardBy: pending.readableBytes)
            case "\r\n": state = .headers
            default: throw APIError.badRequest("Malformed multipart body: unexpected bytes after a boundary.")
            }
            return state != .done
        case .headers:
            guard let end = find(Array("\r\n\r\n".utf8)) else {
                if pending.readableBytes > Self.maxHeaderBytes {
                    throw APIError.badRequest("Malformed multipart body: part headers are too long.")
                }
                return false
            }
            let text = pending.readString(length: end) ?? ""
            pending.moveReaderIndex(forwardBy: 4)
            events.append(try Self.partStart(headers: text))
            state = .body
            return true
        case .body:
            if let index = find(delimiter) {
                if index > 0, let slice = pending.readSlice(length: index) { events.append(.body(slice)) }
                pending.moveReaderIndex(forwardBy: delimiter.count)
                events.append(.partEnd)
                state = .afterDelimiter
                return true
            }
            let safe = pending.readableBytes - (delimiter.count - 1)
            if safe > 0, let slice = pending.readSlice(length: safe) { events.append(.body(slice)) }
            return false
        case .done:
            pending.moveReaderIndex(forwardBy: pending.readableBytes)
            return false
        }
    }

    private func find(_ needle: [UInt8]) -> Int? {
        pending.withUnsafeReadableBytes { ByteSearch.firstIndex(of: needle, in: $0) }
    }

    private mutating func keepTail() {
        let drop = pending.readableBytes - (delimiter.count - 1)
        if drop > 0 { pending.moveReaderIndex(forwardBy: drop) }
    }

    /// Reads `name` and `filename` from a part's `Content-Disposition`.
    static func partStart(headers: String) throws -> Event {
        for line in headers.split(separator: "\r\n") {
            let pieces = line.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition"
            else { continue }
            var name: String?
            var filename: String?
            for parameter in pieces[1].split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
                var value = pair[1].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                if key == "name" { name = value } else if key == "filename" { filename = value }
            }
            guard let name else { break }
            return .partStart(name: name, filename: filename)
        }
        throw APIError.badRequest("Malformed multipart body: a part has no Content-Disposition name.")
    }
}
