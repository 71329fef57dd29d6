import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Player themes (`/players`, the same paths in both API generations).
extension AIOZClient {
    static func playerResource(_ id: String) -> String { "player theme \(id)" }

    /// Creates a player theme. Like every create, never retried once it may have reached the server.
    public func createPlayerTheme(_ request: PlayerThemeRequest) async throws -> PlayerTheme {
        try await requestData(
            .POST, "/players", json: request, as: PlayerThemeEnvelope.self,
            context: RequestContext("create player theme \"\(request.name ?? "")\"", idempotent: false)
        ).playerTheme
    }

    public func listPlayerThemes(_ query: PlayerThemeListQuery = PlayerThemeListQuery()) async throws -> PlayerThemePage {
        try await requestData(
            .GET, "/players", query: query.queryItems, as: PlayerThemePage.self, context: RequestContext("list player themes"))
    }

    /// Every player theme matching `search`, 100 at a time until `total` is reached.
    public func allPlayerThemes(search: String? = nil) async throws -> [PlayerTheme] {
        try await Self.collectPages(id: \.id) { offset, limit in
            let page = try await listPlayerThemes(PlayerThemeListQuery(search: search, offset: offset, limit: limit))
            return (page.playerThemes, page.total)
        }
    }

    public func getPlayerTheme(id: String) async throws -> PlayerTheme {
        try await requestData(
            .GET, "/players/\(Self.segment(id))", as: PlayerThemeEnvelope.self,
            context: RequestContext("get", Self.playerResource(id))
        ).playerTheme
    }

    /// Changes the fields `request` gives.
    public func updatePlayerTheme(id: String, _ request: PlayerThemeRequest) async throws {
        try await requestMessage(
            .PATCH, "/players/\(Self.segment(id))", json: request, context: RequestContext("update", Self.playerResource(id)))
    }

    public func deletePlayerTheme(id: String) async throws {
        try await requestMessage(
            .DELETE, "/players/\(Self.segment(id))", context: RequestContext("delete", Self.playerResource(id)))
    }

    /// Uploads a PNG or JPEG logo with the link it opens (`POST /players/{id}/logo`, fields `file` and
    /// `link`). Logos are small: the file is read whole, and the upload (which replaces) is retried.
    public func uploadPlayerLogo(id: String, file path: String, link: String) async throws {
        let context = RequestContext("upload logo", Self.playerResource(id))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AIOZError(code: .invalidFile, operation: "upload logo: \(path) cannot be read")
        }
        guard let image = ImageKind(signature: Array(data.prefix(8))) else {
            throw AIOZError(code: .invalidFile, operation: "upload logo: \(path) is neither a PNG nor a JPEG image")
        }
        try await withRetries(context) {
            let boundary = MultipartFraming.boundary()
            var body = MultipartFraming.fileHead(
                boundary: boundary, filename: "logo.\(image.fileExtension)", contentType: image.mimeType)
            body.writeBytes(data)
            var tail = MultipartFraming.tail(boundary: boundary, fields: [("link", link)])
            body.writeBuffer(&tail)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
            _ = try await sendOnce(
                .POST, path: "/players/\(Self.segment(id))/logo", headers: headers, body: .bytes(body),
                timeout: configuration.uploadTimeout, context: context)
        }
    }

    public func deletePlayerLogo(id: String) async throws {
        try await requestMessage(
            .DELETE, "/players/\(Self.segment(id))/logo", context: RequestContext("delete logo", Self.playerResource(id)))
    }

    /// Gives a video (a media, in the 2026 API) the player theme.
    public func addPlayer(playerThemeID: String, videoID: String) async throws {
        try await requestMessage(
            .POST, "/players/add-player",
            json: PlayerAssignment(playerThemeID: playerThemeID, videoID: videoID, generation: configuration.generation),
            context: RequestContext("add player theme to video \(videoID)", Self.playerResource(playerThemeID)))
    }

    public func removePlayer(playerThemeID: String, videoID: String) async throws {
        try await requestMessage(
            .POST, "/players/remove-player",
            json: PlayerAssignment(playerThemeID: playerThemeID, videoID: videoID, generation: configuration.generation),
            context: RequestContext("remove player theme from video \(videoID)", Self.playerResource(playerThemeID)))
    }
}
