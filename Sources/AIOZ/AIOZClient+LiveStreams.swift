import NIOHTTP1

/// Live stream keys, their streamings and saved recordings (`/live_streams`).
extension AIOZClient {
    static func keyResource(_ id: String) -> String { "live stream key \(id)" }

    /// Creates a key. Like every create, never retried once it may have reached the server.
    public func createLiveStreamKey(_ request: LiveStreamKeyCreateRequest) async throws -> LiveStreamKey {
        try await requestData(
            .POST, "/live_streams", json: request, as: LiveStreamKey.self,
            context: RequestContext("create live stream key \"\(request.name)\"", idempotent: false)
        )
    }

    public func listLiveStreamKeys(_ query: LiveStreamKeyListQuery = LiveStreamKeyListQuery()) async throws -> LiveStreamKeyPage {
        try Self.checkPage(query, "live stream key")
        return try await requestData(
            .GET, "/live_streams", query: query.queryItems, as: LiveStreamKeyPage.self,
            context: RequestContext("list live stream keys")
        )
    }

    /// Every key matching `query.search`, 100 at a time until `total` is reached.
    public func allLiveStreamKeys(_ query: LiveStreamKeyListQuery = LiveStreamKeyListQuery()) async throws -> [LiveStreamKey] {
        try await Self.allPages(query) { page in
            let result = try await listLiveStreamKeys(page)
            return (result.liveStreamKeys, result.total)
        }
    }

    public func getLiveStreamKey(id: String) async throws -> LiveStreamKey {
        try await requestData(
            .GET, "/live_streams/\(Self.segment(id))", as: LiveStreamKey.self,
            context: RequestContext("get", Self.keyResource(id)))
    }

    public func updateLiveStreamKey(id: String, _ update: LiveStreamKeyUpdateRequest) async throws -> LiveStreamKey {
        try await requestData(
            .PUT, "/live_streams/\(Self.segment(id))", json: update, as: LiveStreamKey.self,
            context: RequestContext("update", Self.keyResource(id))
        )
    }

    public func deleteLiveStreamKey(id: String) async throws {
        try await requestMessage(
            .DELETE, "/live_streams/\(Self.segment(id))", context: RequestContext("delete", Self.keyResource(id)))
    }

    /// Uploads (replaces) a key's thumbnail: `POST /live_streams/{id}/thumbnail`, multipart `file`
    /// (the 2026 document), a PNG or JPEG streamed from disk.
    public func uploadLiveStreamKeyThumbnail(id: String, file path: String) async throws {
        try await uploadImage(
            file: path, to: "/live_streams/\(Self.segment(id))/thumbnail",
            context: RequestContext("upload thumbnail", Self.keyResource(id)))
    }

    public func deleteLiveStreamKeyThumbnail(id: String) async throws {
        try await requestMessage(
            .DELETE, "/live_streams/\(Self.segment(id))/thumbnail",
            context: RequestContext("delete thumbnail", Self.keyResource(id)))
    }

    // MARK: Streamings

    public func createStreaming(liveStreamKeyID: String, _ request: StreamingCreateRequest) async throws -> Streaming {
        try await requestData(
            .POST, "/live_streams/\(Self.segment(liveStreamKeyID))/streamings",
            json: request.forGeneration(configuration.generation), as: Streaming.self,
            context: RequestContext("create streaming \"\(request.title)\"", Self.keyResource(liveStreamKeyID), idempotent: false)
        )
    }

    public func listStreamings(liveStreamKeyID: String) async throws -> StreamingPage {
        try await requestData(
            .GET, "/live_streams/\(Self.segment(liveStreamKeyID))/streamings", as: StreamingPage.self,
            context: RequestContext("list streamings", Self.keyResource(liveStreamKeyID))
        )
    }

    public func getStreaming(liveStreamKeyID: String, streamingID: String) async throws -> Streaming {
        try await requestData(
            .GET, "/live_streams/\(Self.segment(liveStreamKeyID))/streamings/\(Self.segment(streamingID))", as: Streaming.self,
            context: RequestContext("get", "streaming \(streamingID) of \(Self.keyResource(liveStreamKeyID))")
        )
    }

    /// Updates a streaming of a key. The path names only the key: the body's `stream_id` (the 2026
    /// document) names the streaming; without it the service updates the key's newest (seed 004).
    public func updateStreaming(liveStreamKeyID: String, _ update: StreamingUpdateRequest) async throws {
        try await requestMessage(
            .PUT, "/live_streams/\(Self.segment(liveStreamKeyID))/streamings",
            json: update.forGeneration(configuration.generation),
            context: RequestContext("update streaming", Self.keyResource(liveStreamKeyID))
        )
    }

    public func deleteStreaming(liveStreamKeyID: String, streamingID: String) async throws {
        try await requestMessage(
            .DELETE, "/live_streams/\(Self.segment(liveStreamKeyID))/streamings/\(Self.segment(streamingID))",
            context: RequestContext("delete", "streaming \(streamingID) of \(Self.keyResource(liveStreamKeyID))")
        )
    }

    // MARK: Saved recordings

    /// One page of recordings saved from a key's streamings (a POST that changes nothing, so retried).
    public func listSavedRecordings(liveStreamKeyID: String, _ query: SavedRecordingQuery = SavedRecordingQuery()) async throws
        -> StreamingPage
    {
        try await requestData(
            // Seed 002's `/videos`, or the 2026 spec's `/media` (its filter is `media_status` there).
            .POST, "/live_streams/\(Self.segment(liveStreamKeyID))/\(configuration.generation.rawValue)",
            json: query.forGeneration(configuration.generation), as: StreamingPage.self,
            context: RequestContext("list saved recordings", Self.keyResource(liveStreamKeyID))
        )
    }
}

/// A key's restream destinations (`/live_streams/multicast/{stream_key}`, the 2026 document). The
/// path carries the key's secret `stream_key`, so it is registered with `Redaction` before any
/// request, and contexts name the key's id only.
extension AIOZClient {
    static func multicastPath(_ streamKey: String) -> String {
        Redaction.register(streamKey)
        return "/live_streams/multicast/\(Self.segment(streamKey))"
    }

    public func getMulticast(streamKey: String, keyID: String) async throws -> LiveStreamMulticast {
        try await requestData(
            .GET, Self.multicastPath(streamKey), as: LiveStreamMulticast.self,
            context: RequestContext("get restream destinations", Self.keyResource(keyID)))
    }

    /// Adds destinations. Not retried once it may have reached the server (a second add is harmless
    /// only if the service ignores a URL it has, which it does not document).
    public func addMulticast(streamKey: String, keyID: String, _ request: LiveStreamMulticastRequest) async throws
        -> LiveStreamMulticast
    {
        for url in request.multicastURLs { Redaction.register(url) }
        return try await requestData(
            .POST, Self.multicastPath(streamKey), json: request, as: LiveStreamMulticast.self,
            context: RequestContext("add restream destinations", Self.keyResource(keyID), idempotent: false))
    }

    /// Removes every destination of the key (the call takes no body).
    public func deleteMulticast(streamKey: String, keyID: String) async throws {
        try await requestMessage(
            .DELETE, Self.multicastPath(streamKey),
            context: RequestContext("delete restream destinations", Self.keyResource(keyID)))
    }
}
