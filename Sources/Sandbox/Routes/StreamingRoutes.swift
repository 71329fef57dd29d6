import Hummingbird

/// `/live_streams/{id}/streamings…` and `/live_streams/{id}/videos` (saved recordings).
struct StreamingRoutes {
    let env: SandboxEnvironment
    static let defaultQualities = ["1080p", "720p", "360p"]

    func register(on group: RouterGroup<SandboxContext>) {
        group.post(":id/streamings") { request, context in
            let account = try context.requireAccount()
            let keyID = try requireID(context, what: "live stream key")
            let body = try await RequestDecoding.json(StreamingBody.self, from: request)
            try Self.validate(body, titleRequired: true)
            let streaming = try await env.store.createStreaming(
                account, keyID: keyID, title: body.title ?? "", save: body.save ?? false,
                qualities: body.qualities ?? Self.defaultQualities
            )
            return try JSONResponse.data(try await view(streaming, account))
        }
        group.get(":id/streamings") { _, context in
            let account = try context.requireAccount()
            let all = try await env.store.streamings(account, keyID: try requireID(context, what: "live stream key"))
            var views: [StreamingView] = []
            for streaming in all { views.append(try await view(streaming, account)) }
            return try JSONResponse.data(Page(keys: ["videos", "media"], items: views, total: views.count))
        }
        group.put(":id/streamings") { request, context in
            let account = try context.requireAccount()
            let keyID = try requireID(context, what: "live stream key")
            let body = try await RequestDecoding.json(StreamingBody.self, from: request)
            try Self.validate(body, titleRequired: false)
            try await env.store.updateStreaming(
                account, keyID: keyID, id: body.streamID, title: body.title, save: body.save, qualities: body.qualities)
            return JSONResponse.message("Update streaming successfully.")
        }
        group.get(":id/streamings/:stream_id") { _, context in
            let account = try context.requireAccount()
            let streaming = try await env.store.streaming(
                account, keyID: try requireID(context, what: "live stream key"),
                id: try requireID(context, "stream_id", what: "streaming"))
            return try JSONResponse.data(try await view(streaming, account))
        }
        group.delete(":id/streamings/:stream_id") { _, context in
            try await env.store.deleteStreaming(
                try context.requireAccount(), keyID: try requireID(context, what: "live stream key"),
                id: try requireID(context, "stream_id", what: "streaming"))
            return JSONResponse.message("Delete streaming success")
        }
        // Seed 002's path, and the 2026 spec's `/media` (same answer; items under both names).
        group.post(":id/videos") { request, context in try await savedVideos(request, context) }
        group.post(":id/media") { request, context in try await savedVideos(request, context) }
        // Seed 002's "get live streaming video details" names no video [inferred]: the key's newest
        // saved recording, as `PUT …/streamings` updates the newest streaming.
        // The newer specs and AIOZ's SDK name it in the singular: the same answer.
        group.get(":id/video") { _, context in try await newestRecording(context) }
        group.get(":id/videos") { _, context in try await newestRecording(context) }
    }

    /// The key's newest saved recording (`GET …/video` and seed 002's `GET …/videos`).
    func newestRecording(_ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let keyID = try requireID(context, what: "live stream key")
        var newest: StoredStreaming?
        for streaming in try await env.store.streamings(account, keyID: keyID).reversed() {
            guard let videoID = streaming.videoID, try env.store.videoIfPresent(account, videoID) != nil else {
                continue
            }
            newest = streaming
            break
        }
        guard let newest else { throw APIError.notFound("This live stream key has no saved video.") }
        return try JSONResponse.data(try await view(newest, account))
    }

    static func validate(_ body: StreamingBody, titleRequired: Bool) throws {
        if let title = body.title {
            guard Limits.titleLength.contains(title.count) else {
                throw APIError.badRequest("title must be 1 to 255 characters long.")
            }
        } else if titleRequired {
            throw APIError.badRequest("title is required.")
        }
        if let qualities = body.qualities {
            if qualities.isEmpty { throw APIError.badRequest("qualities must not be empty; omit it to use the defaults.") }
            if let bad = qualities.first(where: { !Limits.streamingQualities.contains($0) }) {
                throw APIError.badRequest("qualities: '\(bad)' is not a supported live quality.")
            }
        }
    }

    func view(_ streaming: StoredStreaming, _ account: String) async throws -> StreamingView {
        var video: VideoView?
        if let videoID = streaming.videoID, let stored = try env.store.videoIfPresent(account, videoID) {
            video = try await env.videoView(stored, account: account)
        }
        return StreamingView(
            streaming: streaming, userID: try env.store.userID(account), now: Timestamp.now(), apiBase: env.apiBase(),
            video: video, type: try await env.store.key(account, streaming.keyID).mediaType)
    }

    /// Saved recordings: ended, saved streamings of the key with their video. Empty-string filters are 400.
    func savedVideos(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let keyID = try requireID(context, what: "live stream key")
        let body = try await RequestDecoding.json(SavedVideoListBody.self, from: request, allowEmpty: true)
        let paging = try Paging(offset: body.offset, limit: body.limit, orderBy: body.orderBy, defaultAscending: false)
        let sortBy = try Paging.filter(body.sortBy, named: "sort_by") ?? "created_at"
        guard Limits.videoSortFields.contains(sortBy) else {
            throw APIError.badRequest("sort_by must be one of created_at, updated_at, title, size.")
        }
        let search = try Paging.filter(body.search, named: "search")?.lowercased()
        let status = try Paging.filter(body.status, named: "status")
        let videoStatus = try Paging.filter(body.videoStatus, named: "video_status")
        let now = Timestamp.now()
        // A key's streamings are few: filtered here, each recording looked up by its id.
        var saved: [StoredStreaming] = []
        for streaming in try await env.store.streamings(account, keyID: keyID) {
            guard let videoID = streaming.videoID, let video = try env.store.videoIfPresent(account, videoID) else {
                continue
            }
            if let status, streaming.status != status { continue }
            if let videoStatus, video.status(now: now, transcodeSeconds: env.transcodeSeconds) != videoStatus { continue }
            if let search, !streaming.title.lowercased().contains(search) { continue }
            saved.append(streaming)
        }
        saved.sort { a, b in
            let ordered: Bool
            switch sortBy {
            case "title": ordered = a.title == b.title ? a.sequence < b.sequence : a.title < b.title
            case "updated_at": ordered = a.updatedAt == b.updatedAt ? a.sequence < b.sequence : a.updatedAt < b.updatedAt
            default: ordered = a.sequence < b.sequence
            }
            return paging.ascending ? ordered : !ordered
        }
        var views: [StreamingView] = []
        for streaming in paging.page(saved) { views.append(try await view(streaming, account)) }
        return try JSONResponse.data(Page(keys: ["videos", "media"], items: views, total: saved.count))
    }
}
