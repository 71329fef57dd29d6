import NIOHTTP1

/// Video object operations (`/videos`).
extension AIOZClient {
    static func videoResource(_ id: String) -> String { "video \(id)" }

    /// `/videos` or `/media`, as the configuration's generation says.
    var family: String { "/" + configuration.generation.rawValue }
    static func segment(_ id: String) -> String { AIOZEndpoint.encode(id) }

    /// Creates a video object. Never retried after the request may have reached the server:
    /// an ambiguous failure is `.outcomeUnknown`, and the caller should re-observe by its marks.
    public func createVideo(_ request: VideoCreateRequest) async throws -> Video {
        var request = request
        // The 2026 API asks what is created: a video unless the request says audio.
        if configuration.generation == .media && request.type == nil { request.type = "video" }
        return try await requestData(
            .POST, "\(family)/create", json: request, as: Video.self,
            context: RequestContext("create video \"\(request.title)\"", idempotent: false)
        )
    }

    /// One page of videos. `order_by` is always sent.
    public func listVideos(_ query: VideoListQuery = VideoListQuery()) async throws -> VideoPage {
        try Self.checkPage(query, "video")
        // A listing changes nothing, so it is safe to retry although it is a POST.
        return try await requestData(.POST, family, json: query, as: VideoPage.self, context: RequestContext("list videos"))
    }

    /// Every video matching `query`'s filters, fetched 100 at a time until `total` is reached.
    public func allVideos(_ query: VideoListQuery = VideoListQuery()) async throws -> [Video] {
        try await Self.allPages(query) { page in
            let result = try await listVideos(page)
            return (result.videos, result.total)
        }
    }

    public func getVideo(id: String) async throws -> Video {
        try await requestData(
            .GET, "\(family)/\(Self.segment(id))", as: Video.self, context: RequestContext("get", Self.videoResource(id)))
    }

    /// Applies a partial update; the API answers with a message only, so GET again to see the result.
    public func updateVideo(id: String, _ update: VideoUpdateRequest) async throws {
        try await requestMessage(
            .PATCH, "\(family)/\(Self.segment(id))", json: update, context: RequestContext("update", Self.videoResource(id)))
    }

    public func deleteVideo(id: String) async throws {
        try await requestMessage(
            .DELETE, "\(family)/\(Self.segment(id))", context: RequestContext("delete", Self.videoResource(id)))
    }

    /// Tells AIOZ every part is uploaded; the video moves to `transcoding`.
    public func completeVideo(id: String) async throws {
        try await requestMessage(
            .GET, "\(family)/\(Self.segment(id))/complete", context: RequestContext("complete upload", Self.videoResource(id)))
    }

    public func deleteThumbnail(videoID: String) async throws {
        try await requestMessage(
            .DELETE, "\(family)/\(Self.segment(videoID))/thumbnail",
            context: RequestContext("delete thumbnail", Self.videoResource(videoID))
        )
    }

    /// The price of transcoding `duration` seconds into `qualities` (e.g. ["360p", "1080p"]).
    /// The 2026 API requires the media's `type` ("video" or "audio") beside them.
    public func cost(qualities: [String], duration: Double, type: String = "video") async throws -> Cost {
        let seconds = duration == duration.rounded() ? String(Int64(duration)) : String(duration)
        var query = [("qualities", qualities.joined(separator: ",")), ("duration", seconds)]
        if configuration.generation == .media { query.append(("type", type)) }
        return try await requestData(
            .GET, "\(family)/cost", query: query,
            as: Cost.self, context: RequestContext("estimate transcoding cost")
        )
    }

    /// The account behind the keys, with its balance (`GET /user/me`, 2026 spec; served whatever the
    /// video API's generation).
    public func me() async throws -> UserMe {
        try await requestData(.GET, "/user/me", as: UserMe.self, context: RequestContext("read the account's balance"))
    }
}
