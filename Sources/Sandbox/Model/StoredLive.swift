/// A live stream key as the store keeps it.
struct StoredLiveStreamKey: Codable, Sendable {
    var id: String
    var name: String
    var save: Bool
    var streamKey: String
    var rtmpURL: String
    var createdAt: Double
    var updatedAt: Double
    var sequence: Int
    /// Set through `/_sandbox/live_streams/{id}/broadcasting`: an encoder is pushing to this key.
    var broadcasting = false
    /// "video" or "audio" (the 2026 spec's `type`); "video" when the client did not say.
    var mediaType = "video"

    /// The fields a 0.1.0 `store.json` has (it is imported once); `mediaType` lives only in the database.
    enum CodingKeys: String, CodingKey {
        case id, name, save, streamKey, rtmpURL, createdAt, updatedAt, sequence, broadcasting
    }
}

/// A streaming (one broadcast session) under a key.
struct StoredStreaming: Codable, Sendable {
    var id: String
    var keyID: String
    var title: String
    var save: Bool
    var qualities: [String]
    /// `created` → `streaming` → `ended` [inferred names beyond `created`].
    var status: String
    var createdAt: Double
    var updatedAt: Double
    var sequence: Int
    var startedAt: Double?
    var endedAt: Double?
    /// The recording's video, made when a saved streaming ends.
    var videoID: String?

    func durationMilliseconds(now: Double) -> Int {
        guard let startedAt else { return 0 }
        return Int(((endedAt ?? now) - startedAt) * 1000)
    }
}

/// Everything one account owns, as the JSON store of releases up to 0.1.0 kept it (`store.json`, an array
/// of these). Only read now, by `LegacyImport`; the database keeps the same fields in tables.
struct AccountState: Codable, Sendable {
    var account: SandboxAccount
    var userID: String
    var balance: Double
    var videos: [String: StoredVideo] = [:]
    var keys: [String: StoredLiveStreamKey] = [:]
    var streamings: [String: StoredStreaming] = [:]
    var nextSequence = 0

    mutating func takeSequence() -> Int {
        nextSequence += 1
        return nextSequence
    }
}
