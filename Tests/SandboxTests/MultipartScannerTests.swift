import NIOCore
import SandboxTesting
import Testing

@testable import Sandbox

@Suite("The streaming multipart scanner")
struct MultipartScannerTests {
    static func scan(_ body: ByteBuffer, boundary: String, chunk: Int) throws -> (fields: [String: [UInt8]], done: Bool) {
        var scanner = MultipartScanner(boundary: boundary)
        var fields: [String: [UInt8]] = [:]
        var current = ""
        var offset = 0
        while offset < body.readableBytes {
            let length = min(chunk, body.readableBytes - offset)
            let slice = body.getSlice(at: body.readerIndex + offset, length: length) ?? ByteBuffer()
            offset += length
            for event in try scanner.feed(slice) {
                switch event {
                case .partStart(let name, _):
                    current = name
                    fields[name] = []
                case .body(let bytes): fields[current, default: []].append(contentsOf: bytes.readableBytesView)
                case .partEnd: current = ""
                }
            }
        }
        return (fields, scanner.isDone)
    }

    @Test(
        "fields survive every chunk size, including splits inside the delimiter", arguments: [1, 2, 3, 7, 41, 64, 1000, 100_000])
    func chunkSizes(chunk: Int) throws {
        // Bytes that look like a delimiter's start (\r\n--) inside the file must not end it.
        var file = TestBytes.make(5000)
        file.replaceSubrange(100..<110, with: Array("\r\n--bound\r".utf8))
        let form = MultipartForm.make(
            fields: [("index", "3"), ("hash", "abc")], file: ("file", "f.bin", file[...]),
            fieldsFirst: false, boundary: "boundary")
        let result = try Self.scan(form.body, boundary: "boundary", chunk: chunk)
        #expect(result.done)
        #expect(result.fields["file"] == file)
        #expect(result.fields["index"] == Array("3".utf8))
        #expect(result.fields["hash"] == Array("abc".utf8))
    }

    @Test("an empty file field and a preamble are handled")
    func emptyFile() throws {
        var body = ByteBuffer(string: "preamble\r\n")
        body.writeString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n\r\n--b--\r\n")
        let result = try Self.scan(body, boundary: "b", chunk: 5)
        #expect(result.done)
        #expect(result.fields["file"] == [])
    }

    @Test("a part without a name is rejected")
    func noName() {
        let body = ByteBuffer(string: "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")
        #expect(throws: APIError.self) { try Self.scan(body, boundary: "b", chunk: 100) }
    }

    @Test("Content-Range parses START-END/TOTAL and rejects the rest")
    func contentRange() throws {
        #expect(try ContentRange(header: "bytes 0-99/100") == ContentRange(start: 0, end: 99, total: 100))
        for bad in [nil, "", "bytes 0-99", "bytes -1-5/10", "bytes 0-10/10", "bytes 3-2/10", "bytes +0-9/10"] {
            #expect(throws: APIError.self, "\(bad ?? "nil")") { try ContentRange(header: bad) }
        }
    }
}
