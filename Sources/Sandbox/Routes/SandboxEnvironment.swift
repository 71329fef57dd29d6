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
        var view = VideoView(video, now: Timestamp.now(), transcodeSeconds: transcodeSeconds, apiBase: apiBase())
        view.userID = try store.userID(account)
        return view
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
