import Foundation
import GRDB

/// Everything one account holds, read at once for the sandbox's web page.
struct AccountSnapshot: Sendable {
    var userID: String
    var balance: Double
    /// Newest first, recordings of live streams included.
    var videos: [StoredVideo]
    /// In creation order, each with its streamings in creation order.
    var keys: [(key: StoredLiveStreamKey, streamings: [StoredStreaming])]
    /// In creation order.
    var players: [StoredPlayer] = []
    /// In creation order, each with its items in order.
    var playlists: [StoredPlaylist] = []
    /// In creation order.
    var webhooks: [StoredWebhook] = []
    /// Captions and chapters by video id, each by kind then language (no content).
    var textTracks: [String: [StoredTextTrack]] = [:]
}

extension SandboxStore {
    /// The account's videos, keys and streamings, player themes, playlists, webhooks, captions and
    /// chapters, read in one transaction.
    func snapshot(_ account: String) throws -> AccountSnapshot {
        let userID = try userID(account)
        return try read(account) { db in
            let videos = try Row.fetchAll(
                db, sql: "SELECT \(StoreRows.videoColumns) FROM videos WHERE account = ? ORDER BY sequence DESC",
                arguments: [account]
            ).map(StoreRows.video)
            let keys = try Row.fetchAll(
                db, sql: "SELECT \(StoreRows.keyColumns) FROM live_stream_keys WHERE account = ? ORDER BY sequence",
                arguments: [account]
            ).map(StoreRows.key)
            var snapshot = AccountSnapshot(
                userID: userID, balance: try Self.balance(db, account: account), videos: videos,
                keys: try keys.map { (key: $0, streamings: try Self.streamings(db, keyID: $0.id)) })
            snapshot.players = try Row.fetchAll(
                db, sql: "SELECT \(Self.playerColumns) FROM players WHERE account = ? ORDER BY sequence", arguments: [account]
            ).map(Self.playerRow)
            snapshot.playlists = try String.fetchAll(
                db, sql: "SELECT id FROM playlists WHERE account = ? ORDER BY sequence", arguments: [account]
            ).map { try Self.existingPlaylist(db, account, $0) }
            snapshot.webhooks = try Row.fetchAll(
                db, sql: "SELECT \(WebhookTable.columns) FROM webhooks WHERE account = ? ORDER BY sequence",
                arguments: [account]
            ).map(WebhookTable.webhook)
            let tracks = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.video_id, t.kind, t.language, t.is_default FROM text_tracks t
                    JOIN videos v ON v.id = t.video_id WHERE v.account = ? ORDER BY t.video_id, t.kind, t.language
                    """,
                arguments: [account]
            ).map {
                StoredTextTrack(
                    videoID: $0["video_id"], kind: $0["kind"], language: $0["language"], isDefault: $0["is_default"],
                    content: Data())
            }
            snapshot.textTracks = Dictionary(grouping: tracks, by: \.videoID)
            return snapshot
        }
    }
}
