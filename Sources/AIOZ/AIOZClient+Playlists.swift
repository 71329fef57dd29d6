import Foundation
import NIOCore
import NIOHTTP1

struct EmptyBody: Encodable, Sendable {}

/// Playlists (`/playlists`, the same paths under both generations).
extension AIOZClient {
    static func playlistResource(_ id: String) -> String { "playlist \(id)" }

    /// One page of playlists matching `query`'s metadata (a POST that changes nothing, so retried).
    public func listPlaylists(_ query: PlaylistListQuery) async throws -> PlaylistPage {
        try await requestData(.POST, "/playlists", json: query, as: PlaylistPage.self, context: RequestContext("list playlists"))
    }

    public func allPlaylists(_ query: PlaylistListQuery) async throws -> [Playlist] {
        try await Self.collectPages(id: \.id) { offset, limit in
            var page = query
            page.offset = offset
            page.limit = limit
            let result = try await listPlaylists(page)
            return (result.playlists, result.total)
        }
    }

    public func getPlaylist(id: String) async throws -> Playlist {
        try await requestData(
            .GET, "/playlists/\(Self.segment(id))", as: PlaylistData.self,
            context: RequestContext("get", Self.playlistResource(id))
        ).playlist
    }

    /// Never retried once it may have reached the server: the caller looks for it by its marks.
    public func createPlaylist(name: String, tags: [String], metadata: [MetadataPair], type: String?) async throws -> Playlist {
        try await requestData(
            .POST, "/playlists/create",
            json: PlaylistCreateRequest(
                name: name, tags: tags, metadata: metadata, playlistType: configuration.generation == .media ? type : nil),
            as: PlaylistData.self, context: RequestContext("create playlist \"\(name)\"", idempotent: false)
        ).playlist
    }

    /// `PATCH /playlists/{id}` is a multipart form: `file` (the thumbnail), `name`, and the lists as
    /// repeated fields: `tags` one per tag (one empty field for none), `metadata` one JSON object
    /// `{"key", "value"}` per pair (the documents name the fields, not how a list goes in a form).
    public func updatePlaylist(
        id: String, name: String?, tags: [String]?, metadata: [MetadataPair]?, thumbnailFile: String?
    ) async throws {
        let context = RequestContext("update", Self.playlistResource(id))
        let boundary = MultipartFraming.boundary()
        var body = ByteBuffer()
        if let thumbnailFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: thumbnailFile))
            } catch {
                throw context.error(.invalidFile, detail: "cannot read \(thumbnailFile): \(error.localizedDescription)")
            }
            guard let image = ImageKind(signature: Array(data.prefix(8))) else {
                throw context.error(.invalidFile, detail: "\(thumbnailFile) is neither a PNG nor a JPEG image")
            }
            var head = MultipartFraming.fileHead(
                boundary: boundary, filename: "thumbnail.\(image.fileExtension)", contentType: image.mimeType)
            body.writeBuffer(&head)
            body.writeBytes(data)
            body.writeString("\r\n")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var fields: [(String, String)] = []
        if let name { fields.append(("name", name)) }
        if let tags { fields += tags.isEmpty ? [("tags", "")] : tags.map { ("tags", $0) } }
        if let metadata {
            for pair in metadata { fields.append(("metadata", String(decoding: try encoder.encode(pair), as: UTF8.self))) }
        }
        for (field, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
        let bytes = body
        _ = try await withRetries(context) {
            try await sendOnce(
                .PATCH, path: "/playlists/\(Self.segment(id))", headers: headers, body: .bytes(bytes),
                timeout: configuration.requestTimeout, context: context)
        }
    }

    public func deletePlaylist(id: String) async throws {
        try await requestMessage(
            .DELETE, "/playlists/\(Self.segment(id))", context: RequestContext("delete", Self.playlistResource(id)))
    }

    public func deletePlaylistThumbnail(id: String) async throws {
        try await requestMessage(
            .DELETE, "/playlists/\(Self.segment(id))/thumbnail",
            context: RequestContext("delete thumbnail", Self.playlistResource(id)))
    }

    /// Appends a video. Not retried once it may have reached the server (a second add would add it twice).
    public func addPlaylistItem(playlistID: String, videoID: String) async throws {
        try await requestMessage(
            .POST, "/playlists/\(Self.segment(playlistID))/items",
            json: PlaylistAddRequest(videoID: videoID, generation: configuration.generation.rawValue),
            context: RequestContext("add video \(videoID)", Self.playlistResource(playlistID), idempotent: false))
    }

    /// Moves an item between two others (a move to the same place again changes nothing: retried).
    public func movePlaylistItem(playlistID: String, itemID: String, previousID: String?, nextID: String?) async throws {
        try await requestMessage(
            .PUT, "/playlists/\(Self.segment(playlistID))/items",
            json: PlaylistMoveRequest(currentID: itemID, previousID: previousID, nextID: nextID),
            context: RequestContext("move item \(itemID)", Self.playlistResource(playlistID)))
    }

    /// The 2026 document requires a body (`{option_playlists}`, for removing from several
    /// playlists at once): an empty object is sent.
    public func removePlaylistItem(playlistID: String, itemID: String) async throws {
        try await requestMessage(
            .DELETE, "/playlists/\(Self.segment(playlistID))/items/\(Self.segment(itemID))", json: EmptyBody(),
            context: RequestContext("remove item \(itemID)", Self.playlistResource(playlistID)))
    }
}
