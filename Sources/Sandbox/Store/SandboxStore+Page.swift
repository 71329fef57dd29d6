import GRDB

/// Everything one account holds, read at once for the sandbox's web page.
struct AccountSnapshot: Sendable {
    var userID: String
    var balance: Double
    /// Newest first, recordings of live streams included.
    var videos: [StoredVideo]
    /// In creation order, each with its streamings in creation order.
    var keys: [(key: StoredLiveStreamKey, streamings: [StoredStreaming])]
}

extension SandboxStore {
    /// The account's videos, keys and streamings, read in one transaction.
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
            return AccountSnapshot(
                userID: userID, balance: try Self.balance(db, account: account), videos: videos,
                keys: try keys.map { (key: $0, streamings: try Self.streamings(db, keyID: $0.id)) })
        }
    }
}
