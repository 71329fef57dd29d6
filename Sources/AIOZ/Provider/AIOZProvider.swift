import Foundation
public import Manifest
public import Providers

/// AIOZ Stream behind the provider protocol: every AIOZ wire type, status word, metadata and
/// quality encoding stays in this module.
public struct AIOZProvider: Provider {
    public let client: AIOZClient
    /// The smallest part size allowed (lowered only against a local sandbox, in tests).
    public let minimumPartSize: Int64

    public init(client: AIOZClient, minimumPartSize: Int64 = PartPlan.minimumPartSize) {
        self.client = client
        self.minimumPartSize = minimumPartSize
    }

    public var serviceName: String { "AIOZ Stream" }

    /// Audio media are the 2026 API's (`type` of `POST /media/create`); the 2025 `/videos` API has none.
    public var audioMediaUnsupported: String? {
        client.configuration.generation == .media
            ? nil : "the 2025 /videos API (--api videos) has no audio media (`type`); run with --api media"
    }

    // MARK: Videos

    public func videos(markedWith marks: [MetadataEntry]) async throws -> [RemoteVideo] {
        var query = VideoListQuery()
        query.limit = 100
        query.metadata = marks
        var listed = try await client.allVideos(query)
        if client.configuration.generation == .media {
            // The 2026 list takes a `type` filter whose default the documents do not give (the key's
            // recordings list defaults to video): the audio media are asked for by name too, so that a
            // server listing videos only by default cannot hide them (then created again each apply).
            query.type = "audio"
            let known = Set(listed.map(\.id))
            listed += try await client.allVideos(query).filter { !known.contains($0.id) }
        }
        // The filter is the server's; check the marks again so a lax server can never widen the set.
        return listed.filter { video in
            marks.allSatisfy { mark in video.metadata.contains { $0.key == mark.key && $0.value == mark.value } }
        }.map(Self.remote)
    }

    public func video(id: String) async throws -> RemoteVideo? {
        do {
            return Self.remote(try await client.getVideo(id: id))
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }

    public func createVideo(_ video: NewVideo) async throws -> String {
        var request = VideoCreateRequest(
            title: video.title, description: video.description, isPublic: video.isPublic,
            tags: video.tags.isEmpty ? nil : video.tags, metadata: video.metadata,
            qualities: video.qualities?.map(Self.qualityRequest))
        if video.mediaType == .audio {
            guard client.configuration.generation == .media else {
                throw UnsupportedByProvider(
                    service: serviceName,
                    what: "an audio media (`type: audio`) under --api videos: the 2025 /videos API has no `type`; use --api media"
                )
            }
            request.type = MediaType.audio.rawValue
        }
        request.watermark = video.watermark.map {
            WatermarkRequest(
                id: $0.id, top: $0.top, bottom: $0.bottom, left: $0.left, right: $0.right, width: $0.width, height: $0.height,
                opacity: $0.opacity)
        }
        request.segmentDuration = video.segmentDuration
        return try await client.createVideo(request).id
    }

    public func updateVideo(id: String, _ patch: VideoPatch) async throws {
        try await client.updateVideo(
            id: id,
            VideoUpdateRequest(
                title: patch.title, description: patch.description, isPublic: patch.isPublic, tags: patch.tags,
                metadata: patch.metadata))
    }

    public func deleteVideo(id: String) async throws {
        try await client.deleteVideo(id: id)
    }

    public func startUpload(videoID: String, file: String, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    {
        try await AIOZUploadSession(
            client: client, videoID: videoID, file: file, size: size, partSize: preferredChunkSize,
            minimumPartSize: minimumPartSize)
    }

    public func startUpload(videoID: String, reader: any RangeReader, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    {
        try AIOZUploadSession(
            client: client, videoID: videoID, reader: reader, size: size, partSize: preferredChunkSize,
            minimumPartSize: minimumPartSize)
    }

    public var canUploadFromReader: Bool { true }

    public func setThumbnail(videoID: String, reader: any RangeReader, size: Int64) async throws {
        try await client.uploadThumbnail(videoID: videoID, reader: reader, size: size)
    }

    public func setThumbnail(videoID: String, file: String) async throws {
        try await client.uploadThumbnail(videoID: videoID, file: file)
    }

    public func removeThumbnail(videoID: String) async throws {
        try await client.deleteThumbnail(videoID: videoID)
    }

    /// Downloads the video's `source_url` (with the account's keys when it is on the API's origin).
    public func downloadSource(of video: RemoteVideo, to path: String) async throws {
        guard let url = video.links.source, !url.isEmpty else {
            throw UnsupportedByProvider(
                service: serviceName, what: "downloading the source of video \(video.id): it has no source_url (never uploaded?)")
        }
        try await client.download(url, to: path, context: RequestContext("download the source", "video \(video.id)"))
    }

    public func downloadLink(_ url: String, to path: String) async throws {
        try await client.download(url, to: path, context: RequestContext("download", url))
    }

    // MARK: Conversions

    static func remote(_ video: Video) -> RemoteVideo {
        let assets = video.assets
        var remote = RemoteVideo(
            id: video.id, title: video.title, description: video.description, isPublic: video.isPublic, tags: video.tags,
            metadata: video.metadata, state: state(video.status), updatedAt: video.updatedAt,
            renditions: video.qualities.map { Rendition(name: $0.name, status: $0.status) },
            links: VideoLinks(
                hls: assets?.hlsURL, dash: assets?.dashURL, player: assets?.hlsPlayerURL, mp4: assets?.mp4URL,
                source: assets?.sourceURL, thumbnail: assets?.thumbnailURL, dashPlayer: assets?.dashPlayerURL))
        remote.size = video.size.flatMap { $0 > 0 ? $0 : nil }
        remote.playerID = video.playerThemeID.flatMap { $0.isEmpty ? nil : $0 }
        remote.mediaType = video.type.flatMap { $0.isEmpty ? nil : $0 }
        return remote
    }

    /// AIOZ's video status words in the engine's terms.
    static func state(_ status: VideoStatus) -> VideoState {
        switch status.rawValue {
        case "new": .new
        case "transcoding": .transcoding
        case "done": .done
        case "fail": .failed
        case "deleted": .deleted
        case let other: .other(other)
        }
    }

    /// A manifest quality (every default filled in) as AIOZ's `qualities[]` entry.
    public static func qualityRequest(_ q: QualitySpec) -> QualityRequest {
        QualityRequest(
            resolution: q.resolution, type: q.type, containerType: q.containerType,
            videoConfig: q.video.map { QualityRequest.VideoConfig(codec: $0.codec, bitrate: $0.bitrate, index: $0.index) },
            audioConfig: q.audio.map {
                QualityRequest.AudioConfig(
                    codec: $0.codec, bitrate: $0.bitrate, channels: $0.channels, sampleRate: $0.sampleRate,
                    language: $0.language, index: $0.index)
            })
    }
}

extension AIOZError: ProviderError {
    public var failure: RemoteFailure {
        switch code {
        case .notFound: .notFound
        case .outcomeUnknown: .outcomeUnknown
        default: .other
        }
    }
}

// MARK: Pricing

extension AIOZProvider {
    /// `GET /videos/cost` (or `/media/cost`): AIOZ prices a transcode by its qualities and duration.
    public func transcodeCost(qualities: [String]?, durationSeconds: Double) async throws -> TranscodePrice? {
        let asked = qualities ?? Self.defaultLadder
        // The cost endpoint prices video resolutions only; an audio-only rendition (any other label)
        // is left out and named, never priced by a guess.
        let ladder = asked.filter(Self.pricedResolutions.contains)
        let unpriced = asked.filter { !Self.pricedResolutions.contains($0) }
        guard !ladder.isEmpty else { return TranscodePrice(amount: 0, qualities: [], unpriced: unpriced) }
        let cost = try await client.cost(qualities: ladder, duration: durationSeconds)
        guard let price = cost.priceDecimal else {
            throw AIOZError(
                code: .decoding, operation: "estimate transcoding cost",
                detail: "the price \"\(cost.price)\" is not a number")
        }
        return TranscodePrice(
            amount: price, qualities: ladder, unpriced: unpriced,
            defaultLadderNote: qualities == nil ? Self.defaultLadderNote : nil)
    }

    /// The labels `GET /videos/cost` takes (the 2025 spec's resolutions, 144p to 4320p).
    static let pricedResolutions: Set<String> = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "4320p"]

    /// The ladder AIOZ applies when a create sends no qualities, as far as anything documents it: the
    /// three renditions seed 001's answers show (the sandbox applies the same). The API has no way to
    /// ask, so the plan says that it is an assumption.
    static let defaultLadder = ["360p", "720p", "1080p"]
    static let defaultLadderNote =
        "AIOZ Stream does not document its default ladder; priced as 360p, 720p, 1080p, the renditions its "
        + "documented answers show (the sandbox applies the same)"

    /// `GET /user/me`'s balance; nil when the server has no such endpoint (404) or sends no balance.
    public func balance() async throws -> Decimal? {
        do {
            return try await client.me().user.balanceValue
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }
}
