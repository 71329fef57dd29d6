import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Authentication and accounts", .gated)
struct AuthTests {
    @Test("a missing key is 401 in the error envelope")
    func missingKey() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.GET, "/videos/cost?duration=60&qualities=360p", auth: .none)
            #expect(result.status == 401)
            #expect(result.envelopeStatus == "error")
            #expect(!result.message.isEmpty)
        }
    }

    @Test("a wrong secret key is 401")
    func wrongKey() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.POST, "/videos", json: "{}", auth: .keys(client.account.publicKey, "nope"))
            #expect(result.status == 401)
        }
    }

    @Test("Basic auth, as the official SDKs send it, is accepted")
    func basicAuth() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.POST, "/videos", json: "{}", auth: .basic)
            #expect(result.status == 200)
            #expect(result.envelopeStatus == "success")
        }
    }

    @Test("another account's video is 404 and its list is separate")
    func accountsAreIsolated() async throws {
        let alice = SandboxAccount(publicKey: "alice", secretKey: "a-secret")
        let bob = SandboxAccount(publicKey: "bob", secretKey: "b-secret")
        try await SandboxServer.withSandbox(SandboxConfiguration(accounts: [alice, bob])) { server throws in
            let a = await APIClient(server, account: alice)
            let b = await APIClient(server, account: bob)
            let id = try await a.createVideo()
            #expect(try await b.send(.GET, "/videos/\(id)").status == 404)
            #expect(try await b.send(.DELETE, "/videos/\(id)").status == 404)
            let list = try await b.send(.POST, "/videos", json: "{}")
            #expect(list.data["total"] as? Int == 0)
            #expect(try await a.send(.GET, "/videos/\(id)").status == 200)
        }
    }

    @Test("responses carry the rate-limit headers")
    func rateLimitHeaders() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(rateLimitPerMinute: 2)) { server throws in
            let client = await APIClient(server)
            let first = try await client.send(.POST, "/videos", json: "{}")
            #expect(first.headers.first(name: "X-RateLimit-Limit") == "2")
            #expect(first.headers.first(name: "X-RateLimit-Remaining") == "1")
            #expect(first.headers.first(name: "X-RateLimit-Retry-After") != nil)
            _ = try await client.send(.POST, "/videos", json: "{}")
            let third = try await client.send(.POST, "/videos", json: "{}")
            #expect(third.status == 429)
            #expect(third.headers.first(name: "Retry-After") != nil)
        }
    }

    @Test("an unknown path is 404 in the error envelope")
    func unknownPath() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let result = try await client.send(.GET, "/nothing/here")
            #expect(result.status == 404)
            #expect(result.envelopeStatus == "error")
        }
    }
}
