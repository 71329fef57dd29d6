import Foundation
import Sandbox
import SandboxTesting
import Synchronization
import Testing

/// `/api_keys…`, as AIOZ's Go SDK calls them. Every answer is also checked against AIOZ's documents.
@Suite("API keys")
struct APIKeyTests {
    @Test("a made key authenticates until deleted; its secret is answered once; list, search, sort, rename")
    func lifecycle() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.api
            let made = try await client.send(
                .POST, "/api_keys", json: #"{"api_key_name":"ci key","ttl":"3600","type":"full_access"}"#)
            #expect(made.status == 201, "\(made.json)")
            let key = made.data["api_key"] as? [String: Any] ?? [:]
            let id = try #require(key["id"] as? String)
            let publicKey = try #require(key["public_key"] as? String)
            let secret = try #require(key["secret"] as? String)
            #expect(key["name"] as? String == "ci key" && key["type"] as? String == "full_access")
            #expect(key["expired_at"] is String && (key["user"] as? [String: Any])?["id"] is String)

            let me = try await client.send(.GET, "/user/me", auth: .keys(publicKey, secret))
            #expect(me.status == 200, "the made key authenticates: \(me.json)")
            #expect(try await client.send(.GET, "/user/me", auth: .keys(publicKey, secret + "x")).status == 401)

            let other = try await client.send(.POST, "/api_keys", json: #"{"api_key_name":"another"}"#)
            #expect(other.status == 201 && (other.data["api_key"] as? [String: Any])?["expired_at"] is NSNull)
            let listed = try await client.send(
                .GET, "/api_keys?search=CI&sort_by=created_at&order_by=asc&limit=10&offset=0")
            #expect(listed.status == 200, "\(listed.json)")
            let keys = listed.data["api_keys"] as? [[String: Any]] ?? []
            #expect(keys.compactMap { $0["id"] as? String } == [id] && listed.data["total"] as? Int == 1)
            #expect(keys.first?["secret"] is NSNull, "the secret is not shown again")
            let byName = try await client.send(.GET, "/api_keys?sort_by=name&order_by=desc")
            #expect(
                (byName.data["api_keys"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["ci key", "another"])

            let renamed = try await client.send(.PATCH, "/api_keys/\(id)", json: #"{"api_key_name":"ci key 2"}"#)
            #expect(renamed.status == 200, "\(renamed.json)")
            let after = try await client.send(.GET, "/api_keys?search=ci+key+2")
            #expect((after.data["api_keys"] as? [[String: Any]])?.first?["name"] as? String == "ci key 2")

            for json in [#"{"ttl":"60"}"#, #"{"api_key_name":"x","ttl":"soon"}"#, #"{"api_key_name":""}"#] {
                #expect(try await client.send(.POST, "/api_keys", json: json).status == 400, "\(json)")
            }
            #expect(try await client.send(.PATCH, "/api_keys/\(id)", json: "{}").status == 400)
            #expect(try await client.send(.GET, "/api_keys?sort_by=secret").status == 400)
            #expect(try await client.send(.GET, "/api_keys?limit=0").status == 400)

            let deleted = try await client.send(.DELETE, "/api_keys/\(id)")
            #expect(deleted.status == 200, "\(deleted.json)")
            #expect(try await client.send(.GET, "/user/me", auth: .keys(publicKey, secret)).status == 401)
            #expect(try await client.send(.DELETE, "/api_keys/\(id)").status == 404)
            #expect(try await client.send(.PATCH, "/api_keys/\(id)", json: #"{"api_key_name":"y"}"#).status == 404)
        }
    }

    @Test("the traffic record (--record) masks a made key's secret")
    func recordMasksSecret() async throws {
        let lines = Mutex<[Data]>([])
        var configuration = SandboxConfiguration()
        let encoder = JSONEncoder()
        configuration.recorder = ExchangeRecorder { exchange in
            if let line = try? encoder.encode(exchange) { lines.withLock { $0.append(line) } }
        }
        let secret = try await TestSandbox.with(configuration) { sandbox in
            let made = try await sandbox.api.send(.POST, "/api_keys", json: #"{"api_key_name":"recorded"}"#)
            return try #require((made.data["api_key"] as? [String: Any])?["secret"] as? String)
        }
        let recorded = lines.withLock { $0 }
        let bodies = recorded.compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any]
            guard let base64 = object?["response_body"] as? String, let data = Data(base64Encoded: base64) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        #expect(bodies.contains { $0.contains("\"recorded\"") }, "the create is recorded")
        #expect(
            !bodies.contains { $0.contains(secret) }
                && !recorded.contains { String(decoding: $0, as: UTF8.self).contains(secret) })
    }
}
