import Foundation
import NIOCore
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The sandbox defects the schemathesis run (scripts/contract-fuzz.py) found, each over loopback.
@Suite("What the schemathesis run found", .gated)
struct ContractFuzzFindingTests {
    @Test("a method a served path does not take is 405 with Allow, not 404; an unknown path stays 404")
    func methodNotAllowed() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let trace = try await client.send(.RAW(value: "TRACE"), "/live_streams")
            #expect(trace.status == 405)
            #expect(trace.headers["Allow"].first == "GET, POST")
            #expect(trace.envelopeStatus == "error")
            #expect(trace.headers["X-RateLimit-Limit"].first != nil)
            let id = try await client.createVideo()
            let put = try await client.send(.PUT, "/videos/\(id)", json: "{}")
            #expect(put.status == 405)
            #expect(put.headers["Allow"].first == "DELETE, GET, PATCH")
            // A literal segment wins over a capture, as in the router: /videos/create takes only POST.
            let patch = try await client.send(.PATCH, "/videos/create", json: "{}")
            #expect(patch.status == 405)
            #expect(patch.headers["Allow"].first == "POST")
            #expect(try await client.send(.GET, "/no_such_thing").status == 404)
            #expect(try await client.send(.GET, "/videos/\(id)").status == 200)
            // Without keys it is still 401: the keys are checked first.
            #expect(try await client.send(.RAW(value: "TRACE"), "/live_streams", auth: .none).status == 401)
        }
    }

    @Test("the 2026 list's status is an array (any of them); the 2025 string still works, [] filters nothing")
    func statusArray() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration(minPartSize: 1)) { server throws in
            let client = await APIClient(server)
            _ = try await client.createVideo(#"{"title":"fresh"}"#)
            let done = try await client.createVideo(#"{"title":"uploaded"}"#)
            let bytes = [UInt8](repeating: 7, count: 1000)
            _ = try await client.uploadPart(done, bytes: bytes[...], start: 0, total: bytes.count, index: 0)
            #expect(try await client.send(.GET, "/videos/\(done)/complete").status == 200)
            func titles(_ body: String) async throws -> [String] {
                let result = try await client.send(.POST, "/media", json: body)
                #expect(result.status == 200, "\(result.json)")
                let items = (result.data["media"] as? [[String: Any]]) ?? []
                return items.compactMap { $0["title"] as? String }.sorted()
            }
            #expect(try await titles(#"{"status":["new"]}"#) == ["fresh"])
            #expect(try await titles(#"{"status":["done"]}"#) == ["uploaded"])
            #expect(try await titles(#"{"status":["new","done"]}"#) == ["fresh", "uploaded"])
            #expect(try await titles(#"{"status":"new"}"#) == ["fresh"])
            #expect(try await titles(#"{"status":[]}"#) == ["fresh", "uploaded"])
            #expect(try await client.send(.POST, "/media", json: #"{"status":["nope"]}"#).status == 400)
            #expect(try await client.send(.POST, "/media", json: #"{"status":[""]}"#).status == 400)
        }
    }

    @Test("an integer beyond 64 bits is 400 'out of range', not 'not valid JSON' (it is valid JSON)")
    func integerOutOfRange() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let huge = try await client.send(.POST, "/videos", json: #"{"offset": 21930343039572158517113943853367296}"#)
            #expect(huge.status == 400)
            #expect(huge.message.hasSuffix(" is out of range."), "\(huge.message)")
            let broken = try await client.send(.POST, "/videos", json: #"{"offset": "#)
            #expect(broken.status == 400)
            #expect(broken.message == "Invalid request body: not valid JSON.")
        }
    }

    @Test("create takes application/x-www-form-urlencoded, as both documents allow; objects in a form are 400")
    func formCreate() async throws {
        try await SandboxServer.withSandbox(SandboxConfiguration()) { server throws in
            let client = await APIClient(server)
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            for family in ["videos", "media"] {
                let created = try await client.send(
                    .POST, "/\(family)/create",
                    body: ByteBuffer(string: "title=A+form%20video&description=d&is_public=false&tags=a&tags=b&type=video"),
                    headers: form)
                #expect(created.status == 200, "\(created.json)")
                #expect(created.data["title"] as? String == "A form video")
                #expect(created.data["is_public"] as? Bool == false)
                #expect(created.data["tags"] as? [String] == ["a", "b"])
                let objects = try await client.send(
                    .POST, "/\(family)/create", body: ByteBuffer(string: "title=t&qualities=resolution"), headers: form)
                #expect(objects.status == 400)
                #expect(objects.message.contains("JSON body"))
                let untitled = try await client.send(
                    .POST, "/\(family)/create", body: ByteBuffer(string: "is_public=true"), headers: form)
                #expect(untitled.status == 400)
                let flag = try await client.send(
                    .POST, "/\(family)/create", body: ByteBuffer(string: "title=t&is_public=maybe"), headers: form)
                #expect(flag.status == 400)
            }
        }
    }
}
