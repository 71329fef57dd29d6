import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Fault injection", .gated)
struct FaultTests {
    static func statuses(seed: UInt64) async throws -> [Int] {
        let faults = FaultConfiguration(
            rate: 0.4, seed: seed, kinds: [.internalError, .badGateway, .unavailable, .tooManyRequests])
        return try await SandboxServer.withSandbox(SandboxConfiguration(faults: faults)) { server throws in
            let client = await APIClient(server)
            var statuses: [Int] = []
            for _ in 0..<30 { statuses.append(try await client.send(.POST, "/videos", json: "{}").status) }
            return statuses
        }
    }

    @Test("the same seed fails the same requests; another seed differs")
    func reproducible() async throws {
        let first = try await Self.statuses(seed: 7)
        let again = try await Self.statuses(seed: 7)
        let other = try await Self.statuses(seed: 8)
        #expect(first == again)
        #expect(first != other)
        #expect(first.contains(200))
        #expect(first.contains { $0 != 200 })
        #expect(Set(first).isSubset(of: [200, 429, 500, 502, 503]))
    }

    @Test("an injected 429 carries Retry-After")
    func tooManyRequests() async throws {
        let faults = FaultConfiguration(rate: 1, seed: 1, kinds: [.tooManyRequests], retryAfterSeconds: 3)
        try await SandboxServer.withSandbox(SandboxConfiguration(faults: faults)) { server throws in
            let result = try await APIClient(server).send(.POST, "/videos", json: "{}")
            #expect(result.status == 429)
            #expect(result.headers.first(name: "Retry-After") == "3")
            #expect(result.envelopeStatus == "error")
        }
    }

    @Test("faults can be limited to some endpoints")
    func perEndpoint() async throws {
        let faults = FaultConfiguration(rate: 1, seed: 1, kinds: [.unavailable], pathPrefixes: ["/live_streams"])
        try await SandboxServer.withSandbox(SandboxConfiguration(faults: faults)) { server throws in
            let client = await APIClient(server)
            #expect(try await client.send(.POST, "/videos", json: "{}").status == 200)
            #expect(try await client.send(.GET, "/live_streams").status == 503)
        }
    }

    @Test("a dropped connection fails the request mid-body; latency only delays")
    func dropAndLatency() async throws {
        let drop = FaultConfiguration(rate: 1, seed: 1, kinds: [.dropConnection])
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 1, faults: drop)) { server throws in
            let client = await APIClient(server)
            let bytes = TestBytes.make(2_000_000)
            await #expect(throws: (any Error).self) {
                _ = try await client.uploadPart(
                    "00000000-0000-0000-0000-000000000000", bytes: bytes[...], start: 0, total: bytes.count, index: 0)
            }
        }
        let slow = FaultConfiguration(rate: 1, seed: 1, kinds: [.latency], latencyMilliseconds: 300)
        try await SandboxServer.withSandbox(SandboxConfiguration(faults: slow)) { server throws in
            let started = ContinuousClock.now
            #expect(try await APIClient(server).send(.POST, "/videos", json: "{}").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }
}

@Suite("a wide-area link", .gated)
struct LinkTests {
    @Test("latency and bandwidth slow requests and bodies to the configured link")
    func link() async throws {
        var configuration = SandboxConfiguration(minPartSize: 1)
        // 8 Mbit/s = 1 MB/s: a 200 KB part takes about 0.2 s; 100 ms latency per request.
        configuration.link = LinkConfiguration(latencyMilliseconds: 100, megabitsPerSecond: 8)
        try await SandboxServer.withSandbox(configuration) { server throws in
            let client = await APIClient(server)
            let clock = ContinuousClock()
            let created = clock.now
            let id = try await client.createVideo()
            #expect(clock.now - created >= .milliseconds(100), "latency not applied")
            let bytes = TestBytes.make(200_000)
            let sent = clock.now
            let result = try await client.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0)
            #expect(result.status == 200, "\(result.json)")
            // A lower bound only: the link must not be faster than configured (no upper bound: no timed tests).
            #expect(clock.now - sent >= .milliseconds(100 + 180), "the body was not paced")
        }
    }
}
