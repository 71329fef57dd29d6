import Foundation
import Hummingbird

/// `/videos/{id}/part`, `/complete`, `/thumbnail` and the asset URLs that serve the bytes back.
struct UploadRoutes {
    let env: SandboxEnvironment
    static let maxThumbnailBytes = 8 << 20

    /// Registers the routes under `family`: `api/videos` (2025) or `api/media` (2026).
    func register(on router: Router<SandboxContext>, family: String = "api/videos") {
        let group = router.group(RouterPath(family))
        group.post(":id/part") { request, context in try await part(request, context) }
        group.get(":id/complete") { _, context in try await complete(context) }
        group.post(":id/thumbnail") { request, context in try await thumbnail(request, context) }
        group.delete(":id/thumbnail") { _, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "video")
            _ = try env.store.video(account, id)
            try? FileManager.default.removeItem(atPath: env.files.thumbnailPath(video: id))
            try await env.store.setThumbnail(account, id, fileExtension: nil)
            return JSONResponse.message("Delete thumbnail successfully.")
        }
        group.get(":id/source") { _, context in
            try await serveSource(context, ready: { $0.completedAt != nil && !$0.assembling })
        }
        group.get(":id/mp4") { _, context in
            try await serveSource(
                context, ready: { $0.status(now: Timestamp.now(), transcodeSeconds: env.transcodeSeconds) == "done" })
        }
        group.get(":id/thumbnail") { _, context in
            // A transcoded video without a thumbnail of its own shows one AIOZ makes from the video: the
            // sandbox's is a fixed 1×1 PNG, so the `thumbnail_url` it gives out always resolves.
            let id = try requireID(context, what: "video")
            if let video = env.store.anyVideo(id), video.thumbnailExtension == nil,
                video.status(now: Timestamp.now(), transcodeSeconds: env.transcodeSeconds) == "done"
            {
                return Response(
                    status: .ok, headers: [.contentType: "image/png"],
                    body: .init(byteBuffer: ByteBuffer(bytes: Self.generatedThumbnail)))
            }
            return try await serve(context, ready: { $0.thumbnailExtension != nil }) { env.files.thumbnailPath(video: $0) }
        }
    }

    func part(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try requireID(context, what: "video")
        let range = try PartRange(header: request.headers[.contentRange])
        let video = try env.store.video(account, id)
        guard video.completedAt == nil else {
            throw APIError.badRequest("The upload of this video is already complete; parts can no longer be sent.")
        }
        let form = try await FormReceiver.receive(request, files: env.files)
        do {
            guard let file = form.file else { throw APIError.badRequest("file is required.") }
            switch range {
            case .bytes(let range): try await bytesPart(account, id, range, form, file)
            case .progressive(let number, let isLast): try await progressivePart(account, id, number, isLast, form, file)
            }
            return JSONResponse.message("Upload part successfully.")
        } catch {
            if let file = form.file { try? FileManager.default.removeItem(atPath: file.temporaryPath) }
            throw error
        }
    }

    /// `Content-Range: bytes START-END/TOTAL`: `index` and `hash` are required.
    func bytesPart(_ account: String, _ id: String, _ range: ContentRange, _ form: ReceivedForm, _ file: ReceivedFile)
        async throws
    {
        guard let indexText = form.fields["index"], let index = Int(indexText.trimmingWhitespace()), index >= 0 else {
            throw APIError.badRequest("index is required and must be a non-negative integer.")
        }
        guard let hash = form.fields["hash"]?.trimmingWhitespace(), !hash.isEmpty else {
            throw APIError.badRequest("hash is required: the MD5 of this part's bytes in hex.")
        }
        guard file.size == range.length else {
            throw APIError.badRequest("Content-Range says \(range.length) bytes but the file field has \(file.size).")
        }
        guard hash.lowercased() == file.md5 else {
            throw APIError.badRequest("hash mismatch: the part's MD5 is \(file.md5), the request said \(hash).")
        }
        let isLast = range.end + 1 == range.total
        guard isLast || file.size >= env.minPartSize else {
            throw APIError.badRequest(
                "Part \(index) is \(file.size) bytes; every part but the last must be at least \(env.minPartSize) bytes.")
        }
        try await env.store.acceptPart(
            account, id, part: StoredPart(index: index, start: range.start, end: range.end),
            total: range.total, temporaryFile: file.temporaryPath
        )
    }

    /// `Content-Range: part N/*` or `part N/N` (AIOZ's Go SDK's `UploadPartStream`, which sends only
    /// `file`): `index`, when sent, must be N; `hash`, when sent, is checked. The store places the
    /// bytes after parts 1…N-1.
    func progressivePart(
        _ account: String, _ id: String, _ number: Int, _ isLast: Bool, _ form: ReceivedForm, _ file: ReceivedFile
    ) async throws {
        if let indexText = form.fields["index"]?.trimmingWhitespace(), !indexText.isEmpty, Int(indexText) != number {
            throw APIError.badRequest("index \(indexText) differs from the part number \(number) its Content-Range gives.")
        }
        if let hash = form.fields["hash"]?.trimmingWhitespace(), !hash.isEmpty, hash.lowercased() != file.md5 {
            throw APIError.badRequest("hash mismatch: the part's MD5 is \(file.md5), the request said \(hash).")
        }
        guard file.size > 0 else { throw APIError.badRequest("Part \(number) has no bytes.") }
        guard isLast || file.size >= env.minPartSize else {
            throw APIError.badRequest(
                "Part \(number) is \(file.size) bytes; every part but the last must be at least \(env.minPartSize) bytes.")
        }
        try await env.store.acceptProgressivePart(
            account, id, number: number, size: file.size, isLast: isLast, temporaryFile: file.temporaryPath)
    }

    func complete(_ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try requireID(context, what: "video")
        let (parts, _) = try await env.store.beginComplete(account, id)
        do {
            try LinkedSource.link(parts, video: id, files: env.files)
            try await env.store.finishComplete(account, id, succeeded: true)
            try? FileManager.default.removeItem(atPath: env.files.partsDirectory(video: id))
            if let webhooks = env.webhooks, let video = try? env.store.video(account, id) {
                webhooks.uploadCompleted(account: account, video: video)
            }
        } catch {
            try? await env.store.finishComplete(account, id, succeeded: false)
            throw error
        }
        return JSONResponse.message("Upload video complete successfully.")
    }

    func thumbnail(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try requireID(context, what: "video")
        _ = try env.store.video(account, id)
        let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: Self.maxThumbnailBytes)
        guard let file = form.file else { throw APIError.badRequest("file is required.") }
        let name = (file.filename ?? "").lowercased()
        guard let ext = [".png", ".jpg"].first(where: name.hasSuffix) else {
            try? FileManager.default.removeItem(atPath: file.temporaryPath)
            throw APIError.badRequest("The thumbnail must be a .png or .jpg file.")
        }
        try AtomicFile.move(file.temporaryPath, to: env.files.thumbnailPath(video: id))
        try await env.store.setThumbnail(account, id, fileExtension: ext)
        return JSONResponse.message("Upload thumbnail successfully.")
    }

    /// Streams a file back from disk; public, like AIOZ's asset URLs.
    /// A 1×1 transparent PNG: the thumbnail of a video that has none of its own.
    static let generatedThumbnail: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7A, 0x5E, 0xAB, 0x3F, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    /// Streams a video's source: one file, or the parts `complete` linked (`LinkedSource`).
    func serveSource(_ context: SandboxContext, ready: (StoredVideo) -> Bool) async throws -> Response {
        let id = try requireID(context, what: "video")
        guard let video = env.store.anyVideo(id), ready(video),
            let pieces = LinkedSource.pieces(video: id, files: env.files)
        else { throw APIError.notFound("Asset not found.") }
        let headers: HTTPFields = [.contentType: "application/octet-stream"]
        if pieces.count == 1, let only = pieces.first {
            return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: only.path, context: context))
        }
        return Response(status: .ok, headers: headers, body: LinkedSource.body(pieces))
    }

    func serve(_ context: SandboxContext, ready: (StoredVideo) -> Bool, path: (String) -> String) async throws -> Response {
        let id = try requireID(context, what: "video")
        guard let video = env.store.anyVideo(id), ready(video) else { throw APIError.notFound("Asset not found.") }
        let body = try await FileIO().loadFile(path: path(id), context: context)
        var headers: HTTPFields = [.contentType: "application/octet-stream"]
        if video.thumbnailExtension != nil, path(id) == env.files.thumbnailPath(video: id) {
            headers[.contentType] = video.thumbnailExtension == ".png" ? "image/png" : "image/jpeg"
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
