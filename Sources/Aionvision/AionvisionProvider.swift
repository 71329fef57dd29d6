import Foundation
public import Manifest
public import Providers

/// Aionvision behind the provider protocol: videos only (no live streams, thumbnails, qualities or
/// descriptions; `validate` refuses those first). Ownership marks travel in the `metadata` object
/// that `initiate` accepts and the file listing returns (docs/design.md, "Aionvision").
public struct AionvisionProvider: Provider {
    public let client: AionvisionClient
    /// Uploads initiated by this process, so the session of a video just created uses the chunk
    /// URLs `initiate` returned instead of asking for them again.
    let initiated = InitiatedUploads()

    public init(client: AionvisionClient) {
        self.client = client
    }

    public var serviceName: String { "Aionvision" }
    public var supportsAccountLease: Bool { false }
    public var canUpdateVideos: Bool { false }

    // MARK: Videos

    public func videos(markedWith marks: [MetadataEntry]) async throws -> [RemoteVideo] {
        // The documents show no metadata filter on the listing: every video is read (paged) and the
        // marks are checked here.
        var found: [RemoteVideo] = []
        var offset = 0
        let limit = 100
        while true {
            let page = try await client.files(offset: offset, limit: limit)
            for file in page.files where file.mediaType == nil || file.mediaType == "video" {
                let video = Self.remote(file)
                if marks.allSatisfy({ mark in video.metadata.contains { $0 == mark } }) { found.append(video) }
            }
            offset += page.files.count
            guard page.hasMore == true, !page.files.isEmpty else { break }
        }
        return found
    }

    public func video(id: String) async throws -> RemoteVideo? {
        do {
            return Self.remote(try await client.file(id: id))
        } catch let error as AionvisionError where error.kind == .notFound {
            return nil
        }
    }

    /// `initiate`: the media exists from here on, with its title, tags and metadata (the marks).
    public func createVideo(_ video: NewVideo) async throws -> String {
        guard let source = video.source else {
            throw Self.unsupported(
                "create a video without uploading it",
                "an Aionvision video exists only through the upload of its file (initiate needs its size)")
        }
        if video.qualities != nil { throw Self.unsupported("choose qualities", "Aionvision chooses its own renditions") }
        if video.mediaType == .audio { throw Self.unsupported("create an audio media", "Aionvision uploads videos only") }
        if video.watermark != nil { throw Self.unsupported("set a watermark", "Aionvision's upload has no watermark") }
        if video.segmentDuration != nil {
            throw Self.unsupported("set segment_duration", "Aionvision chooses its own segments")
        }
        if let description = video.description, !description.isEmpty {
            throw Self.unsupported("set a description", "Aionvision's upload takes a title, tags and metadata only")
        }
        let answer = try await client.initiate(
            InitiateRequest(
                filename: (source.path as NSString).lastPathComponent, contentType: source.format.mimeType,
                sizeBytes: source.size, title: video.title, tags: video.tags.isEmpty ? nil : video.tags,
                metadata: Dictionary(video.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })))
        await initiated.keep(answer, size: source.size)
        return answer.mediaID
    }

    /// Aionvision's documents describe no call that changes a video after its upload. A patch that
    /// asks for what the video already has (as every resume does for the marks) is a no-op; any real
    /// change is refused with the fields named.
    public func updateVideo(id: String, _ patch: VideoPatch) async throws {
        guard let current = try await video(id: id) else {
            throw AionvisionError(.notFound, operation: "update media \(id)", detail: "it does not exist")
        }
        var changed: [String] = []
        if let title = patch.title, title != current.title { changed.append("title") }
        if let tags = patch.tags, Set(tags) != Set(current.tags) { changed.append("tags") }
        if let metadata = patch.metadata, Set(metadata) != Set(current.metadata) { changed.append("metadata") }
        if let description = patch.description, description != current.description { changed.append("description") }
        if let isPublic = patch.isPublic, isPublic != current.isPublic { changed.append("is_public") }
        guard changed.isEmpty else {
            throw Self.unsupported(
                "change \(changed.joined(separator: ", ")) of media \(id)",
                "Aionvision sets a video's title, tags and metadata when its upload starts and offers no call to change them; change the source to have it replaced"
            )
        }
    }

    /// An upload still open is aborted (S3's parts and the chunk records go with it); a finished
    /// video is deleted from the files.
    public func deleteVideo(id: String) async throws {
        if let progress = try? await client.progress(media: id), progress.status == "uploading", let upload = progress.uploadID {
            try await client.abort(media: id, upload: upload)
            return
        }
        try await client.deleteFile(id: id)
    }

    public func startUpload(videoID: String, file: String, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    {
        if let answer = await initiated.take(videoID), answer.size == size {
            return try AionvisionUploadSession(client: client, file: file, size: size, initiated: answer.answer)
        }
        // A resume: the server knows the upload id and the layout; URLs are renewed chunk by chunk.
        let progress = try await client.progress(media: videoID)
        return try AionvisionUploadSession(client: client, mediaID: videoID, file: file, size: size, progress: progress)
    }

    public func setThumbnail(videoID: String, file: String) async throws {
        throw Self.unsupported("set a thumbnail", "Aionvision has no thumbnail upload")
    }

    public func removeThumbnail(videoID: String) async throws {
        throw Self.unsupported("remove a thumbnail", "Aionvision has no thumbnail upload")
    }

    // MARK: Live streams: none

    public func liveKeys(named name: String) async throws -> [RemoteLiveKey] { throw Self.noLive }
    public func liveKey(id: String) async throws -> RemoteLiveKey? { throw Self.noLive }
    public func liveKeySecrets(id: String) async throws -> LiveKeySecrets? { throw Self.noLive }
    public func createLiveKey(_ key: NewLiveKey) async throws -> String { throw Self.noLive }
    public func updateLiveKey(id: String, _ key: NewLiveKey) async throws { throw Self.noLive }
    public func deleteLiveKey(id: String) async throws { throw Self.noLive }
    public func streamings(keyID: String) async throws -> [RemoteStreaming] { throw Self.noLive }
    public func createStreaming(keyID: String, _ streaming: NewStreaming) async throws -> String { throw Self.noLive }
    public func updateStreaming(keyID: String, id: String, _ update: StreamingUpdate) async throws { throw Self.noLive }
    public func deleteStreaming(keyID: String, id: String) async throws { throw Self.noLive }
    public func savedRecordings(keyID: String) async throws -> [RemoteRecording] { throw Self.noLive }

    static let noLive = unsupported("manage live streams", "live streams are not supported by Aionvision")

    static func unsupported(_ what: String, _ why: String) -> AionvisionError {
        AionvisionError(.unsupported, operation: what, detail: "not supported: \(why)")
    }

    // MARK: Conversions

    static func remote(_ file: FileEntry) -> RemoteVideo {
        RemoteVideo(
            id: file.id, title: file.title ?? file.filename ?? "", description: "", isPublic: true, tags: file.tags ?? [],
            metadata: (file.metadata ?? [:]).map { MetadataEntry(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key },
            state: state(file.uploadStatus), updatedAt: file.updatedAt)
    }

    /// Aionvision's upload status in the engine's words.
    static func state(_ status: String?) -> VideoState {
        switch status {
        case "uploading"?, "pending"?, "initiated"?: .new
        case "processing"?: .transcoding
        case "completed"?, "complete"?, "ready"?, nil: .done
        case "failed"?: .failed
        case let other?: .other(other)
        }
    }
}

/// Initiate answers not yet turned into sessions, by media id.
actor InitiatedUploads {
    struct Entry {
        let answer: InitiateAnswer
        let size: Int64
    }
    private var entries: [String: Entry] = [:]

    func keep(_ answer: InitiateAnswer, size: Int64) {
        entries[answer.mediaID] = Entry(answer: answer, size: size)
    }

    func take(_ media: String) -> Entry? {
        entries.removeValue(forKey: media)
    }
}
