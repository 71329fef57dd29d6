import Foundation
import Sandbox
import SandboxTesting
import Testing

/// The answers AIOZ's Go SDK found wrong in content (docs/aioz-api.md, "AIOZ's Go SDK against the
/// sandbox"), as the SDK sends the requests. Every answer is also checked against AIOZ's documents.
@Suite("content of the answers AIOZ's Go SDK checks")
struct SDKContentTests {
    /// `2026-12-05T21:35:00.123456Z`, the format of every timestamp the sandbox answers.
    static func isTimestamp(_ text: String) -> Bool {
        text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/#) != nil
    }

    @Test("GET /user/me: created_at and updated_at are the account's creation, a timestamp kept across restarts")
    func userCreatedAt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("me-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SandboxConfiguration()
        configuration.dataDirectory = directory
        /// `created_at`, `updated_at`, and whether `deleted_at` is null.
        func read() async throws -> (String?, String?, Bool) {
            try await TestSandbox.with(configuration) { sandbox in
                let me = try await sandbox.api.send(.GET, "/user/me")
                #expect(me.status == 200)
                let user = try #require(me.data["user"] as? [String: Any], "\(me.json)")
                return (user["created_at"] as? String, user["updated_at"] as? String, user["deleted_at"] is NSNull)
            }
        }
        let (created, updated, deletedNull) = try await read()
        let createdAt = try #require(created)
        #expect(Self.isTimestamp(createdAt), "\(createdAt)")
        #expect(updated == createdAt)
        #expect(deletedNull)
        let (again, _, _) = try await read()
        #expect(again == createdAt, "the same after a restart on the same data")
    }
}
