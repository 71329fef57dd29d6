import Foundation

/// What the account page shows, as plain strings for the template (which escapes every one of them).
/// Never a secret key, nor a whole stream key.
struct AccountPageModel {
    struct Link {
        let name: String
        let url: String
    }

    struct Pair {
        let key: String
        let value: String
    }

    struct VideoItem {
        let id: String
        let title: String
        let description: String?
        let status: String
        let type: String
        let isPublic: Bool
        let duration: String?
        let size: String?
        let qualities: String
        let tags: [String]
        let hasTags: Bool
        let metadata: [Pair]
        let hasMetadata: Bool
        let metadataCount: Int
        let recordingOf: String?
        let thumbnailURL: String?
        let sourceURL: String?
        let links: [Link]
        let created: String
        let updated: String
    }

    struct StreamingItem {
        let title: String
        let status: String
        let qualities: String
        let save: Bool
        let videoID: String?
    }

    struct KeyItem {
        let id: String
        let name: String
        let type: String
        let save: Bool
        let broadcasting: Bool
        let maskedStreamKey: String
        let maskedRTMPURL: String
        let created: String
        let streamings: [StreamingItem]
    }

    let publicKey: String
    let userID: String
    let balance: String
    let videoCount: Int
    let videos: [VideoItem]
    /// streamplan's own bookkeeping on the account (its registry and lease records: private videos that
    /// are never uploaded), shown apart so that the videos' count is the videos a person made.
    let records: [VideoItem]
    let recordCount: Int
    let hasRecords: Bool
    let keyCount: Int
    let keys: [KeyItem]

    init(publicKey: String, snapshot: AccountSnapshot, now: Double, transcodeSeconds: Double) {
        self.publicKey = publicKey
        userID = snapshot.userID
        balance = String(format: "%.6f", snapshot.balance)
        // Uploaded videos first, then those never uploaded (such as streamplan's registry records), each newest first.
        let ordered = snapshot.videos.filter { $0.completedAt != nil } + snapshot.videos.filter { $0.completedAt == nil }
        let isRecord = { (video: StoredVideo) in video.metadata.contains { Self.recordMarkers.contains($0.key) } }
        videos = ordered.filter { !isRecord($0) }.map { Self.item($0, now: now, transcodeSeconds: transcodeSeconds) }
        videoCount = videos.count
        records = ordered.filter(isRecord).map { Self.item($0, now: now, transcodeSeconds: transcodeSeconds) }
        recordCount = records.count
        hasRecords = !records.isEmpty
        keys = snapshot.keys.map { key, streamings in
            KeyItem(
                id: key.id, name: key.name, type: key.mediaType, save: key.save, broadcasting: key.broadcasting,
                maskedStreamKey: Self.mask(key.streamKey),
                maskedRTMPURL: key.rtmpURL.replacingOccurrences(of: key.streamKey, with: Self.mask(key.streamKey)),
                created: Self.date(key.createdAt),
                streamings: streamings.map {
                    StreamingItem(
                        title: $0.title, status: $0.status, qualities: $0.qualities.joined(separator: ", "), save: $0.save,
                        videoID: $0.videoID)
                })
        }
        keyCount = keys.count
    }

    static func item(_ video: StoredVideo, now: Double, transcodeSeconds: Double) -> VideoItem {
        // Links relative to this server, so the page works whatever host name the browser used.
        let view = VideoView(video, now: now, transcodeSeconds: transcodeSeconds, apiBase: "/api")
        let assets = view.assets
        func url(_ name: String) -> String? { assets[name].flatMap { $0.isEmpty ? nil : $0 } }
        let links = [
            ("player", "hls_player_url"), ("mp4", "mp4_url"), ("source", "source_url"), ("hls", "hls_url"),
            ("dash", "dash_url"),
        ].compactMap { name, key in url(key).map { Link(name: name, url: $0) } }
        let sourceReady = video.completedAt != nil && !video.assembling
        return VideoItem(
            id: video.id, title: video.title, description: video.description.isEmpty ? nil : video.description,
            status: view.status, type: video.mediaType,
            isPublic: video.isPublic, duration: video.duration > 0 ? Self.seconds(video.duration) : nil,
            size: video.size > 0 ? Self.bytes(video.size) : nil,
            qualities: video.qualities.map(\.name).joined(separator: ", "), tags: video.tags, hasTags: !video.tags.isEmpty,
            metadata: video.metadata.map { Pair(key: $0.key, value: $0.value) }, hasMetadata: !video.metadata.isEmpty,
            metadataCount: video.metadata.count, recordingOf: video.liveStreamKeyID,
            thumbnailURL: url("thumbnail_url"), sourceURL: sourceReady ? url("source_url") : nil, links: links,
            created: Self.date(video.createdAt), updated: Self.date(video.updatedAt))
    }

    /// The metadata keys that mark streamplan's registry and lease records (see `Registry` and
    /// `AccountLease` in the Apply module).
    static let recordMarkers: Set<String> = ["streamplan.registry", "streamplan.lease"]

    /// `••••••••` and the last four characters: enough to tell keys apart, useless to stream with.
    static func mask(_ secret: String) -> String {
        secret.count <= 8 ? "••••••••" : "••••••••" + secret.suffix(4)
    }

    static func date(_ seconds: Double) -> String {
        let text = Timestamp.format(seconds)  // 2026-11-23T00:10:11.123456Z
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    static func seconds(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }

    static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1 << 20 { return String(format: "%.1f KiB", Double(count) / 1024) }
        if count < 1 << 30 { return String(format: "%.1f MiB", Double(count) / 1_048_576) }
        return String(format: "%.2f GiB", Double(count) / 1_073_741_824)
    }
}
