import Foundation
import GRDB
import Hummingbird
import NIOCore

/// Files the API's answers link to, public as players fetch them (without keys): a caption's or
/// chapter list's `url` (its WebVTT file), a playlist's `thumbnail_url`, a player theme's logo, a
/// streaming's `assets.thumbnail_url` (its key's thumbnail: the API gives no URL of the key's own).
struct AssetFileRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>) {
        for plural in ["captions", "chapters"] {
            router.get("api/videos/:id/\(plural)/:lan") { _, context in
                let id = try requireID(context, what: "video")
                let file = context.parameters.get("lan") ?? ""
                guard file.hasSuffix(".vtt"),
                    let content = await env.store.anyTextTrackFile(
                        videoID: id, kind: String(plural.dropLast()), language: String(file.dropLast(4)))
                else { throw APIError.notFound("\(plural.dropLast().capitalized) not found.") }
                return Response(
                    status: .ok, headers: [.contentType: "text/vtt; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: content)))
            }
        }
        router.get("api/playlists/:id/thumbnail") { _, context in
            let id = try requireID(context, what: "playlist")
            return try Self.image(at: env.files.thumbnailPath(playlist: id), what: "Thumbnail")
        }
        router.get("api/_sandbox/live/:id/thumbnail") { _, context in
            let id = try requireID(context, what: "streaming")
            guard let keyID = await env.store.anyStreamingKeyID(id) else { throw APIError.notFound("Streaming not found.") }
            return try Self.image(at: env.files.thumbnailPath(liveStreamKey: keyID), what: "Thumbnail")
        }
        router.get("api/players/:id/:file") { _, context in
            let id = try requireID(context, what: "player")
            guard (context.parameters.get("file") ?? "").hasPrefix("logo.") else { throw APIError.notFound("Not found.") }
            return try Self.image(at: env.files.thumbnailPath(video: "logo-\(id)"), what: "Logo")
        }
    }

    /// The image stored at `path` (PNG or JPEG, told by its first bytes); 404 when there is none.
    static func image(at path: String, what: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { throw APIError.notFound("\(what) not found.") }
        let type = data.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg"
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension SandboxStore {
    /// A text track's WebVTT bytes by video id, whatever the account (the file is public).
    func anyTextTrackFile(videoID: String, kind: String, language: String) -> Data? {
        guard anyVideo(videoID) != nil else { return nil }
        return try? database.read { db in
            try Data.fetchOne(
                db, sql: "SELECT content FROM text_tracks WHERE video_id = ? AND kind = ? AND language = ?",
                arguments: [videoID, kind, language])
        }
    }

    /// The key a streaming is under, whatever the account (its thumbnail URL is public).
    func anyStreamingKeyID(_ id: String) -> String? {
        try? database.read { db in try String.fetchOne(db, sql: "SELECT key_id FROM streamings WHERE id = ?", arguments: [id]) }
    }

    /// The account and key of a streaming, whatever the account (a live player's info is public);
    /// nil when no served account has it.
    func streamingOwner(_ id: String) -> (account: String, keyID: String)? {
        let row = try? database.read { db in
            try Row.fetchOne(db, sql: "SELECT account, key_id FROM streamings WHERE id = ?", arguments: [id])
        }
        guard let row, let account: String = row["account"], accounts[account] != nil else { return nil }
        return (account, row["key_id"])
    }

    /// The account a live stream key belongs to, whatever it is; nil when no served account has it.
    func keyAccount(_ id: String) -> String? {
        let account = try? database.read { db in
            try String.fetchOne(db, sql: "SELECT account FROM live_stream_keys WHERE id = ?", arguments: [id])
        }
        guard let account, accounts[account] != nil else { return nil }
        return account
    }

    /// The account a video belongs to, whatever it is (its player.json is public); nil when no served account has it.
    nonisolated func videoAccount(_ id: String) -> String? {
        let account = try? database.read { db in
            try String.fetchOne(db, sql: "SELECT account FROM videos WHERE id = ?", arguments: [id])
        }
        guard let account, accounts[account] != nil else { return nil }
        return account
    }

    /// The account a playlist belongs to, whatever it is (its player.json is public).
    func playlistAccount(_ id: String) -> String? {
        try? database.read { db in try String.fetchOne(db, sql: "SELECT account FROM playlists WHERE id = ?", arguments: [id]) }
    }
}
