import Crypto
import Foundation
import Sandbox
import Testing

/// The sandbox's Aionvision emulation over raw HTTP: the documented calls, Bearer auth, and presigned
/// chunk URLs that answer as S3 does.
@Suite("Aionvision emulator", .timeLimit(.minutes(10)))
struct EmulatorTests {
    @Test("initiate lays out chunks; PUTs answer quoted MD5 ETags; confirm and complete assemble by chunk number")
    func wholeUpload() async throws {
        try await AionvisionHarness.with { h in
            let file = try TestVideoFile(size: 2_621_440)  // 2.5 chunks of 1 MiB
            defer { file.remove() }
            let initiate = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: [
                    "filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": file.data.count, "title": "Clip",
                    "tags": ["site-a"], "metadata": ["project": "demo"],
                ])
            #expect(initiate.status == 201)
            let media = try #require(initiate.json["media_id"] as? String)
            let upload = try #require(initiate.json["upload_id"] as? String)
            let chunks = try #require(initiate.json["chunks"] as? [[String: Any]])
            #expect(chunks.map { $0["chunk_number"] as? Int } == [1, 2, 3])
            #expect(chunks.map { $0["size_bytes"] as? Int } == [1_048_576, 1_048_576, 524_288])
            // Sent in reverse order: assembly goes by chunk number.
            for chunk in chunks.reversed() {
                let number = try #require(chunk["chunk_number"] as? Int)
                let url = try #require(chunk["upload_url"] as? String)
                #expect(url.contains("/aionvision-s3/"))
                let start = (number - 1) << 20
                let bytes = file.data.subdata(in: start..<min(start + (1 << 20), file.data.count))
                let put = try await Raw.send(.PUT, url, token: nil, body: bytes, headers: [("Content-Type", "video/mp4")])
                let md5 = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                #expect(put.status == 200)
                #expect(put.header("ETag") == "\"\(md5)\"")
                let confirm = try await Raw.send(
                    .POST, h.baseURL + "/video-uploads/chunks/confirm",
                    json: [
                        "media_id": media, "upload_id": upload, "chunk_number": number, "etag": "\"\(md5)\"",
                        "size_bytes": bytes.count,
                    ])
                #expect(confirm.status == 200, "\(confirm.text)")
            }
            let progress = try await Raw.send(.GET, h.baseURL + "/video-uploads/progress/\(media)")
            #expect(progress.json["confirmed_chunks"] as? [Int] == [1, 2, 3])
            let complete = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/complete", json: ["media_id": media, "upload_id": upload])
            #expect(complete.status == 200, "\(complete.text)")
            let stored = try #require(await h.sandbox.server.aionvisionMediaFile(media))
            #expect(FileManager.default.contents(atPath: stored) == file.data)
            let listed = try await Raw.send(.GET, h.baseURL + "/user-files?media_type=video")
            let files = try #require(listed.json["files"] as? [[String: Any]])
            #expect(files.count == 1)
            #expect(files.first?["metadata"] as? [String: String] == ["project": "demo"])
            #expect(files.first?["upload_status"] as? String == "completed")
        }
    }

    @Test("a tampered or expired presigned URL is refused with S3's XML error; chunks/retry gives a fresh one")
    func refusedURLs() async throws {
        try await AionvisionHarness.with(AionvisionSettings(chunkSize: 1 << 20, expiredURLs: 1)) { h in
            let initiate = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: ["filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": 10])
            let media = try #require(initiate.json["media_id"] as? String)
            let upload = try #require(initiate.json["upload_id"] as? String)
            let url = try #require((initiate.json["chunks"] as? [[String: Any]])?.first?["upload_url"] as? String)
            let expired = try await Raw.send(.PUT, url, token: nil, body: Data(count: 10))
            #expect(expired.status == 403)
            #expect(expired.text.contains("<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"))
            let tampered = try await Raw.send(
                .PUT, url.replacingOccurrences(of: "/1?", with: "/2?"), token: nil, body: Data(count: 10))
            #expect(tampered.status == 403)
            #expect(tampered.text.contains("<Code>SignatureDoesNotMatch</Code>"))
            let retry = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/chunks/retry",
                json: ["media_id": media, "upload_id": upload, "chunk_number": 1])
            let fresh = try #require(retry.json["upload_url"] as? String)
            #expect(fresh != url)
            let withAuth = try await Raw.send(.PUT, fresh, body: Data(count: 10))
            #expect(withAuth.status == 400, "a presigned URL takes no Authorization header")
            let put = try await Raw.send(.PUT, fresh, token: nil, body: Data(count: 10))
            #expect(put.status == 200)
            #expect(await h.chunkPuts().count == 1)
        }
    }

    @Test("confirm refuses an ETag or a size that is not the uploaded chunk's, and a chunk never uploaded")
    func confirmChecks() async throws {
        try await AionvisionHarness.with { h in
            let initiate = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: ["filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": 10])
            let media = try #require(initiate.json["media_id"] as? String)
            let upload = try #require(initiate.json["upload_id"] as? String)
            let url = try #require((initiate.json["chunks"] as? [[String: Any]])?.first?["upload_url"] as? String)
            func confirm(_ etag: String, size: Int) async throws -> Raw.Answer {
                try await Raw.send(
                    .POST, h.baseURL + "/video-uploads/chunks/confirm",
                    json: ["media_id": media, "upload_id": upload, "chunk_number": 1, "etag": etag, "size_bytes": size])
            }
            #expect(
                try await confirm("\"00\"", size: 10).json["detail"] as? String
                    == "Chunk 1 of media \(media) has not been uploaded.")
            let put = try await Raw.send(.PUT, url, token: nil, body: Data(count: 10))
            let etag = try #require(put.header("ETag"))
            let wrongTag = try await confirm("\"0123456789abcdef0123456789abcdef\"", size: 10)
            #expect(wrongTag.status == 400)
            #expect((wrongTag.json["detail"] as? String)?.contains("does not match the uploaded chunk 1") == true)
            #expect(try await confirm(etag, size: 9).status == 400)
            #expect(try await confirm(etag, size: 10).status == 200)
            #expect(try await confirm(etag.replacingOccurrences(of: "\"", with: ""), size: 10).status == 200)
        }
    }

    @Test("Bearer auth is required; the API answers {detail}; abort removes the media")
    func authAndAbort() async throws {
        try await AionvisionHarness.with { h in
            let anonymous = try await Raw.send(.GET, h.baseURL + "/user-files", token: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.json["detail"] as? String != nil)
            let wrong = try await Raw.send(.GET, h.baseURL + "/user-files", token: "nope")
            #expect(wrong.status == 401)
            let tooBig = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: ["filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 10_737_418_241])
            #expect(tooBig.status == 413)
            let badType = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: ["filename": "a.mkv", "content_type": "video/x-matroska", "size_bytes": 10])
            #expect(badType.status == 422)
            let initiate = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/initiate",
                json: ["filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 10])
            let media = try #require(initiate.json["media_id"] as? String)
            let upload = try #require(initiate.json["upload_id"] as? String)
            let incomplete = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/complete", json: ["media_id": media, "upload_id": upload])
            #expect(incomplete.status == 400)
            #expect((incomplete.json["detail"] as? String)?.contains("not confirmed: 1") == true)
            let abort = try await Raw.send(
                .POST, h.baseURL + "/video-uploads/abort", json: ["media_id": media, "upload_id": upload])
            #expect(abort.status == 200)
            #expect(try await Raw.send(.GET, h.baseURL + "/user-files/\(media)").status == 404)
        }
    }
}
