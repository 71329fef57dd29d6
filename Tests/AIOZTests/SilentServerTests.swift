import AIOZ
import Foundation
import SandboxTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback server that takes connections and then says nothing (or only its headers): the
/// client must give up after two unanswered attempts, not after five deadlines (issue 26, item 7).
private final class SilentServer: Sendable {
    let port: Int
    private let fd: Int32
    private let accepted = Accepted()

    /// The connections taken, to close at the end.
    final class Accepted: Sendable {
        let list = Mutex<[Int32]>([])
    }

    /// `headers`: what to send once a request's head has arrived (nothing when empty).
    init(headers: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw TestFailure("bind/listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listener = fd
        let reply = Array(headers.utf8)
        let accepted = accepted
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                accepted.list.withLock { $0.append(client) }
                guard !reply.isEmpty else { continue }
                Thread.detachNewThread {
                    var got: [UInt8] = []
                    var byte: UInt8 = 0
                    while !got.suffix(4).elementsEqual([13, 10, 13, 10]), recv(client, &byte, 1, 0) == 1 { got.append(byte) }
                    _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for client in accepted.list.withLock({ $0 }) { close(client) }
    }
}

@Suite("a server that takes connections and does not answer")
struct SilentServerTests {
    @Test(
        "nothing at all, or headers and then silence: two attempts, then a clear failure (not five deadlines)",
        arguments: ["", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"data\":"])
    func gives(headers: String) async throws {
        let server = try SilentServer(headers: headers)
        defer { server.stop() }
        // The deadline is short so that the test is quick; the count of attempts is what is checked.
        let configuration = AIOZClient.Configuration(
            endpoint: try AIOZEndpoint("http://127.0.0.1:\(server.port)/api"), credentials: TestSandbox.credentials,
            retryPolicy: TestSandbox.fastRetries(5), requestTimeout: .seconds(2))
        try await AIOZClient.withClient(configuration) { client in
            let error = await #expect(throws: AIOZError.self) { try await client.getVideo(id: "v1") }
            #expect(error?.attempts == 2, "\(String(describing: error))")
            #expect(error?.description.contains("not retried again") == true, "\(String(describing: error))")
        }
    }

    @Test("the default deadline of a JSON request is 30 s: a dead server fails a request in about a minute")
    func defaults() throws {
        let configuration = AIOZClient.Configuration(credentials: TestSandbox.credentials)
        #expect(configuration.requestTimeout == .seconds(30))
    }
}
