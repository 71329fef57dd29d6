import Foundation
import Hummingbird

/// `/live_streams…`: keys, streamings under a key, saved recordings.
struct LiveStreamRoutes {
    let env: SandboxEnvironment
    let rtmpHost: String

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/live_streams")
        group.post { request, context in
            let account = try context.requireAccount()
            let body = try await RequestDecoding.json(LiveStreamKeyBody.self, from: request)
            try Self.validateName(body.name, required: true)
            // Create's `type` is a string (the document); the update's boolean is not taken here.
            if body.typeFlag != nil { throw APIError.badRequest("type must be video or audio.") }
            try VideoValidation.mediaType(body.type)
            let key = try await env.store.createKey(
                account, name: body.name ?? "", save: body.save ?? false, type: body.type ?? "video", rtmpHost: rtmpHost)
            return try JSONResponse.data(try await view(key, account))
        }
        group.get { request, context in try await listKeys(request, context) }
        group.get(":id") { _, context in
            let account = try context.requireAccount()
            return try JSONResponse.data(try await view(try await env.store.key(account, try keyID(context)), account))
        }
        group.put(":id") { request, context in
            let account = try context.requireAccount()
            let id = try keyID(context)
            let body = try await RequestDecoding.json(LiveStreamKeyBody.self, from: request)
            try Self.validateName(body.name, required: false)
            // A key's type is fixed when it is created [inferred]: the document's boolean `type` is
            // taken and changes nothing; a string must be the key's own type.
            if let type = body.type {
                try VideoValidation.mediaType(type)
                let current = try await env.store.key(account, id).mediaType
                guard type == current else {
                    throw APIError.badRequest("A live stream key's type is fixed when it is created; this key's is \(current).")
                }
            }
            let key = try await env.store.updateKey(account, id, name: body.name, save: body.save)
            return try JSONResponse.data(try await view(key, account))
        }
        group.delete(":id") { _, context in
            let id = try keyID(context)
            try await env.store.deleteKey(try context.requireAccount(), id)
            try? FileManager.default.removeItem(atPath: env.files.thumbnailPath(liveStreamKey: id))
            return JSONResponse.message("Delete live stream key successfully.")
        }
        // The 2026 spec's key thumbnail: a .png or .jpg `file`, kept beside the videos' thumbnails.
        group.post(":id/thumbnail") { request, context in
            let account = try context.requireAccount()
            let id = try keyID(context)
            _ = try await env.store.key(account, id)
            let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: UploadRoutes.maxThumbnailBytes)
            guard let file = form.file else { throw APIError.badRequest("file is required.") }
            let name = (file.filename ?? "").lowercased()
            guard [".png", ".jpg"].contains(where: name.hasSuffix) else {
                try? FileManager.default.removeItem(atPath: file.temporaryPath)
                throw APIError.badRequest("The thumbnail must be a .png or .jpg file.")
            }
            try AtomicFile.move(file.temporaryPath, to: env.files.thumbnailPath(liveStreamKey: id))
            return JSONResponse.message("Upload thumbnail successfully.")
        }
        group.delete(":id/thumbnail") { _, context in
            let account = try context.requireAccount()
            let id = try keyID(context)
            _ = try await env.store.key(account, id)
            let path = env.files.thumbnailPath(liveStreamKey: id)
            guard FileManager.default.fileExists(atPath: path) else {
                throw APIError.notFound("This live stream key has no thumbnail.")
            }
            try FileManager.default.removeItem(atPath: path)
            return JSONResponse.message("Delete thumbnail successfully.")
        }
        StreamingRoutes(env: env).register(on: group)
    }

    func keyID(_ context: SandboxContext) throws -> String { try requireID(context, what: "live stream key") }

    func view(_ key: StoredLiveStreamKey, _ account: String) async throws -> LiveStreamKeyView {
        LiveStreamKeyView(key: key, userID: try env.store.userID(account))
    }

    static func validateName(_ name: String?, required: Bool) throws {
        guard let name else {
            if required { throw APIError.badRequest("name is required.") }
            return
        }
        guard Limits.titleLength.contains(name.count) else { throw APIError.badRequest("name must be 1 to 255 characters long.") }
    }

    /// Key lists are GET with query parameters; order defaults to asc as in the OpenAPI file.
    func listKeys(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.formQuery
        let paging = try Paging(
            offset: try query.integer("offset"), limit: try query.integer("limit"),
            orderBy: query["order_by"], defaultAscending: true)
        let sortBy = try Paging.filter(query["sort_by"], named: "sort_by") ?? "created_at"
        guard Limits.keySortFields.contains(sortBy) else { throw APIError.badRequest("sort_by must be created_at or name.") }
        let search = query["search"].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        // `type` filters (video or audio); absent, every type is listed, as `POST /media` does (the
        // 2026 document's "default(video)" would hide audio keys from a client that sends none).
        let type = try Paging.filter(query["type"], named: "type")
        if let type, !["video", "audio"].contains(type) {
            throw APIError.badRequest("type must be video or audio (not '\(type)').")
        }
        let (keys, total) = try await env.store.listKeys(
            account, search: search, type: type, byName: sortBy == "name", paging: paging)
        var views: [LiveStreamKeyView] = []
        for key in keys { views.append(try await view(key, account)) }
        return try JSONResponse.data(Page(key: "live_stream_keys", items: views, total: total))
    }
}
