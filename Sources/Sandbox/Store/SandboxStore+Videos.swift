import Foundation

/// Video operations. Each takes the authenticated account's public key.
extension SandboxStore {
    func createVideo(_ account: String, _ body: CreateVideoBody) throws -> StoredVideo {
        try mutate(account) { state in
            let now = Timestamp.now()
            let video = StoredVideo(
                id: UUID().uuidString.lowercased(), title: body.title ?? "", description: body.description ?? "",
                isPublic: body.isPublic ?? true, tags: body.tags ?? [], metadata: body.metadata ?? [],
                qualities: body.qualities ?? QualityRequest.defaults, playerThemeID: "",
                createdAt: now, updatedAt: now, sequence: state.takeSequence()
            )
            state.videos[video.id] = video
            return video
        }
    }

    func video(_ account: String, _ id: String) throws -> StoredVideo {
        guard let video = try state(account).videos[id] else { throw APIError.notFound("Video not found.") }
        return video
    }

    func videos(_ account: String) throws -> [StoredVideo] {
        Array(try state(account).videos.values)
    }

    func updateVideo(_ account: String, _ id: String, _ body: UpdateVideoBody) throws {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            if let title = body.title { video.title = title }
            if let description = body.description { video.description = description }
            if let isPublic = body.isPublic { video.isPublic = isPublic }
            if let tags = body.tags { video.tags = tags }
            if let metadata = body.metadata { video.metadata = metadata }
            if let player = body.playerID { video.playerThemeID = player }
            video.updatedAt = Timestamp.now()
            state.videos[id] = video
        }
    }

    func deleteVideo(_ account: String, _ id: String) throws {
        try mutate(account) { state in
            guard state.videos.removeValue(forKey: id) != nil else { throw APIError.notFound("Video not found.") }
        }
        files.removeVideo(id)
    }

    /// Records a part whose bytes are already checked and sit at `temporaryFile`; moves them into place.
    func acceptPart(_ account: String, _ id: String, part: StoredPart, total: Int, temporaryFile: String) throws {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            guard video.completedAt == nil, !video.assembling else {
                throw APIError.badRequest("The upload of this video is already complete; parts can no longer be sent.")
            }
            if let known = video.uploadTotal, known != total {
                throw APIError.badRequest("Content-Range total \(total) differs from the total \(known) of earlier parts.")
            }
            try FileManager.default.createDirectory(atPath: files.partsDirectory(video: id), withIntermediateDirectories: true)
            try AtomicFile.move(temporaryFile, to: files.partPath(video: id, index: part.index))
            video.uploadTotal = total
            video.parts[part.index] = part
            video.updatedAt = Timestamp.now()
            state.videos[id] = video
        }
    }

    /// Checks that the parts cover the file and the balance suffices, then marks the video as assembling.
    func beginComplete(_ account: String, _ id: String) throws -> (parts: [StoredPart], total: Int) {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            guard video.completedAt == nil, !video.assembling else {
                throw APIError.badRequest("This video's upload is already complete.")
            }
            guard let total = video.uploadTotal, !video.parts.isEmpty else {
                throw APIError.badRequest("No part has been uploaded for this video.")
            }
            let parts = try PartCoverage.check(Array(video.parts.values), total: total)
            let price = Pricing.price(durationSeconds: Pricing.duration(forSize: total), qualities: video.qualities.map(\.name))
            guard price <= state.balance else {
                throw APIError.badRequest(
                    "Insufficient balance: transcoding costs \(Pricing.format(price)), the balance is \(Pricing.format(state.balance))."
                )
            }
            video.assembling = true
            state.videos[id] = video
            return (parts, total)
        }
    }

    /// Ends `complete`: charges the account and starts transcoding (or clears the flag after a failure).
    func finishComplete(_ account: String, _ id: String, succeeded: Bool) throws {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            video.assembling = false
            if succeeded, let total = video.uploadTotal {
                let now = Timestamp.now()
                video.size = total
                video.duration = Pricing.duration(forSize: total)
                video.completedAt = now
                video.updatedAt = now
                state.balance -= Pricing.price(durationSeconds: video.duration, qualities: video.qualities.map(\.name))
            }
            state.videos[id] = video
        }
    }

    func setThumbnail(_ account: String, _ id: String, fileExtension: String?) throws {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            video.thumbnailExtension = fileExtension
            video.updatedAt = Timestamp.now()
            state.videos[id] = video
        }
    }

    func failVideo(_ account: String, _ id: String) throws {
        try mutate(account) { state in
            guard var video = state.videos[id] else { throw APIError.notFound("Video not found.") }
            video.failed = true
            if video.completedAt == nil { video.completedAt = Timestamp.now() }
            video.updatedAt = Timestamp.now()
            state.videos[id] = video
        }
    }

    func balance(_ account: String) throws -> Double { try state(account).balance }

    func setBalance(_ account: String, _ balance: Double) throws {
        try mutate(account) { $0.balance = balance }
    }

    /// Finds a video by id in any account, for the unauthenticated asset URLs.
    func anyVideo(_ id: String) -> StoredVideo? {
        for state in accounts.values { if let video = state.videos[id] { return video } }
        return nil
    }
}
