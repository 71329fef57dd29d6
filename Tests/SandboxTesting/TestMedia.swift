import Crypto
import Foundation

/// Deterministic test media and hashes, so failures reproduce.
public enum TestMedia {
    /// Bytes that start with a real signature (`.mp4`: an `ftyp` box; `.jpg`: JPEG; `.png`: PNG) and go
    /// on with deterministic filler, so content sniffing accepts them.
    public static func bytes(for name: String, size: Int, seed: UInt8 = 1) -> [UInt8] {
        let head: [UInt8]
        if name.hasSuffix(".jpg") {
            head = [0xFF, 0xD8, 0xFF, 0xE0]
        } else if name.hasSuffix(".png") {
            head = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        } else {
            head = [0, 0, 0, 0x18] + Array("ftypisom".utf8)
        }
        var bytes = head
        bytes.reserveCapacity(size)
        var x = UInt32(seed) &* 2_654_435_761 | 1
        while bytes.count < size {
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            bytes.append(UInt8(truncatingIfNeeded: x))
        }
        return Array(bytes.prefix(max(size, 0)))
    }

    /// A temporary file of `size` pseudo-random bytes (no signature), for raw uploads.
    public static func temporaryFile(size: Int, seed: UInt64 = 1) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString).bin").path
        try Data(TestBytes.make(size, seed: seed)).write(to: URL(fileURLWithPath: path))
        return path
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public static func md5(_ data: Data) -> String {
        Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256(file path: String) throws -> String {
        sha256(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
