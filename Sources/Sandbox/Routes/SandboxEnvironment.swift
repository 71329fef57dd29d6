import Hummingbird

/// What every route needs: the store, the files, the settings and the public base URL.
struct SandboxEnvironment: Sendable {
    let store: SandboxStore
    let files: FileLayout
    let minPartSize: Int
    let transcodeSeconds: Double
    var keepsClearedValues = false
    let apiBase: @Sendable () -> String
    /// Calls the accounts' webhooks on uploads and transcodes (nil: no webhook routes).
    var webhooks: WebhookDispatcher?

    func videoView(_ video: StoredVideo, account: String) async throws -> VideoView {
        try await videoViews([video], account: account)[0]
    }

    /// The views of a page of videos, with their captions and chapters (one read for the page).
    func videoViews(_ videos: [StoredVideo], account: String) async throws -> [VideoView] {
        let userID = try store.userID(account)
        let tracks = try store.trackSummaries(account, videoIDs: videos.map(\.id))
        let now = Timestamp.now()
        let base = apiBase()
        return videos.map { video in
            var view = VideoView(video, now: now, transcodeSeconds: transcodeSeconds, apiBase: base)
            view.userID = userID
            let own = tracks[video.id] ?? []
            view.captions = own.filter { $0.kind == "caption" }.map { TrackView($0, apiBase: base) }
            view.chapters = own.filter { $0.kind == "chapter" }.map { TrackView($0, apiBase: base) }
            return view
        }
    }
}

/// Ids are UUIDs: a malformed one is 400, an unknown one 404 [inferred].
func requireID(_ context: SandboxContext, _ name: String = "id", what: String) throws -> String {
    let raw = try context.parameters.require(name)
    guard raw.count == 36, UUIDCheck.isUUID(raw) else {
        throw APIError.badRequest("'\(raw)' is not a valid \(what) id.")
    }
    return raw.lowercased()
}

enum UUIDCheck {
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
