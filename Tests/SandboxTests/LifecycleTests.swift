import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("Transcoding, cost, balance and thumbnails", .gated)
struct LifecycleTests {
    static func uploaded(_ client: APIClient, size: Int = 1000) async throws -> String {
        let bytes = TestBytes.make(size)
        let id = try await client.createVideo()
        let part = try await client.uploadPart(id, bytes: bytes[...], start: 0, total: size, index: 0)
        guard part.status == 200 else { throw TestFailure("part: \(part.json)") }
        return id
    }

    @Test("complete → transcoding → done after --transcode-seconds, with per-quality statuses")
    func transcodingTakesTime() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(transcodeSeconds: 2)) { server throws in
            let client = await APIClient(server)
            let id = try await Self.uploaded(client)
            let completed = ContinuousClock.now
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            var video = try await client.send(.GET, "/videos/\(id)").data
            // Only while the transcode can still be running (a loaded machine may take longer to ask).
            if ContinuousClock.now - completed < .seconds(2) {
                #expect(video["status"] as? String == "transcoding")
                #expect((video["qualities"] as? [[String: Any]])?.first?["status"] as? String == "transcoding")
                #expect((video["assets"] as? [String: String])?["hls_url"] == "")
            }
            for _ in 0..<100 where video["status"] as? String != "done" {
                try await Task.sleep(for: .milliseconds(100))
                video = try await client.send(.GET, "/videos/\(id)").data
            }
            #expect(video["status"] as? String == "done")
            #expect((video["assets"] as? [String: String])?["hls_url"]?.isEmpty == false)
        }
    }

    @Test("the admin fail endpoint makes a video end in fail")
    func fail() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(transcodeSeconds: 60)) { server throws in
            let client = await APIClient(server)
            let id = try await Self.uploaded(client)
            _ = try await client.send(.GET, "/videos/\(id)/complete")
            #expect(try await client.send(.POST, "/_sandbox/videos/\(id)/fail").status == 200)
            let video = try await client.send(.GET, "/videos/\(id)").data
            #expect(video["status"] as? String == "fail")
            let failed = try await client.send(.POST, "/videos", json: #"{"status":"fail","order_by":"asc"}"#)
            #expect(failed.data["total"] as? Int == 1)
        }
    }

    @Test("GET /user/me answers the 2026 spec's shape: data.user with the balance as a string, following /_sandbox/balance")
    func userMe() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(balance: 2.5)) { server throws in
            let client = await APIClient(server)
            let me = try await client.send(.GET, "/user/me")
            #expect(me.status == 200)
            let user = try #require(me.data["user"] as? [String: Any], "\(me.json)")
            #expect(user["balance"] as? String == "2.500000")
            #expect(user["debt"] as? String == "0.000000")
            #expect((user["id"] as? String)?.isEmpty == false)
            _ = try await client.send(.POST, "/_sandbox/balance", json: #"{"balance":0.125}"#)
            let after = try await client.send(.GET, "/user/me").data["user"] as? [String: Any]
            #expect(after?["balance"] as? String == "0.125000")
            #expect(try await client.send(.GET, "/user/me", auth: .none).status == 401)
        }
    }

    @Test("cost is a number price (as AIOZ's SDK decodes it) with is_enough following the balance")
    func cost() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(balance: 1)) { server throws in
            let client = await APIClient(server)
            let cheap = try await client.send(.GET, "/videos/cost?duration=60&qualities=360p%2C1080p")
            #expect(cheap.status == 200)
            #expect(cheap.data["price"] as? Double == 0.004)
            #expect(String(decoding: cheap.body.readableBytesView, as: UTF8.self).contains("\"price\":0.004"))
            #expect(cheap.data["is_enough"] as? Bool == true)
            let dear = try await client.send(.GET, "/videos/cost?duration=100000&qualities=2160p")
            #expect(dear.data["is_enough"] as? Bool == false)
            #expect(try await client.send(.GET, "/videos/cost?qualities=360p").status == 400)
            #expect(try await client.send(.GET, "/videos/cost?duration=60").status == 400)
            #expect(try await client.send(.GET, "/videos/cost?duration=-1&qualities=360p").status == 400)
            #expect(try await client.send(.GET, "/videos/cost?duration=60&qualities=999p").status == 400)
        }
    }

    @Test("complete fails when the balance is too low, and succeeds once topped up; the price is charged")
    func balance() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 1)) { server throws in
            let client = await APIClient(server)
            let id = try await Self.uploaded(client, size: 150_000)
            #expect(try await client.send(.POST, "/_sandbox/balance", json: #"{"balance":0}"#).status == 200)
            let refused = try await client.send(.GET, "/videos/\(id)/complete")
            #expect(refused.status == 400)
            #expect(refused.message.contains("balance"))
            #expect(try await client.send(.GET, "/videos/\(id)").data["status"] as? String == "new")
            _ = try await client.send(.POST, "/_sandbox/balance", json: #"{"balance":10}"#)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            let left = try await client.send(.GET, "/_sandbox/balance").data["balance"] as? Double ?? 0
            #expect(left < 10)
        }
    }

    @Test("a .png thumbnail is stored and served; other types are 400; delete removes it")
    func thumbnail() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let id = try await client.createVideo()
            let image = TestBytes.make(2000)
            let form = MultipartForm.make(fields: [], file: ("file", "thumb.png", image[...]))
            let uploaded = try await client.send(
                .POST, "/videos/\(id)/thumbnail", body: form.body, headers: [("Content-Type", form.contentType)])
            #expect(uploaded.status == 200)
            #expect(uploaded.message == "Upload thumbnail successfully.")
            let url = (try await client.send(.GET, "/videos/\(id)").data["assets"] as? [String: String])?["thumbnail_url"] ?? ""
            #expect(!url.isEmpty)
            #expect(try await client.send(.GET, "", auth: .none, url: url).bytes == image)
            let gif = MultipartForm.make(fields: [], file: ("file", "thumb.gif", image[...]))
            #expect(
                try await client.send(
                    .POST, "/videos/\(id)/thumbnail", body: gif.body, headers: [("Content-Type", gif.contentType)]
                ).status == 400)
            #expect(try await client.send(.DELETE, "/videos/\(id)/thumbnail").status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/thumbnail", auth: .none).status == 404)
        }
    }

    @Test("a store under --data survives a restart")
    func persistence() async throws {
        let directory = NSTemporaryDirectory() + "sandbox-persist-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let account = SandboxAccount(publicKey: "pk", secretKey: "sk")
        let config = SandboxConfiguration(dataDirectory: directory, accounts: [account])
        let id = try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            let id = try await Self.uploaded(client)
            #expect(try await client.send(.GET, "/videos/\(id)/complete").status == 200)
            return id
        }
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            let video = try await client.send(.GET, "/videos/\(id)")
            #expect(video.status == 200)
            #expect(video.data["status"] as? String == "done")
            #expect(try await client.send(.GET, "/videos/\(id)/source", auth: .none).bytes == TestBytes.make(1000))
        }
        // Without --account, the stored account is served again.
        try await SandboxServer.withSandbox(SandboxConfiguration(dataDirectory: directory)) { server throws in
            #expect(await server.accounts == [account])
        }
    }
}
