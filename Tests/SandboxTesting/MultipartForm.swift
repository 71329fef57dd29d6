import Crypto
public import NIOCore

/// Builds multipart/form-data bodies in memory (test payloads are small).
public enum MultipartForm {
    public static func make(
        fields: [(String, String)], file: (name: String, filename: String, bytes: ArraySlice<UInt8>)?,
        fieldsFirst: Bool = true, boundary: String = "----sandbox-test-boundary-7d3f"
    ) -> (body: ByteBuffer, contentType: String) {
        var body = ByteBuffer()
        func writeFields() {
            for (name, value) in fields {
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
            }
        }
        func writeFile() {
            guard let file else { return }
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n")
            body.writeString("Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        if fieldsFirst {
            writeFields()
            writeFile()
        } else {
            writeFile()
            writeFields()
        }
        body.writeString("--\(boundary)--\r\n")
        return (body, "multipart/form-data; boundary=\(boundary)")
    }
}

public enum MD5Hex {
    public static func of<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        Insecure.MD5.hash(data: Array(bytes)).map { String($0, radix: 16).leftPad() }.joined()
    }
}

extension String {
    public func leftPad() -> String { count == 1 ? "0" + self : self }
}

/// Deterministic pseudo-random bytes, so failures reproduce.
public enum TestBytes {
    public static func make(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return bytes
    }
}
