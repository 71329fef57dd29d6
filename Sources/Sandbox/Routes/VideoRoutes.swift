import Foundation
import Hummingbird

/// `/videos…`: create, list, get, update, delete, cost.
struct VideoRoutes {
    let env: SandboxEnvironment

    /// Registers the routes under `family`: `api/videos` (2025) or `api/media` (2026), one store behind both.
    func register(on router: Router<SandboxContext>, family: String = "api/videos") {
        let group = router.group(RouterPath(family))
        group.post("create") { request, context in try await create(request, context) }
        // The list's items are under `videos` (2025) or `media` (2026), as each family's spec names them.
        let itemsKey = family.hasSuffix("media") ? "media" : "videos"
        group.post { request, context in try await list(request, context, itemsKey: itemsKey) }
        group.get("cost") { request, context in try await cost(request, context) }
        group.get(":id") { _, context in
            let account = try context.requireAccount()
            let video = try env.store.video(account, try requireID(context, what: "video"))
            return try JSONResponse.data(try await env.videoView(video, account: account))
        }
        group.get(":id/player.json") { _, context in try await playerInfo(context) }
        group.patch(":id") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "video")
            let body = try await RequestDecoding.json(UpdateVideoBody.self, from: request)
            try VideoValidation.title(body.title, required: false)
            try VideoValidation.description(body.description)
            try VideoValidation.tags(body.tags)
            try VideoValidation.metadata(body.metadata)
            try await env.store.updateVideo(account, id, body, keepingClearedValues: env.keepsClearedValues)
            return JSONResponse.message("Update video info successfully.")
        }
        group.delete(":id") { _, context in
            try await env.store.deleteVideo(try context.requireAccount(), try requireID(context, what: "video"))
            return JSONResponse.message("Delete video successfully.")
        }
    }

    /// `GET …/{id}/player.json` (`GetMediaPlayerInfoResponse`, 2025: `GetVideoPlayerInfoResponse`):
    /// the media object itself, not in the envelope, with its player theme. Public, as a player fetches
    /// it: found in whichever account has it. The `token` of a private video is not checked [inferred].
    func playerInfo(_ context: SandboxContext) async throws -> Response {
        let id = try requireID(context, what: "video")
        guard let account = env.store.videoAccount(id) else { throw APIError.notFound("Video not found.") }
        let video = try env.store.video(account, id)
        var view = try await env.videoView(video, account: account)
        if !video.playerThemeID.isEmpty, let player = try? env.store.player(account, video.playerThemeID) {
            view.playerTheme = try await PlayerRoutes(env: env).view(player, account)
        }
        return JSONResponse.make(.ok, try JSONEncoder.api.encode(view))
    }

    func create(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let body = try await CreateVideoBody.decode(request)
        try VideoValidation.title(body.title, required: true)
        try VideoValidation.description(body.description)
        try VideoValidation.tags(body.tags)
        try VideoValidation.metadata(body.metadata)
        try VideoValidation.qualities(body.qualities)
        try VideoValidation.mediaType(body.type)
        try VideoValidation.createOptions(body)
        let video = try await env.store.createVideo(account, body)
        // 200, as the 2025 and 2026 specs document it (seed 001 showed 201; clients accept any 2xx).
        return try JSONResponse.data(try await env.videoView(video, account: account))
    }

    func list(_ request: Request, _ context: SandboxContext, itemsKey: String) async throws -> Response {
        let account = try context.requireAccount()
        let body = try await RequestDecoding.json(VideoListBody.self, from: request, allowEmpty: true)
        let paging = try Paging(offset: body.offset, limit: body.limit, orderBy: body.orderBy, defaultAscending: false)
        let sortBy = try Paging.filter(body.sortBy, named: "sort_by") ?? "created_at"
        guard Limits.videoSortFields.contains(sortBy) else {
            throw APIError.badRequest("sort_by must be one of created_at, updated_at, title, size.")
        }
        // An empty array filters nothing (as an empty Go slice); an empty string is refused as before.
        let statuses = try body.status.flatMap { $0.isEmpty ? nil : try $0.map { try Paging.filter($0, named: "status") ?? "" } }
        if let bad = statuses?.first(where: { !Limits.videoStatuses.contains($0) }) {
            throw APIError.badRequest("status must be one of new, transcoding, done, fail, deleted (not '\(bad)').")
        }
        let type = try Paging.filter(body.type, named: "type")
        if let type, !["video", "audio"].contains(type) {
            throw APIError.badRequest("type must be video or audio (not '\(type)').")
        }
        let query = VideoQuery(
            status: statuses, search: body.search.flatMap { $0.isEmpty ? nil : $0.lowercased() }, tags: body.tags,
            metadata: body.metadata, type: type, sortBy: sortBy, ascending: paging.ascending, offset: paging.offset,
            limit: paging.limit, now: Timestamp.now(), transcodeSeconds: env.transcodeSeconds)
        let (videos, total) = try env.store.listVideos(account, query)
        let views = try await env.videoViews(videos, account: account)
        return try JSONResponse.data(Page(key: itemsKey, items: views, total: total))
    }

    func cost(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.uri.queryParameters
        guard let durationText = query["duration"].map(String.init), let duration = Double(durationText), duration > 0 else {
            throw APIError.badRequest("duration is required and must be a positive number of seconds.")
        }
        guard let qualityText = query["qualities"].map(String.init), !qualityText.isEmpty else {
            throw APIError.badRequest("qualities is required, e.g. qualities=360p,1080p.")
        }
        let qualities = qualityText.split(separator: ",").map { String($0).trimmingWhitespace() }
        if let bad = qualities.first(where: { !Limits.costQualities.contains($0) }) {
            throw APIError.badRequest("qualities: '\(bad)' is not a supported quality.")
        }
        let price = Pricing.price(durationSeconds: duration, qualities: qualities)
        let balance = try await env.store.balance(account)
        // A number, as AIOZ's Go SDK, the 2026 spec and the video reference's example have it (only
        // the 2025 spec says string); rounded to the micro-unit the pricing works in.
        return try JSONResponse.data(CostView(price: (price * 1_000_000).rounded() / 1_000_000, isEnough: price <= balance))
    }
}

struct CostView: Encodable, Sendable {
    let price: Double
    let isEnough: Bool
    enum CodingKeys: String, CodingKey {
        case price
        case isEnough = "is_enough"
    }
}
