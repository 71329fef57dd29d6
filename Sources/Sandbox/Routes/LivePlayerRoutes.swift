import Foundation
import Hummingbird

/// `GET /live_streams/player/{id}/media` (public: a player's view of a live stream) and
/// `GET /live_streams/statistic/{stream_media_id}` (the 2026 document; not in the 2025 one).
struct LivePlayerRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/live_streams")
        // `GetLiveStreamVideoPublicResponse`: the streaming (`LiveStreamMediaResponse`) in the envelope.
        // The document names the path's id a "Live stream key ID" while the answer is one streaming
        // and AIOZ's SDK passes a streaming's id: a streaming's id answers that streaming; a key's id
        // its live streaming, or without one its newest [inferred]. Public, as a player fetches it:
        // found in whichever account has it.
        group.get("player/:id/media") { _, context in
            let id = try requireID(context, what: "live stream")
            guard let (account, streaming) = try await find(id) else { throw APIError.notFound("Live stream not found.") }
            return try JSONResponse.data(try await StreamingRoutes(env: env).view(streaming, account))
        }
        // `LiveStreamStatisticResp`: the sandbox has no ingest and no viewers, so every measure is 0.
        group.get("statistic/:stream_media_id") { _, context in
            let account = try context.requireAccount()
            let id = try requireID(context, "stream_media_id", what: "live stream media")
            guard let (owner, streaming) = try await find(id), owner == account, streaming.id == id else {
                throw APIError.notFound("Live stream media not found.")
            }
            return try JSONResponse.data(LiveStreamStatisticView(streamingID: streaming.id))
        }
    }

    /// The streaming `id` names (or the one a key `id` shows) and its account.
    func find(_ id: String) async throws -> (String, StoredStreaming)? {
        if let (account, keyID) = await env.store.streamingOwner(id) {
            return (account, try await env.store.streaming(account, keyID: keyID, id: id))
        }
        guard let account = await env.store.keyAccount(id) else { return nil }
        let all = try await env.store.streamings(account, keyID: id)
        guard let shown = all.last(where: { $0.status == "streaming" }) ?? all.last else { return nil }
        return (account, shown)
    }
}

/// `LiveStreamStatisticResp` for a streaming: all zeros, the sandbox having no viewers.
struct LiveStreamStatisticView: Encodable, Sendable {
    let streamingID: String

    enum CodingKeys: String, CodingKey {
        case id
        case liveStreamMediaID = "live_stream_media_id"
        case bitrateIn = "bitrate_in"
        case bitrateOut = "bitrate_out"
        case fpsIn = "fps_in"
        case fpsOut = "fps_out"
        case currentView = "current_view"
        case totalView = "total_view"
        case dataTransferred = "data_transferred"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // The statistic has no id of its own in the sandbox: the streaming's [inferred].
        try c.encode(streamingID, forKey: .id)
        try c.encode(streamingID, forKey: .liveStreamMediaID)
        for key in [CodingKeys.bitrateIn, .bitrateOut, .dataTransferred] { try c.encode(0.0, forKey: key) }
        for key in [CodingKeys.fpsIn, .fpsOut, .currentView, .totalView] { try c.encode(0, forKey: key) }
    }
}
