import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("The SQLite store: import of a 0.1.0 store.json, persistence, listings", .gated)
struct StoreImportTests {
    static let fixture =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/compat-0.1.0/account").path
    static let account = SandboxAccount(publicKey: "streamplan-sandbox", secretKey: "streamplan-sandbox-local-only")

    /// A copy of the 0.1.0 fixture's data directory (store.json, sources, thumbnails).
    static func copyOfFixture() throws -> String {
        let directory = NSTemporaryDirectory() + "sandbox-import-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: fixture, toPath: directory)
        return directory
    }

    static func ids(_ page: APIResult) -> [String] {
        (page.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test("a store.json of 0.1.0 is imported once: counts, ids, metadata, listings, keys, balance")
    func importsLegacyStore() async throws {
        let directory = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = SandboxConfiguration(dataDirectory: directory)
        try await SandboxServer.withSandbox(config) { server throws in
            #expect(await server.accounts == [Self.account])
            let client = await APIClient(server)
            let all = try await client.send(.POST, "/videos", json: #"{"sort_by":"created_at","order_by":"asc"}"#)
            #expect(all.data["total"] as? Int == 5)
            #expect(
                Self.ids(all) == [
                    "a9cd4365-b180-4325-9139-da198fb22044", "56e8cb91-a643-489f-8837-bbde3c5bc38b",
                    "a2cb8b2f-2ba0-4905-9eea-4b696d226351", "d0f5137b-6c6b-4bd5-8034-23392c2404a5",
                    "5aae3383-07c7-4161-9a8c-430513a605df",
                ])
            let lessons = try await client.send(
                .POST, "/videos",
                json: #"{"metadata":[{"key":"course","value":"swift-101"},{"key":"graded","value":"true"}]}"#)
            #expect(Self.ids(lessons) == ["56e8cb91-a643-489f-8837-bbde3c5bc38b"])
            #expect(lessons.data["total"] as? Int == 1)
            let tagged = try await client.send(.POST, "/videos", json: #"{"tags":["lesson"],"sort_by":"title","order_by":"asc"}"#)
            #expect(Self.ids(tagged) == ["d0f5137b-6c6b-4bd5-8034-23392c2404a5", "56e8cb91-a643-489f-8837-bbde3c5bc38b"])

            let video = try await client.send(.GET, "/videos/d0f5137b-6c6b-4bd5-8034-23392c2404a5")
            #expect(video.data["status"] as? String == "done")
            #expect(video.data["user_id"] as? String == "cd524aeb-a014-4e71-acd0-a5820918412d")
            #expect(video.data["tags"] as? [String] == ["swift", "lesson", "beginner"])
            let metadata = video.data["metadata"] as? [[String: String]] ?? []
            #expect(metadata.count == 8)
            #expect(metadata.first == ["key": "course", "value": "swift-101"])
            #expect(metadata.last?["key"] == "streamplan.thumbnail_sha256")
            let source = try await client.send(.GET, "/videos/d0f5137b-6c6b-4bd5-8034-23392c2404a5/source", auth: .none)
            #expect(source.bytes.count == 24048)

            let keys = try await client.send(.GET, "/live_streams")
            #expect(keys.data["total"] as? Int == 1)
            let streamings = try await client.send(.GET, "/live_streams/46a1f620-ab18-4923-b271-330499004430/streamings")
            let titles = (streamings.data["videos"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            #expect(titles == ["December kickoff", "Open Q&A with the instructors"])
            let balance = try await client.send(.GET, "/_sandbox/balance")
            #expect(balance.json["data"].flatMap { ($0 as? [String: Any])?["balance"] as? Double } == 999999.99993)

            // The sequence goes on from the imported one: a new video lists after the imported ones.
            let id = try await client.createVideo()
            let newest = try await client.send(.POST, "/videos", json: #"{"limit":1}"#)
            #expect(Self.ids(newest) == [id])
        }
        let files = FileManager.default
        #expect(!files.fileExists(atPath: directory + "/store.json"))
        #expect(files.fileExists(atPath: directory + "/store.json.imported"))
        #expect(files.fileExists(atPath: directory + "/store.sqlite"))

        // Restarted: not imported again, the new video is still there.
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            #expect(try await client.send(.POST, "/videos", json: "{}").data["total"] as? Int == 6)
        }
    }

    @Test("a store.json left beside an already imported database is only renamed")
    func importIsOnce() async throws {
        let directory = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = SandboxConfiguration(dataDirectory: directory)
        try await SandboxServer.withSandbox(config) { _ in }
        // As if the process died after the import committed but before the rename.
        try FileManager.default.copyItem(atPath: directory + "/store.json.imported", toPath: directory + "/store.json")
        try await SandboxServer.withSandbox(config) { server throws in
            let client = await APIClient(server)
            #expect(try await client.send(.POST, "/videos", json: "{}").data["total"] as? Int == 5)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/store.json"))
    }

    @Test("an unreadable store.json stops the start with its path")
    func corruptLegacyStore() async throws {
        let directory = NSTemporaryDirectory() + "sandbox-import-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("[{".utf8).write(to: URL(fileURLWithPath: directory + "/store.json"))
        let error = await #expect(throws: SandboxError.self) {
            try await SandboxServer.withSandbox(SandboxConfiguration(dataDirectory: directory)) { _ in }
        }
        #expect(error?.description.contains(directory + "/store.json") == true)
    }
}
