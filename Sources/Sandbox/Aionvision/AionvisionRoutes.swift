import Crypto
import Foundation
import Hummingbird
import NIOCore

/// Aionvision's video upload API (its "Uploading Videos" guide and videos reference) under
/// `/aionvision/api/v2`, with Bearer auth, and the presigned chunk URLs it hands out under
/// `/aionvision-s3`, answering as S3 does (quoted-MD5 `ETag`, XML errors). See docs/sandbox.md.
struct AionvisionRoutes {
    let stores: LazyAionvisionStore
    /// The account's store, opened by the first request that needs it.
    var store: AionvisionStore { get throws { try stores.open() } }
    let settings: AionvisionSettings
    /// Bearer tokens accepted, each with the account it opens (a sandbox account's secret key).
    let tokens: [String: String]
    /// `http://host:port`, for presigned URLs.
    let origin: @Sendable () -> String

    static let prefix = "aionvision/api/v2"
    static let contentTypes = ["video/mp4", "video/quicktime", "video/x-m4v", "video/webm", "video/x-msvideo"]
    static let maxSize: Int64 = 10_737_418_240

    func register(on router: some RouterMethods<SandboxContext>) {
        let p = Self.prefix
        router.post("\(p)/video-uploads/initiate") { request, _ in
            await answer(request) { account in try await initiate(request, account: account) }
        }
        router.post("\(p)/video-uploads/chunks/confirm") { request, _ in
            await answer(request) { account in
                let body = try await Self.decode(ConfirmBody.self, request)
                let media = try await store.confirm(
                    media: body.mediaID, uploadID: body.uploadID, account: account, chunk: body.chunkNumber, etag: body.etag,
                    size: body.sizeBytes)
                return try Self.json(
                    ConfirmView(
                        mediaID: media.id, chunkNumber: body.chunkNumber, confirmed: true,
                        chunksConfirmed: media.confirmed.count, totalChunks: media.totalChunks))
            }
        }
        router.post("\(p)/video-uploads/chunks/retry") { request, _ in
            await answer(request) { account in
                let body = try await Self.decode(UploadRef.self, request)
                let media = try await store.openUpload(body.mediaID, uploadID: body.uploadID, account: account)
                guard let number = body.chunkNumber, (1...media.totalChunks).contains(number) else {
                    throw AionvisionError(.badRequest, "chunk_number must be between 1 and \(media.totalChunks).")
                }
                return try Self.json(try await chunkView(media, number))
            }
        }
        router.post("\(p)/video-uploads/complete") { request, _ in
            await answer(request) { account in
                let body = try await Self.decode(UploadRef.self, request)
                let media = try await store.complete(media: body.mediaID, uploadID: body.uploadID, account: account)
                return try Self.json(CompleteView(mediaID: media.id, status: media.status, sizeBytes: media.sizeBytes))
            }
        }
        router.post("\(p)/video-uploads/abort") { request, _ in
            await answer(request) { account in
                let body = try await Self.decode(UploadRef.self, request)
                try await store.abort(media: body.mediaID, uploadID: body.uploadID, account: account)
                return try Self.json(CompleteView(mediaID: body.mediaID, status: "aborted", sizeBytes: nil))
            }
        }
        router.get("\(p)/video-uploads/progress/:media") { request, context in
            await answer(request) { account in
                let id = try context.parameters.require("media")
                guard let media = try await store.media(id, account: account) else {
                    throw AionvisionError(.notFound, "Media \(id) not found.")
                }
                return try Self.json(ProgressView(media))
            }
        }
        router.get("\(p)/user-files") { request, _ in
            await answer(request) { account in
                let query = request.uri.queryParameters
                let limit = min(100, max(1, query["limit"].flatMap { Int(String($0)) } ?? 20))
                let offset = max(0, query["offset"].flatMap { Int(String($0)) } ?? 0)
                let wantedTags = query.getAll("tags").map { String($0) }
                var files = try await store.list(account: account)
                if let type = query["media_type"], type != "video" { files = [] }
                files = files.filter { media in wantedTags.allSatisfy(media.tags.contains) }
                let page = Array(files.dropFirst(offset).prefix(limit))
                return try Self.json(
                    FileList(files: page.map(FileView.init), totalCount: files.count, hasMore: offset + page.count < files.count))
            }
        }
        router.get("\(p)/user-files/:id") { request, context in
            await answer(request) { account in
                let id = try context.parameters.require("id")
                guard let media = try await store.media(id, account: account) else {
                    throw AionvisionError(.notFound, "File \(id) not found.")
                }
                return try Self.json(FileView(media))
            }
        }
        router.delete("\(p)/user-files/:id") { request, context in
            await answer(request) { account in
                let id = try context.parameters.require("id")
                guard try await store.delete(id, account: account) else {
                    throw AionvisionError(.notFound, "File \(id) not found.")
                }
                return Response(status: .noContent)
            }
        }
        router.put("aionvision-s3/:media/:chunk") { request, context in
            await putChunk(request, context)
        }
    }

    // MARK: Handlers

    private func initiate(_ request: Request, account: String) async throws -> Response {
        let body = try await Self.decode(InitiateBody.self, request)
        guard (1...255).contains(body.filename.count) else {
            throw AionvisionError(.unprocessable, "filename must be 1 to 255 characters.")
        }
        guard Self.contentTypes.contains(body.contentType) else {
            throw AionvisionError(
                .unprocessable, "content_type must be one of \(Self.contentTypes.joined(separator: ", ")).")
        }
        guard body.sizeBytes > 0 else { throw AionvisionError(.unprocessable, "size_bytes must be greater than 0.") }
        guard body.sizeBytes <= Self.maxSize else {
            throw AionvisionError(.payloadTooLarge, "size_bytes exceeds the maximum of \(Self.maxSize) bytes (10GB).")
        }
        if let title = body.title, title.count > 255 {
            throw AionvisionError(.unprocessable, "title must be at most 255 characters.")
        }
        let tags = body.tags ?? []
        guard tags.count <= 20 else { throw AionvisionError(.unprocessable, "At most 20 tags are allowed.") }
        for tag in tags where !Self.isTag(tag) {
            throw AionvisionError(
                .unprocessable, "Tag '\(tag)' must be 1-50 letters, numbers, spaces, hyphens or underscores.")
        }
        let now = Timestamp.now()
        let media = AionvisionMedia(
            id: UUID().uuidString.lowercased(), account: account, uploadID: "multipart_upload_" + RandomToken.hex(bytes: 12),
            filename: body.filename, contentType: body.contentType, sizeBytes: body.sizeBytes, title: body.title, tags: tags,
            metadata: body.metadata ?? [:], chunkSize: settings.chunkSize, status: "uploading", createdAt: now, updatedAt: now)
        guard media.totalChunks <= 10_000 else {
            throw AionvisionError(.unprocessable, "The upload would need more than 10,000 chunks.")
        }
        try await store.initiate(media)
        var chunks: [ChunkView] = []
        for number in 1...media.totalChunks { chunks.append(try await chunkView(media, number)) }
        let view = InitiateView(
            mediaID: media.id, uploadID: media.uploadID, totalChunks: media.totalChunks, chunkSizeBytes: media.chunkSize,
            storagePath: "tenants/\(account)/videos/\(media.id)", chunks: chunks,
            expiresAt: chunks.first?.expiresAt ?? Timestamp.format(now), concurrentUploadLimit: settings.concurrentUploadLimit,
            retryAttempts: 3)
        return try Self.json(view, status: .created)
    }

    private func chunkView(_ media: AionvisionMedia, _ number: Int) async throws -> ChunkView {
        let signed = try await store.presign(media: media.id, uploadID: media.uploadID, chunk: number, origin: origin())
        return ChunkView(
            chunkNumber: number, sizeBytes: media.chunkLength(number), uploadURL: signed.url, uploadMethod: "PUT",
            expiresAt: Timestamp.format(signed.expiresAt))
    }

    /// A presigned PUT: the signature and expiry are checked before a byte is read; the body is
    /// streamed to disk while its MD5 is computed; the answer is S3's (`ETag: "md5"`, empty body).
    private func putChunk(_ request: Request, _ context: SandboxContext) async -> Response {
        guard let mediaID = context.parameters.get("media"), let number = context.parameters.get("chunk").flatMap({ Int($0) })
        else { return Self.s3Error(.notFound, "NoSuchKey", "The specified key does not exist.") }
        let query = request.uri.queryParameters
        guard let uploadID = query["uploadId"].map(String.init), let expiresText = query["X-Amz-Expires"],
            let expires = Int(String(expiresText)), let signature = query["X-Amz-Signature"].map(String.init)
        else {
            return Self.s3Error(
                .forbidden, "AccessDenied", "Query-string authentication requires the Signature and Expires parameters.")
        }
        let store: AionvisionStore
        do {
            store = try stores.open()
        } catch {
            return Self.s3Error(.internalServerError, "InternalError", "The emulator's store could not be opened: \(error)")
        }
        let expected = await store.sign(media: mediaID, chunk: number, uploadID: uploadID, expires: expires)
        guard Self.constantTimeEqual(expected, signature) else {
            return Self.s3Error(
                .forbidden, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.")
        }
        guard Double(expires) >= Timestamp.now() else {
            return Self.s3Error(.forbidden, "AccessDenied", "Request has expired")
        }
        guard request.headers[.authorization] == nil else {
            return Self.s3Error(
                .badRequest, "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter should be specified.")
        }
        let temporary = await store.temporaryPath()
        do {
            let sink = try await FileSink(path: temporary, filename: nil)
            do {
                for try await buffer in request.body { try await sink.write(buffer) }
            } catch {
                await sink.discard()
                throw error
            }
            let file = try await sink.finish()
            if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared != file.size {
                try? FileManager.default.removeItem(atPath: temporary)
                return Self.s3Error(
                    .badRequest, "IncompleteBody",
                    "You did not provide the number of bytes specified by the Content-Length HTTP header.")
            }
            let etag = "\"\(file.md5)\""
            try await store.receive(media: mediaID, chunk: number, temporary: temporary, etag: etag)
            var response = Response(status: .ok)
            response.headers[.eTag] = etag
            response.headers[.contentLength] = "0"
            return response
        } catch let error as AionvisionError where error.detail == "NoSuchUpload" {
            return Self.s3Error(.notFound, "NoSuchUpload", "The specified multipart upload does not exist.")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            return Self.s3Error(.internalServerError, "InternalError", "We encountered an internal error. Please try again.")
        }
    }

    // MARK: Helpers

    /// Authenticates the Bearer token, runs `body` and turns its errors into `{"detail": …}` answers.
    private func answer(_ request: Request, _ body: (String) async throws -> Response) async -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let account = tokens[String(header.dropFirst("Bearer ".count))]
        else {
            var response = Self.detail(.unauthorized, "Invalid or missing API key.")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        do {
            return try await body(account)
        } catch let error as AionvisionError {
            return Self.detail(HTTPResponse.Status(code: error.status.rawValue), error.detail)
        } catch let error as DecodingError {
            return Self.detail(.unprocessableContent, "Invalid request body: \(Self.describe(error)).")
        } catch {
            return Self.detail(.internalServerError, "Internal server error.")
        }
    }

    static func isTag(_ tag: String) -> Bool {
        (1...50).contains(tag.count)
            && tag.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || " -_".unicodeScalars.contains($0)
            }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = try JSONEncoder.api.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func detail(_ status: HTTPResponse.Status, _ text: String) -> Response {
        (try? json(["detail": text], status: status)) ?? Response(status: status)
    }

    /// S3's error document.
    static func s3Error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>"
            + "<RequestId>\(RandomToken.hex(bytes: 8).uppercased())</RequestId></Error>"
        return Response(
            status: status, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + " is invalid"
        @unknown default: "malformed JSON"
        }
    }
}
