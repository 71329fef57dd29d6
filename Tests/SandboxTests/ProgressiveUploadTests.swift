import Foundation
import Sandbox
import SandboxTesting
import Testing

/// The progressive upload of AIOZ's Go SDK (`UploadPartStream`): `Content-Range: part N/*` for each
/// part before the last and `part N/N` for the last, a form with only `file`. Every answer is also
/// checked against AIOZ's documents (`TestSandbox`).
@Suite("progressive upload: Content-Range part N/* and part N/N")
struct ProgressiveUploadTests {
    static let partSize = 64 * 1024
    static let small = SandboxConfiguration(minPartSize: partSize)

    /// Sends `bytes` as part `number` in the progressive form; `fields` are extra form fields.
    static func send(
        _ client: APIClient, family: String, _ id: String, _ bytes: ArraySlice<UInt8>, part number: Int, last: Bool,
        fields: [(String, String)] = []
    ) async throws -> APIResult {
        let form = MultipartForm.make(fields: fields, file: ("file", "part.mp4", bytes))
        return try await client.send(
            .POST, "/\(family)/\(id)/part", body: form.body,
            headers: [("Content-Type", form.contentType), ("Content-Range", "part \(number)/\(last ? String(number) : "*")")])
    }

    @Test(
        "three parts with only file (part 1/*, 2/*, 3/3) complete, and the source served is the bytes sent",
        arguments: ["media", "videos"])
    func threeParts(family: String) async throws {
        try await TestSandbox.with(Self.small) { sandbox in
            let client = sandbox.api
            let bytes = TestBytes.make(Self.partSize * 2 + 1234, seed: 11)
            let created = try await client.send(.POST, "/\(family)/create", json: #"{"title":"progressive"}"#)
            let id = try #require(created.data["id"] as? String, "\(created.json)")
            let cuts = [0, Self.partSize, Self.partSize * 2, bytes.count]
            for number in 1...3 {
                let sent = try await Self.send(
                    client, family: family, id, bytes[cuts[number - 1]..<cuts[number]], part: number, last: number == 3)
                #expect(sent.status == 200, "part \(number): \(sent.json)")
            }
            let complete = try await client.send(.GET, "/\(family)/\(id)/complete")
            #expect(complete.status == 200, "\(complete.json)")
            let video = try await client.send(.GET, "/\(family)/\(id)").data
            #expect(video["size"] as? Int == bytes.count)
            let source = try await client.send(.GET, "/videos/\(id)/source", auth: .none)
            #expect(source.status == 200)
            #expect(source.bytes.count == bytes.count && source.bytes == bytes)
        }
    }

    @Test("a progressive part's index and hash are optional; when sent, index must be N and the hash must match")
    func optionalFields() async throws {
        try await TestSandbox.with(Self.small) { sandbox in
            let client = sandbox.api
            let bytes = TestBytes.make(Self.partSize + 100, seed: 5)
            let id = try await client.createVideo()
            let first = bytes[..<Self.partSize]
            let wrongIndex = try await Self.send(
                client, family: "media", id, first, part: 1, last: false, fields: [("index", "2")])
            #expect(wrongIndex.status == 400 && wrongIndex.message.contains("index 2"), "\(wrongIndex.json)")
            let wrongHash = try await Self.send(
                client, family: "media", id, first, part: 1, last: false, fields: [("hash", String(repeating: "0", count: 32))])
            #expect(wrongHash.status == 400 && wrongHash.message.contains("hash mismatch"), "\(wrongHash.json)")
            let good = try await Self.send(
                client, family: "media", id, first, part: 1, last: false, fields: [("index", "1"), ("hash", MD5Hex.of(first))])
            #expect(good.status == 200, "\(good.json)")
            let last = try await Self.send(client, family: "media", id, bytes[Self.partSize...], part: 2, last: true)
            #expect(last.status == 200, "\(last.json)")
            #expect(try await client.send(.GET, "/media/\(id)/complete").status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/source", auth: .none).bytes == bytes)
        }
    }

    @Test("a part whose earlier parts are missing, a small part before the last, a bad header: 400 saying why")
    func refusals() async throws {
        try await TestSandbox.with(Self.small) { sandbox in
            let client = sandbox.api
            let bytes = TestBytes.make(Self.partSize * 2, seed: 9)
            let id = try await client.createVideo()
            let early = try await Self.send(client, family: "media", id, bytes[..<Self.partSize], part: 3, last: true)
            #expect(early.status == 400 && early.message.contains("parts 1, 2 have not been sent"), "\(early.json)")
            let tiny = try await Self.send(client, family: "media", id, bytes[..<100], part: 1, last: false)
            #expect(tiny.status == 400 && tiny.message.contains("at least \(Self.partSize) bytes"), "\(tiny.json)")
            for header in ["part 0/*", "part 2/3", "part x/*", "part 1"] {
                let form = MultipartForm.make(fields: [], file: ("file", "p.mp4", bytes[..<10]))
                let bad = try await client.send(
                    .POST, "/media/\(id)/part", body: form.body,
                    headers: [("Content-Type", form.contentType), ("Content-Range", header)])
                #expect(bad.status == 400 && bad.message.contains("Content-Range"), "\(header): \(bad.json)")
            }
            // Parts before the last alone cannot complete.
            #expect(try await Self.send(client, family: "media", id, bytes[..<Self.partSize], part: 1, last: false).status == 200)
            let unfinished = try await client.send(.GET, "/media/\(id)/complete")
            #expect(unfinished.status == 400 && unfinished.message.contains("part N/N"), "\(unfinished.json)")
            // The last part completes it; a part after the last is refused.
            let last = try await Self.send(client, family: "media", id, bytes[Self.partSize...], part: 2, last: true)
            #expect(last.status == 200, "\(last.json)")
            let after = try await Self.send(client, family: "media", id, bytes[..<Self.partSize], part: 3, last: false)
            #expect(after.status == 400, "\(after.json)")
            #expect(try await client.send(.GET, "/media/\(id)/complete").status == 200)
            #expect(try await client.send(.GET, "/videos/\(id)/source", auth: .none).bytes == bytes)
        }
    }
}
