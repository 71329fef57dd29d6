import Foundation
import SandboxTesting
import TestSupport
import Testing

@testable import Sandbox

/// A sandbox killed in the middle of `complete` (after `beginComplete`, before `finishComplete`).
@Suite("A complete cut short by the sandbox's end", .gated)
struct InterruptedCompleteTests {
    static let account = SandboxAccount(publicKey: "pk_cut_short", secretKey: "sk_cut_short_secret")

    /// Two videos uploaded in two parts each; the sandbox is stopped; then, on the store alone as the
    /// dying process left it, both are marked assembling and the first one's parts are linked.
    static func interrupted(_ directory: String) async throws -> (linked: String, unlinked: String, bytes: [UInt8]) {
        var config = SandboxConfiguration(dataDirectory: directory, accounts: [account], minPartSize: 1024)
        config.transcodeSeconds = 0
        let bytes = TestBytes.make(3000, seed: 5)
        var ids: [String] = []
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            for _ in 0..<2 {
                let id = try await client.createVideo()
                #expect(try await client.uploadPart(id, bytes: bytes[0..<2000], start: 0, total: 3000, index: 0).status == 200)
                #expect(try await client.uploadPart(id, bytes: bytes[2000...], start: 2000, total: 3000, index: 1).status == 200)
                ids.append(id)
            }
        }
        let files = FileLayout(root: directory)
        let store = try SandboxStore(files: files, persistent: true, configured: [account], balance: 1000)
        for id in ids {
            let (parts, _) = try await store.beginComplete(account.publicKey, id)
            if id == ids[0] { try LinkedSource.link(parts, video: id, files: files) }
        }
        return (ids[0], ids[1], bytes)
    }

    @Test("at start, a video whose parts were linked is finished and one whose were not can be completed again")
    func recovered() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (linked, unlinked, bytes) = try await Self.interrupted(directory)
        var config = SandboxConfiguration(dataDirectory: directory, accounts: [Self.account], minPartSize: 1024)
        config.transcodeSeconds = 0
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            let finished = try await client.send(.GET, "/videos/\(linked)").data
            #expect(finished["status"] as? String == "done", "\(finished)")
            #expect(try await client.send(.GET, "/videos/\(linked)/source", auth: .none).bytes == bytes)
            let cleared = try await client.send(.GET, "/videos/\(unlinked)").data
            #expect(cleared["status"] as? String == "new", "\(cleared)")
            let complete = try await client.send(.GET, "/videos/\(unlinked)/complete")
            #expect(complete.status == 200, "\(complete.message)")
            #expect(try await client.send(.GET, "/videos/\(unlinked)/source", auth: .none).bytes == bytes)
        }
    }
}
