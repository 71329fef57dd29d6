import Crypto
import NIOCore
import Providers

/// A `multipart/form-data` body streamed as `head ++ file bytes ++ tail`, hashing the file bytes on the way.
///
/// The `file` field comes first so each byte is read once; the tail (which may carry the MD5,
/// e.g. the `hash` field) is built after the last chunk from the digest.
struct MultipartFileBody<Chunks: AsyncSequence & Sendable>: AsyncSequence, Sendable where Chunks.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let head: ByteBuffer
    let chunks: Chunks
    let makeTail: @Sendable (_ md5Hex: String) -> ByteBuffer
    /// Called with each chunk's size as it is handed to the transport.
    let onChunk: @Sendable (Int) -> Void
    /// Called once with the MD5 of all chunk bytes.
    let onDigest: @Sendable (String) -> Void
    /// Where the first chunk starts in the file (for `observe`).
    var firstOffset: Int64 = 0
    /// Sees each chunk's bytes with their offset in the file, as they go by.
    var observe: ChunkBytesObserver? = nil
    /// The chunks' MD5 computed beforehand: the bytes are not hashed again, this is sent.
    var knownMD5: String? = nil

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: MultipartFileBody
        var stage = 0
        var chunks: Chunks.AsyncIterator?
        var md5 = Insecure.MD5()
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case 0:
                stage = 1
                chunks = body.chunks.makeAsyncIterator()
                return body.head
            case 1:
                if let chunk = try await chunks?.next() {
                    let at = body.firstOffset + offset
                    chunk.withUnsafeReadableBytes { bytes in
                        if body.knownMD5 == nil { md5.update(bufferPointer: bytes) }
                        body.observe?(at, bytes)
                    }
                    offset += Int64(chunk.readableBytes)
                    body.onChunk(chunk.readableBytes)
                    return chunk
                }
                stage = 2
                chunks = nil
                let hex = body.knownMD5 ?? Self.hex(md5.finalize())
                body.onDigest(hex)
                return body.makeTail(hex)
            default:
                return nil
            }
        }

        static func hex(_ digest: Insecure.MD5.Digest) -> String {
            let digits: [Character] = Array("0123456789abcdef")
            var text = ""
            text.reserveCapacity(32)
            for byte in digest {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
            return text
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

/// The framing around the file field of a part or thumbnail upload.
enum MultipartFraming {
    static func boundary() -> String {
        // Two draws of 64 bits, 12 base-36 digits from each: `randomElement()` per digit was a system
        // call (getrandom) per digit, 48 of them for the part and thumbnail of every create.
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var digits: [Character] = []
        digits.reserveCapacity(24)
        for _ in 0..<2 {
            var value = UInt64.random(in: .min ... .max)
            for _ in 0..<12 {
                digits.append(alphabet[Int(value % 36)])
                value /= 36
            }
        }
        return "streamplan-" + String(digits)
    }

    static func contentType(boundary: String) -> String { "multipart/form-data; boundary=\(boundary)" }

    static func fileHead(boundary: String, filename: String, contentType: String) -> ByteBuffer {
        let safeName = String(filename.map { $0 == "\"" || $0 == "\r" || $0 == "\n" ? "_" : $0 })
        return ByteBuffer(
            string:
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(safeName)\"\r\nContent-Type: \(contentType)\r\n\r\n"
        )
    }

    /// Ends the file field, adds plain text fields in order, and closes the body.
    static func tail(boundary: String, fields: [(String, String)]) -> ByteBuffer {
        var text = "\r\n"
        for (name, value) in fields {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return ByteBuffer(string: text)
    }
}
