import Foundation
import GRDB

/// Imports the JSON store of earlier releases (`DIR/store.json`, all accounts in one file) into the
/// database, once: the import commits with a mark in `meta`, then the file is renamed to
/// `store.json.imported`. A crash between the two leaves the mark, so the next start only renames.
enum LegacyImport {
    static let mark = "imported store.json"

    static func importIfPresent(files: FileLayout, into database: any DatabaseWriter) throws {
        let path = files.legacyStatePath
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let states: [AccountState]
        do {
            states = try JSONDecoder().decode([AccountState].self, from: data)
        } catch {
            throw SandboxError.corruptStore(path: path, reason: "\(error)")
        }
        do {
            try database.write { db in
                let done = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = ?", arguments: [mark])
                guard done == nil else { return }
                for state in states { try insert(state, db) }
                try db.execute(
                    sql: "INSERT INTO meta (name, value) VALUES (?, ?)",
                    arguments: [mark, "\(states.count) accounts at \(Timestamp.format(Timestamp.now()))"])
            }
        } catch {
            throw SandboxError.corruptStore(path: path, reason: "it could not be imported into \(files.databasePath): \(error)")
        }
        try AtomicFile.move(path, to: files.importedLegacyPath)
    }

    /// One account with everything it owns, ids, sequences and timestamps unchanged.
    static func insert(_ state: AccountState, _ db: Database) throws {
        let account = state.account.publicKey
        try db.execute(
            sql: """
                INSERT INTO accounts (public_key, secret_key, user_id, balance, next_sequence) VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [account, state.account.secretKey, state.userID, state.balance, state.nextSequence])
        for video in state.videos.values {
            try StoreRows.save(video, account: account, db)
            try StoreRows.saveFilterRows(video, account: account, db)
            for part in video.parts.values { try StoreRows.savePart(part, video: video.id, db) }
        }
        for key in state.keys.values { try StoreRows.save(key, account: account, db) }
        for streaming in state.streamings.values { try StoreRows.save(streaming, account: account, db) }
        try SandboxStore.countListed(db, account: account, by: state.videos.values.count { $0.liveStreamKeyID == nil })
    }
}
