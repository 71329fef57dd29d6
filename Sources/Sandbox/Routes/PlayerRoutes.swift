import Foundation
import Hummingbird

/// `/players…`: player themes, their logos, and assigning them to videos (the same paths in both API
/// generations; add/remove name the video `video_id` in the 2025 API and `media_id` in the 2026 one).
struct PlayerRoutes {
    let env: SandboxEnvironment

    static let themeKeys = [
        "control_bar_background_color", "control_bar_height", "main_color", "menu_background_color",
        "menu_item_background_hover", "progress_bar_circle_size", "progress_bar_height", "text_color",
        "text_track_background", "text_track_color",
    ]
    static let controlKeys = ["enable_api", "enable_controls", "force_autoplay", "force_loop", "hide_title"]
    /// The controls of a player created without them [inferred: the player shows its controls and allows its API].
    static let defaultControls = [
        "enable_api": true, "enable_controls": true, "force_autoplay": false, "force_loop": false, "hide_title": false,
    ]
    static let maxLogoBytes = 2 << 20

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/players")
        group.post { request, context in
            let account = try context.requireAccount()
            let body = try await RequestDecoding.json(PlayerThemeBody.self, from: request)
            try Self.validate(body, nameRequired: true)
            let player = try await env.store.createPlayer(
                account, name: body.name ?? "", theme: body.theme ?? [:],
                controls: Self.defaultControls.merging(body.controls ?? [:]) { $1 }, isDefault: body.isDefault ?? false)
            // The documents answer a create with 201.
            return try JSONResponse.data(["player_theme": try await view(player, account)], status: .created)
        }
        group.get { request, context in try await list(request, context) }
        // Before `:id`, so that these two are not read as ids.
        group.post("add-player") { request, context in try await assign(request, context, assign: true) }
        group.post("remove-player") { request, context in try await assign(request, context, assign: false) }
        group.get(":id") { _, context in
            let account = try context.requireAccount()
            let player = try env.store.player(account, try requireID(context, what: "player theme"))
            return try JSONResponse.data(["player_theme": try await view(player, account)])
        }
        group.patch(":id") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "player theme")
            let body = try await RequestDecoding.json(PlayerThemeBody.self, from: request)
            try Self.validate(body, nameRequired: false)
            let player = try await env.store.updatePlayer(
                account, id, name: body.name, theme: body.theme, controls: body.controls, isDefault: body.isDefault)
            return try JSONResponse.data(PlayerThemeUpdateView(player: player))
        }
        group.delete(":id") { _, context in
            let id = try requireID(context, what: "player theme")
            try await env.store.deletePlayer(try context.requireAccount(), id)
            try? FileManager.default.removeItem(atPath: logoPath(id))
            return JSONResponse.message("Delete player theme successfully.")
        }
        group.post(":id/logo") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "player theme")
            _ = try env.store.player(account, id)
            let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: Self.maxLogoBytes)
            guard let file = form.file else { throw APIError.badRequest("file is required.") }
            let name = (file.filename ?? "").lowercased()
            guard let ext = ["png", "jpg", "jpeg"].first(where: { name.hasSuffix("." + $0) }) else {
                try? FileManager.default.removeItem(atPath: file.temporaryPath)
                throw APIError.badRequest("The logo must be a .png or .jpg file.")
            }
            guard let link = form.fields["link"], !link.isEmpty else {
                try? FileManager.default.removeItem(atPath: file.temporaryPath)
                throw APIError.badRequest("link is required.")
            }
            try AtomicFile.move(file.temporaryPath, to: logoPath(id))
            let player = try await env.store.setPlayerLogo(account, id, link: link, fileExtension: ext == "jpeg" ? "jpg" : ext)
            return try JSONResponse.data(try await view(player, account))
        }
        group.delete(":id/logo") { _, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "player theme")
            let player = try env.store.player(account, id)
            guard player.logoExtension != nil else { throw APIError.notFound("This player theme has no logo.") }
            _ = try await env.store.setPlayerLogo(account, id, link: "", fileExtension: nil)
            try? FileManager.default.removeItem(atPath: logoPath(id))
            return JSONResponse.message("Delete logo successfully.")
        }
    }

    func logoPath(_ id: String) -> String { env.files.thumbnailPath(video: "logo-\(id)") }

    static func validate(_ body: PlayerThemeBody, nameRequired: Bool) throws {
        if let name = body.name {
            guard Limits.titleLength.contains(name.count) else {
                throw APIError.badRequest("name must be 1 to 255 characters long.")
            }
        } else if nameRequired {
            throw APIError.badRequest("name is required.")
        }
        for (key, value) in body.theme ?? [:] {
            guard themeKeys.contains(key) else { throw APIError.badRequest("theme: unknown field '\(key)'.") }
            guard value.count <= 255 else { throw APIError.badRequest("theme: \(key) is too long.") }
        }
        for key in (body.controls ?? [:]).keys where !controlKeys.contains(key) {
            throw APIError.badRequest("controls: unknown field '\(key)'.")
        }
    }

    func list(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.formQuery
        let paging = try Paging(
            offset: try query.integer("offset"), limit: try query.integer("limit"), orderBy: query["order_by"],
            defaultAscending: true)
        let sortBy = try Paging.filter(query["sort_by"], named: "sort_by") ?? "created_at"
        guard ["created_at", "name"].contains(sortBy) else { throw APIError.badRequest("sort_by must be created_at or name.") }
        let search = query["search"].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let (players, total) = try await env.store.listPlayers(account, search: search, byName: sortBy == "name", paging: paging)
        var views: [PlayerThemeView] = []
        for player in players { views.append(try await view(player, account)) }
        return try JSONResponse.data(PlayerThemePageView(playerThemes: views, total: total))
    }

    func assign(_ request: Request, _ context: SandboxContext, assign: Bool) async throws -> Response {
        let account = try context.requireAccount()
        let body = try await RequestDecoding.json(PlayerAssignmentBody.self, from: request)
        guard let playerID = body.playerThemeID, !playerID.isEmpty else {
            throw APIError.badRequest("player_theme_id is required.")
        }
        guard let videoID = body.videoID ?? body.mediaID, !videoID.isEmpty else {
            throw APIError.badRequest("video_id (media_id) is required.")
        }
        guard UUIDCheck.isUUID(playerID), UUIDCheck.isUUID(videoID) else {
            throw APIError.badRequest("player_theme_id and video_id must be ids.")
        }
        try await env.store.assignPlayer(
            account, videoID: videoID.lowercased(), playerID: playerID.lowercased(), assign: assign)
        return JSONResponse.message(assign ? "Add player theme successfully." : "Remove player theme successfully.")
    }

    func view(_ player: StoredPlayer, _ account: String) async throws -> PlayerThemeView {
        let image = player.logoExtension.map { "\(env.apiBase())/players/\(player.id)/logo.\($0)" } ?? ""
        return PlayerThemeView(player: player, userID: try env.store.userID(account), logoImageLink: image)
    }
}

struct PlayerThemeBody: Decodable {
    var name: String?
    var theme: [String: String]?
    var controls: [String: Bool]?
    var isDefault: Bool?

    enum CodingKeys: String, CodingKey {
        case name, theme, controls
        case isDefault = "is_default"
    }
}

struct PlayerAssignmentBody: Decodable {
    var playerThemeID: String?
    var videoID: String?
    var mediaID: String?

    enum CodingKeys: String, CodingKey {
        case playerThemeID = "player_theme_id"
        case videoID = "video_id"
        case mediaID = "media_id"
    }
}

/// `PlayerTheme`: every theme field (empty when never set), every control, the asset links.
struct PlayerThemeView: Encodable {
    let player: StoredPlayer
    let userID: String
    let logoImageLink: String

    enum CodingKeys: String, CodingKey {
        case id, name, theme, controls, asset
        case userID = "user_id"
        case isDefault = "is_default"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(player.id, forKey: .id)
        try c.encode(userID, forKey: .userID)
        try c.encode(player.name, forKey: .name)
        try c.encode(PlayerThemeView.theme(player), forKey: .theme)
        try c.encode(PlayerThemeView.controls(player), forKey: .controls)
        try c.encode(["logo_link": player.logoLink, "logo_image_link": logoImageLink], forKey: .asset)
        try c.encode(player.isDefault, forKey: .isDefault)
        try c.encode(Timestamp.format(player.createdAt), forKey: .createdAt)
    }

    static func theme(_ player: StoredPlayer) -> [String: String] {
        Dictionary(uniqueKeysWithValues: PlayerRoutes.themeKeys.map { ($0, player.theme[$0] ?? "") })
    }

    static func controls(_ player: StoredPlayer) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: PlayerRoutes.controlKeys.map { ($0, player.controls[$0] ?? false) })
    }
}

/// The answer to `PATCH /players/{id}`: the updatable fields (`UpdatePlayerThemeRequest`).
struct PlayerThemeUpdateView: Encodable {
    let player: StoredPlayer

    enum CodingKeys: String, CodingKey {
        case name, theme, controls
        case isDefault = "is_default"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(player.name, forKey: .name)
        try c.encode(PlayerThemeView.theme(player), forKey: .theme)
        try c.encode(PlayerThemeView.controls(player), forKey: .controls)
        try c.encode(player.isDefault, forKey: .isDefault)
    }
}

struct PlayerThemePageView: Encodable {
    let playerThemes: [PlayerThemeView]
    let total: Int

    enum CodingKeys: String, CodingKey {
        case playerThemes = "player_themes"
        case total
    }
}
