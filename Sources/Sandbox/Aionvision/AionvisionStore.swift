import Crypto
import Foundation
import GRDB
import Synchronization

/// One video on the emulated Aionvision account: its upload (chunks received and confirmed) and,
/// once complete, its assembled bytes.
struct AionvisionMedia: Codable, Sendable {
    var id: String
    var account: String
    var uploadID: String
    var filename: String
    var contentType: String
    var sizeBytes: Int64
    var title: String?
    var tags: [String]
    var metadata: [String: String]
    var chunkSize: Int64
    /// "uploading", "completed" or "aborted".
    var status: String
    /// Chunks whose bytes arrived (chunk number → ETag, quoted, as S3 answers it).
    var received: [Int: String] = [:]
    /// Chunks confirmed by the client (chunk number → the ETag it confirmed).
    var confirmed: [Int: String] = [:]
    var createdAt: Double
    var updatedAt: Double

    var totalChunks: Int { Int((sizeBytes + chunkSize - 1) / chunkSize) }

    func chunkLength(_ number: Int) -> Int64 {
        let start = Int64(number - 1) * chunkSize
        return min(chunkSize, sizeBytes - start)
    }
}

/// What the emulator keeps: the media and the key that signs presigned URLs.
struct AionvisionState: Codable, Sendable {
    var signingKey: String
    var media: [String: AionvisionMedia] = [:]
    /// Presigned URLs issued so far (the first `expiredURLs` of them are issued already expired).
    var issuedURLs: Int = 0
}

/// The emulated Aionvision account: media records in SQLite (`state.sqlite`, WAL; one row per media,
/// written when that media changes, listed by account with an index), chunk bytes as files, and a log
/// of accepted chunk PUTs (one line each) for tests to count. The rows are also kept in memory, where
/// the chunk routes read them.
actor AionvisionStore {
    let root: String
    private var state: AionvisionState
    private let settings: AionvisionSettings
    private let database: DatabaseQueue

    init(root: String, settings: AionvisionSettings) throws {
        self.root = root
        self.settings = settings
        for directory in [root, "\(root)/chunks", "\(root)/media", "\(root)/tmp"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.label = "streamplan.sandbox.aionvision"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: "\(root)/state.sqlite", configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: "CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
                try db.execute(
                    sql: """
                        CREATE TABLE media (
                            id TEXT PRIMARY KEY NOT NULL, account TEXT NOT NULL, created_at REAL NOT NULL, record TEXT NOT NULL)
                        """)
                try db.execute(sql: "CREATE INDEX media_by_account ON media(account, created_at, id)")
            }
            try migrator.migrate(database)
            state = try database.read { db in
                let key = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'signing_key'")
                let issued = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'issued_urls'").flatMap { Int($0) }
                var state = AionvisionState(signingKey: key ?? RandomToken.hex(bytes: 32), issuedURLs: issued ?? 0)
                for record in try String.fetchAll(db, sql: "SELECT record FROM media") {
                    let media = try JSONDecoder().decode(AionvisionMedia.self, from: Data(record.utf8))
                    state.media[media.id] = media
                }
                return state
            }
            // A new store keeps the signing key it just made, so URLs stay valid across restarts.
            let key = state.signingKey
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO meta (name, value) VALUES ('signing_key', ?) ON CONFLICT(name) DO NOTHING",
                    arguments: [key])
            }
        } catch {
            throw SandboxError.corruptStore(path: "\(root)/state.sqlite", reason: "\(error)")
        }
    }

    var chunkPutLogPath: String { "\(root)/chunk-puts.log" }
    func chunkPath(_ media: String, _ number: Int) -> String { "\(root)/chunks/\(media)/\(number)" }
    func mediaPath(_ media: String) -> String { "\(root)/media/\(media)" }
    func temporaryPath() -> String { "\(root)/tmp/\(UUID().uuidString.lowercased())" }

    /// Writes one media's row (or deletes it when the media is gone), in one transaction.
    private func save(_ id: String) throws {
        let record = try state.media[id].map { String(decoding: try JSONEncoder.api.encode($0), as: UTF8.self) }
        let media = state.media[id]
        try database.write { db in
            if let media, let record {
                try db.execute(
                    sql: """
                        INSERT INTO media (id, account, created_at, record) VALUES (?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET account = excluded.account, created_at = excluded.created_at,
                        record = excluded.record
                        """,
                    arguments: [id, media.account, media.createdAt, record])
            } else {
                try db.execute(sql: "DELETE FROM media WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Writes the signing key and the count of URLs issued.
    private func saveMeta() throws {
        let key = state.signingKey
        let issued = String(state.issuedURLs)
        try database.write { db in
            for (name, value) in [("signing_key", key), ("issued_urls", issued)] {
                try db.execute(
                    sql: "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    arguments: [name, value])
            }
        }
    }

    // MARK: Uploads

    func initiate(_ media: AionvisionMedia) throws {
        state.media[media.id] = media
        try FileManager.default.createDirectory(atPath: "\(root)/chunks/\(media.id)", withIntermediateDirectories: true)
        try save(media.id)
    }

    func media(_ id: String, account: String) -> AionvisionMedia? {
        guard let media = state.media[id], media.account == account else { return nil }
        return media
    }

    /// Media of an upload still open (not completed, not aborted), checked against the upload id.
    func openUpload(_ id: String, uploadID: String, account: String) throws -> AionvisionMedia {
        guard let media = media(id, account: account) else { throw AionvisionError(.notFound, "Media \(id) not found.") }
        guard media.uploadID == uploadID else {
            throw AionvisionError(.badRequest, "upload_id \(uploadID) does not belong to media \(id).")
        }
        guard media.status == "uploading" else {
            throw AionvisionError(.conflict, "The upload of media \(id) is \(media.status); it takes no more chunks.")
        }
        return media
    }

    /// A presigned PUT URL for one chunk, and when it expires.
    func presign(media: String, uploadID: String, chunk: Int, origin: String) -> (url: String, expiresAt: Double) {
        let now = Timestamp.now()
        state.issuedURLs += 1
        let expiresAt = now + settings.urlLifetimeSeconds
        // A server whose clock runs ahead: the URL is already expired, though `expires_at` says otherwise.
        let signedExpiry = state.issuedURLs <= settings.expiredURLs ? Int(now) - 1 : Int(expiresAt)
        try? saveMeta()
        let signature = sign(media: media, chunk: chunk, uploadID: uploadID, expires: signedExpiry)
        let url =
            "\(origin)/aionvision-s3/\(media)/\(chunk)?uploadId=\(uploadID)&X-Amz-Expires=\(signedExpiry)&X-Amz-Signature=\(signature)"
        return (url, expiresAt)
    }

    nonisolated func sign(media: String, chunk: Int, uploadID: String, expires: Int, key: String) -> String {
        let message = "PUT\n/aionvision-s3/\(media)/\(chunk)\n\(uploadID)\n\(expires)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return RandomToken.hexString(mac)
    }

    func sign(media: String, chunk: Int, uploadID: String, expires: Int) -> String {
        sign(media: media, chunk: chunk, uploadID: uploadID, expires: expires, key: state.signingKey)
    }

    /// Records a chunk's bytes (already streamed to `temporary`), replacing any earlier copy.
    func receive(media id: String, chunk: Int, temporary: String, etag: String) throws {
        guard var media = state.media[id], media.status == "uploading" else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AionvisionError(.notFound, "NoSuchUpload")
        }
        try AtomicFile.move(temporary, to: chunkPath(id, chunk))
        media.received[chunk] = etag
        media.updatedAt = Timestamp.now()
        state.media[id] = media
        try save(id)
        let line = "\(id) \(chunk) \(etag)\n"
        if let handle = FileHandle(forWritingAtPath: chunkPutLogPath) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: chunkPutLogPath, contents: Data(line.utf8))
        }
    }

    func confirm(media id: String, uploadID: String, account: String, chunk: Int, etag: String, size: Int64) throws
        -> AionvisionMedia
    {
        var media = try openUpload(id, uploadID: uploadID, account: account)
        guard (1...media.totalChunks).contains(chunk) else {
            throw AionvisionError(.badRequest, "chunk_number \(chunk) is outside 1...\(media.totalChunks).")
        }
        guard let received = media.received[chunk] else {
            throw AionvisionError(.badRequest, "Chunk \(chunk) of media \(id) has not been uploaded.")
        }
        guard Self.unquoted(received) == Self.unquoted(etag) else {
            throw AionvisionError(
                .badRequest, "The ETag \(etag) does not match the uploaded chunk \(chunk) (\(received)).")
        }
        guard size == media.chunkLength(chunk) else {
            throw AionvisionError(
                .badRequest, "size_bytes \(size) does not match chunk \(chunk), which is \(media.chunkLength(chunk)) bytes.")
        }
        media.confirmed[chunk] = received
        media.updatedAt = Timestamp.now()
        state.media[id] = media
        try save(id)
        return media
    }

    /// Assembles the confirmed chunks by number into the media's bytes.
    func complete(media id: String, uploadID: String, account: String) throws -> AionvisionMedia {
        var media = try openUpload(id, uploadID: uploadID, account: account)
        let missing = (1...max(1, media.totalChunks)).filter { media.confirmed[$0] == nil }
        guard missing.isEmpty else {
            let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
            throw AionvisionError(
                .badRequest,
                "\(missing.count) chunk(s) of media \(id) are not confirmed: \(shown)\(missing.count > 10 ? ", …" : "").")
        }
        let temporary = temporaryPath()
        _ = FileManager.default.createFile(atPath: temporary, contents: nil)
        guard let out = FileHandle(forWritingAtPath: temporary) else { throw SandboxError.io("could not open \(temporary)") }
        do {
            for number in 1...media.totalChunks {
                guard let input = FileHandle(forReadingAtPath: chunkPath(id, number)) else {
                    throw SandboxError.io("chunk \(number) of media \(id) is missing on disk")
                }
                while let data = try input.read(upToCount: 1 << 20), !data.isEmpty { out.write(data) }
                try input.close()
            }
            try out.close()
        } catch {
            try? out.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try AtomicFile.move(temporary, to: mediaPath(id))
        try? FileManager.default.removeItem(atPath: "\(root)/chunks/\(id)")
        media.status = "completed"
        media.updatedAt = Timestamp.now()
        state.media[id] = media
        try save(id)
        return media
    }

    func abort(media id: String, uploadID: String, account: String) throws {
        _ = try openUpload(id, uploadID: uploadID, account: account)
        remove(id)
        try save(id)
    }

    // MARK: Files

    func list(account: String) throws -> [AionvisionMedia] {
        try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT record FROM media WHERE account = ? ORDER BY created_at, id", arguments: [account]
            ).map { try JSONDecoder().decode(AionvisionMedia.self, from: Data($0.utf8)) }
        }
    }

    func delete(_ id: String, account: String) throws -> Bool {
        guard media(id, account: account) != nil else { return false }
        remove(id)
        try save(id)
        return true
    }

    private func remove(_ id: String) {
        state.media[id] = nil
        try? FileManager.default.removeItem(atPath: "\(root)/chunks/\(id)")
        try? FileManager.default.removeItem(atPath: mediaPath(id))
    }

    static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased()
    }
}

/// How the Aionvision emulator behaves (see `SandboxConfiguration.aionvision`).
public struct AionvisionSettings: Sendable, Hashable {
    /// The chunk size the server lays uploads out in (Aionvision: 10 MB; lower in tests).
    public var chunkSize: Int64
    /// How long a presigned URL stays valid.
    public var urlLifetimeSeconds: Double
    /// The first N presigned URLs issued are already expired when issued (their `expires_at` says
    /// otherwise, as a server whose clock runs ahead would), to exercise renewal through `chunks/retry`.
    public var expiredURLs: Int
    /// `concurrent_upload_limit` in the initiate answer (the videos reference's example: 5).
    public var concurrentUploadLimit: Int

    public init(
        chunkSize: Int64 = 10_485_760, urlLifetimeSeconds: Double = 900, expiredURLs: Int = 0, concurrentUploadLimit: Int = 5
    ) {
        self.chunkSize = chunkSize
        self.urlLifetimeSeconds = urlLifetimeSeconds
        self.expiredURLs = expiredURLs
        self.concurrentUploadLimit = concurrentUploadLimit
    }
}

/// An Aionvision API error: `{"detail": "…"}` with a status, as the vendor's FastAPI-style service answers.
struct AionvisionError: Error {
    enum Status: Int {
        case badRequest = 400
        case unauthorized = 401
        case notFound = 404
        case conflict = 409
        case payloadTooLarge = 413
        case unprocessable = 422
    }
    let status: Status
    let detail: String

    init(_ status: Status, _ detail: String) {
        self.status = status
        self.detail = detail
    }
}

/// The Aionvision store of one sandbox, opened on first use: nearly every sandbox serves only AIOZ's
/// API, and each open store holds three descriptors (the database, its WAL and shared memory), which
/// the test suite's hundreds of sandboxes used to hold for nothing.
final class LazyAionvisionStore: Sendable {
    let root: String
    private let settings: AionvisionSettings
    private let opened = Mutex<AionvisionStore?>(nil)

    init(root: String, settings: AionvisionSettings) {
        self.root = root
        self.settings = settings
    }

    func open() throws -> AionvisionStore {
        try opened.withLock { store in
            if let store { return store }
            let made = try AionvisionStore(root: root, settings: settings)
            store = made
            return made
        }
    }
}
