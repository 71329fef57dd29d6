import Foundation
import NIOCore
import Sandbox
import SandboxTesting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Expect: 100-continue", .gated)
struct ExpectContinueTests {
    /// A blocking HTTP/1.1 exchange over a raw socket: sends `head`, reads what the server says before
    /// any body is sent (up to the end of one response head), then sends `body` and reads the rest.
    static func exchange(port: Int, head: String, body: [UInt8]) throws -> (interim: String, final: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        defer { close(fd) }
        // A bound on the wait, not a timing: without the interim answer the server says nothing at all.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect: errno \(errno)") }
        func sendAll(_ bytes: [UInt8]) throws {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw TestFailure("send: errno \(errno)") }
                sent += n
            }
        }
        func readHead() -> String {
            var got: [UInt8] = []
            var byte: UInt8 = 0
            while !got.suffix(4).elementsEqual([13, 10, 13, 10]), recv(fd, &byte, 1, 0) == 1 { got.append(byte) }
            return String(decoding: got, as: UTF8.self)
        }
        try sendAll(Array(head.utf8))
        let interim = readHead()
        try sendAll(body)
        return (interim, readHead())
    }

    @Test("a part sent with Expect: 100-continue gets 100 Continue before its body, then 200")
    func interimAnswer() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 1024)) { server throws in
            let client = await APIClient(server)
            let id = try await client.createVideo()
            let bytes = TestBytes.make(5000)
            let form = MultipartForm.make(
                fields: [("index", "0"), ("hash", MD5Hex.of(bytes[...]))], file: ("file", "v.mp4", bytes[...]))
            let body = Array(form.body.readableBytesView)
            let head =
                "POST /api/videos/\(id)/part HTTP/1.1\r\nHost: 127.0.0.1\r\nstream-public-key: \(client.account.publicKey)\r\n"
                + "stream-secret-key: \(client.account.secretKey)\r\nContent-Type: \(form.contentType)\r\n"
                + "Content-Range: bytes 0-\(bytes.count - 1)/\(bytes.count)\r\nContent-Length: \(body.count)\r\n"
                + "Expect: 100-continue\r\n\r\n"
            let port = await server.port
            // Blocking socket calls on a thread of their own: on the tasks' pool (two threads on a two-core
            // machine) they would hold a thread the sandbox's handlers need.
            let (interim, final) = try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try Self.exchange(port: port, head: head, body: body) })
                }
            }
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "before the body: \(interim.debugDescription)")
            #expect(final.hasPrefix("HTTP/1.1 200 "), "after the body: \(final.debugDescription)")
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/source", auth: .none).bytes == bytes)
        }
    }
}
