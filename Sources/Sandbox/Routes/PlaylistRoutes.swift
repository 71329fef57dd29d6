import Foundation
import Hummingbird

/// `/playlists…`: the same paths under both generations. Answers carry both generations' names for
/// the items (`items` with `media`, 2026; `video_items` with `video`, 2025), as the key listings
/// carry `videos` and `media`: the 2026 document is the one the contract checker holds them to.
struct PlaylistRoutes {
    let env: SandboxEnvironment

    struct ListBody: Decodable {
        var metadata: [StoredPair]?
        var tags: [String]?
        var search: String?
        var offset: Int?
        var limit: Int?
        var sortBy: String?
        var orderBy: String?
        var playlistType: String?

        enum CodingKeys: String, CodingKey {
            case metadata, tags, search, offset, limit
            case sortBy = "sort_by"
            case orderBy = "order_by"
            case playlistType = "playlist_type"
        }
    }

    struct CreateBody: Decodable {
        var name: String?
        var tags: [String]?
        var metadata: [StoredPair]?
        var playlistType: String?

        enum CodingKeys: String, CodingKey {
            case name, tags, metadata
            case playlistType = "playlist_type"
        }
    }

    struct AddBody: Decodable {
        var videoID: String?
        var mediaID: String?

        enum CodingKeys: String, CodingKey {
            case videoID = "video_id"
            case mediaID = "media_id"
        }
    }

    struct MoveBody: Decodable {
        var currentID: String?
        var previousID: String?
        var nextID: String?

        enum CodingKeys: String, CodingKey {
            case currentID = "current_id"
            case previousID = "previous_id"
            case nextID = "next_id"
        }
    }

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/playlists")
        group.post { request, context in
            let account = try context.requireAccount()
            let body = try await RequestDecoding.json(ListBody.self, from: request, allowEmpty: true)
            let paging = try Paging(offset: body.offset, limit: body.limit, orderBy: body.orderBy, defaultAscending: true)
            var (playlists, total) = try await env.store.listPlaylists(
                account, metadata: body.metadata ?? [], tags: body.tags ?? [], search: body.search, paging: paging)
            if let type = body.playlistType, !type.isEmpty {
                playlists = playlists.filter { $0.type == type }
                total = playlists.count
            }
            var views: [PlaylistView] = []
            for playlist in playlists { views.append(try await view(playlist, account)) }
            return try JSONResponse.data(PlaylistPageView(playlists: views, total: total))
        }
        group.post("create") { request, context in
            let account = try context.requireAccount()
            let body = try await RequestDecoding.json(CreateBody.self, from: request)
            let name = body.name ?? ""
            guard (1...255).contains(name.count) else { throw APIError.badRequest("name must be 1 to 255 characters.") }
            try Self.validate(tags: body.tags, metadata: body.metadata)
            let playlist = try await env.store.createPlaylist(
                account, name: name, tags: body.tags ?? [], metadata: body.metadata ?? [], type: body.playlistType ?? "")
            return try JSONResponse.data(PlaylistData(playlist: try await view(playlist, account)), status: .created)
        }
        group.get(":id") { request, context in
            let account = try context.requireAccount()
            let playlist = try await env.store.playlist(account, try requireID(context, what: "playlist"))
            let query = request.formQuery
            let items = try PlaylistItemQuery(search: query["search"], sortBy: query["sort_by"], orderBy: query["order_by"])
            return try JSONResponse.data(PlaylistData(playlist: try await view(playlist, account, items: items)))
        }
        group.get(":id/player.json") { _, context in
            // Public, as players fetch it: without keys, the playlist's own account.
            let id = try requireID(context, what: "playlist")
            var owner = context.account
            if owner == nil { owner = await env.store.playlistAccount(id) }
            guard let account = owner else { throw APIError.notFound("Playlist not found.") }
            let playlist = try await env.store.playlist(account, id)
            // Not in the usual envelope: the documents answer the object itself.
            let body = try JSONEncoder.api.encode(PublicPlaylistView(playlist: try await view(playlist, account)))
            return JSONResponse.make(.ok, body)
        }
        group.patch(":id") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "playlist")
            _ = try await env.store.playlist(account, id)
            let form = try await FormReceiver.receive(request, files: env.files, maxFileBytes: UploadRoutes.maxThumbnailBytes)
            var thumbnail: String?
            if let file = form.file {
                let name = (file.filename ?? "").lowercased()
                guard let ext = [".png", ".jpg", ".jpeg"].first(where: name.hasSuffix) else {
                    try? FileManager.default.removeItem(atPath: file.temporaryPath)
                    throw APIError.badRequest("The thumbnail must be a .png or .jpg file.")
                }
                try AtomicFile.move(file.temporaryPath, to: env.files.thumbnailPath(playlist: id))
                thumbnail = String(ext.dropFirst())
            }
            let name = form.fields["name"]
            if let name, !(1...255).contains(name.count) {
                throw APIError.badRequest("name must be 1 to 255 characters.")
            }
            // A list is the field repeated; one empty `tags` field is the empty list.
            let tags = form.allFields["tags"].map { $0 == [""] ? [] : $0 }
            let metadata = try form.allFields["metadata"].map { values in
                try values.map { try Self.decodeField(StoredPair.self, $0, "metadata") }
            }
            try Self.validate(tags: tags, metadata: metadata)
            try await env.store.updatePlaylist(
                account, id, name: name, tags: tags, metadata: metadata, thumbnailExtension: thumbnail)
            return JSONResponse.message("Update playlist successfully.")
        }
        group.delete(":id") { _, context in
            try await env.store.deletePlaylist(try context.requireAccount(), try requireID(context, what: "playlist"))
            return JSONResponse.message("Delete playlist successfully.")
        }
        group.delete(":id/thumbnail") { _, context in
            try await env.store.removePlaylistThumbnail(try context.requireAccount(), try requireID(context, what: "playlist"))
            return JSONResponse.message("Delete playlist thumbnail successfully.")
        }
        group.post(":id/items") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "playlist")
            let body = try await RequestDecoding.json(AddBody.self, from: request)
            guard let video = body.mediaID ?? body.videoID, UUIDCheck.isUUID(video) else {
                throw APIError.badRequest("video_id (or media_id) must be a video id.")
            }
            try await env.store.addPlaylistItem(account, id, videoID: video.lowercased())
            return JSONResponse.message("Add video to playlist successfully.")
        }
        group.put(":id/items") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "playlist")
            let body = try await RequestDecoding.json(MoveBody.self, from: request)
            guard let current = body.currentID, !current.isEmpty else { throw APIError.badRequest("current_id is required.") }
            try await env.store.movePlaylistItem(
                account, id, current: current, previous: body.previousID.flatMap { $0.isEmpty ? nil : $0 },
                next: body.nextID.flatMap { $0.isEmpty ? nil : $0 })
            return JSONResponse.message("Move video in playlist successfully.")
        }
        group.delete(":id/items/:item_id") { _, context in
            try await env.store.removePlaylistItem(
                try context.requireAccount(), try requireID(context, what: "playlist"),
                itemID: try requireID(context, "item_id", what: "playlist item"))
            return JSONResponse.message("Remove video from playlist successfully.")
        }
    }

    static func decodeField<T: Decodable>(_ type: T.Type, _ text: String, _ name: String) throws -> T {
        guard let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw APIError.badRequest("each \(name) field must be a JSON object {\"key\": …, \"value\": …}.")
        }
        return value
    }

    static func validate(tags: [String]?, metadata: [StoredPair]?) throws {
        if let tags {
            guard tags.count <= 50, tags.allSatisfy({ (1...255).contains($0.count) }) else {
                throw APIError.badRequest("tags: at most 50, each 1 to 255 characters.")
            }
        }
        if let metadata {
            guard metadata.count <= 50, metadata.allSatisfy({ (1...255).contains($0.key.count) && $0.value.count <= 255 }) else {
                throw APIError.badRequest("metadata: at most 50 pairs, keys 1 to 255 characters, values at most 255.")
            }
        }
    }
}
