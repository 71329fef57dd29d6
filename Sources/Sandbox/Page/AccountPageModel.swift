import Foundation
import Manifest

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
        /// The create's watermark and segment length (a media read does not show them; the page does).
        var watermark: String? = nil
        var segmentDuration: String? = nil
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
        /// The player theme's name (or its id when the account has no such theme).
        let player: String?
        let captions: [TrackItem]
        let chapters: [TrackItem]
        let hasCaptions: Bool
        let hasChapters: Bool
    }

    /// A caption or chapter list in one language; `url` serves its WebVTT.
    struct TrackItem {
        let language: String
        let isDefault: Bool
        let url: String
    }

    struct PlayerItem {
        let id: String
        let name: String
        let isDefault: Bool
        let theme: [Pair]
        let controls: [Pair]
        let logoLink: String?
        let hasLogo: Bool
        /// Titles of the videos that use it.
        let videos: [VideoRef]
        let hasVideos: Bool
        let created: String
    }

    struct VideoRef {
        let id: String
        let title: String
    }

    struct PlaylistEntry {
        let position: Int
        let videoID: String
        let title: String
    }

    struct PlaylistItem {
        let id: String
        let name: String
        let tags: [String]
        let hasTags: Bool
        let metadata: [Pair]
        let hasMetadata: Bool
        let metadataCount: Int
        /// The items in the playlist's order.
        let items: [PlaylistEntry]
        let itemCount: Int
        let created: String
    }

    struct WebhookItem {
        let id: String
        let name: String
        /// Never the URL as stored: credentials (a password, a token in the query or the path) are `***`.
        let maskedURL: String
        let events: String
        let lastTriggered: String?
        let created: String
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
    let playerCount: Int
    let players: [PlayerItem]
    let playlistCount: Int
    let playlists: [PlaylistItem]
    let webhookCount: Int
    let webhooks: [WebhookItem]

    init(publicKey: String, snapshot: AccountSnapshot, now: Double, transcodeSeconds: Double) {
        self.publicKey = publicKey
        userID = snapshot.userID
        balance = String(format: "%.6f", snapshot.balance)
        // Uploaded videos first, then those never uploaded (such as streamplan's registry records), each newest first.
        let ordered = snapshot.videos.filter { $0.completedAt != nil } + snapshot.videos.filter { $0.completedAt == nil }
        let isRecord = { (video: StoredVideo) in video.metadata.contains { Self.recordMarkers.contains($0.key) } }
        let playerNames = Dictionary(snapshot.players.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let item = { (video: StoredVideo) in
            Self.item(
                video, now: now, transcodeSeconds: transcodeSeconds, tracks: snapshot.textTracks[video.id] ?? [],
                playerName: video.playerThemeID.isEmpty ? nil : playerNames[video.playerThemeID] ?? video.playerThemeID)
        }
        videos = ordered.filter { !isRecord($0) }.map(item)
        videoCount = videos.count
        records = ordered.filter(isRecord).map(item)
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
        let titles = Dictionary(snapshot.videos.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        players = snapshot.players.map { player in
            let users = snapshot.videos.filter { $0.playerThemeID == player.id }.map { VideoRef(id: $0.id, title: $0.title) }
            return PlayerItem(
                id: player.id, name: player.name, isDefault: player.isDefault,
                theme: player.theme.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
                    Pair(key: $0.key, value: $0.value)
                },
                controls: player.controls.sorted { $0.key < $1.key }.map { Pair(key: $0.key, value: String($0.value)) },
                logoLink: player.logoLink.isEmpty ? nil : player.logoLink, hasLogo: player.logoExtension != nil,
                videos: users, hasVideos: !users.isEmpty, created: Self.date(player.createdAt))
        }
        playerCount = players.count
        playlists = snapshot.playlists.map { playlist in
            PlaylistItem(
                id: playlist.id, name: playlist.name, tags: playlist.tags, hasTags: !playlist.tags.isEmpty,
                metadata: playlist.metadata.map { Pair(key: $0.key, value: $0.value) }, hasMetadata: !playlist.metadata.isEmpty,
                metadataCount: playlist.metadata.count,
                items: playlist.items.enumerated().map { index, entry in
                    PlaylistEntry(position: index + 1, videoID: entry.videoID, title: titles[entry.videoID] ?? entry.videoID)
                },
                itemCount: playlist.items.count, created: Self.date(playlist.createdAt))
        }
        playlistCount = playlists.count
        webhooks = snapshot.webhooks.map { hook in
            WebhookItem(
                id: hook.id, name: hook.name, maskedURL: WebhookURL.masked(hook.url),
                events: StoredWebhook.eventNames.filter(hook.wants).joined(separator: ", "),
                lastTriggered: hook.lastTriggeredAt.map(Self.date), created: Self.date(hook.createdAt))
        }
        webhookCount = webhooks.count
    }

    static func item(
        _ video: StoredVideo, now: Double, transcodeSeconds: Double, tracks: [StoredTextTrack] = [], playerName: String? = nil
    ) -> VideoItem {
        // Links relative to this server, so the page works whatever host name the browser used.
        let view = VideoView(video, now: now, transcodeSeconds: transcodeSeconds, apiBase: "/api")
        let assets = view.assets
        func url(_ name: String) -> String? { assets[name].flatMap { $0.isEmpty ? nil : $0 } }
        let links = [
            ("player", "hls_player_url"), ("mp4", "mp4_url"), ("source", "source_url"), ("hls", "hls_url"),
            ("dash", "dash_url"),
        ].compactMap { name, key in url(key).map { Link(name: name, url: $0) } }
        let sourceReady = video.completedAt != nil && !video.assembling
        func trackItems(_ kind: String) -> [TrackItem] {
            tracks.filter { $0.kind == kind }.map {
                TrackItem(
                    language: $0.language, isDefault: $0.isDefault, url: "/api/videos/\(video.id)/\(kind)s/\($0.language).vtt")
            }
        }
        var item = VideoItem(
            id: video.id, title: video.title, description: video.description.isEmpty ? nil : video.description,
            status: view.status, type: video.mediaType,
            isPublic: video.isPublic, duration: video.duration > 0 ? Self.seconds(video.duration) : nil,
            size: video.size > 0 ? Self.bytes(video.size) : nil,
            qualities: video.qualities.map(\.name).joined(separator: ", "), tags: video.tags, hasTags: !video.tags.isEmpty,
            metadata: video.metadata.map { Pair(key: $0.key, value: $0.value) }, hasMetadata: !video.metadata.isEmpty,
            metadataCount: video.metadata.count, recordingOf: video.liveStreamKeyID,
            thumbnailURL: url("thumbnail_url"), sourceURL: sourceReady ? url("source_url") : nil, links: links,
            created: Self.date(video.createdAt), updated: Self.date(video.updatedAt), player: playerName,
            captions: trackItems("caption"), chapters: trackItems("chapter"),
            hasCaptions: tracks.contains { $0.kind == "caption" }, hasChapters: tracks.contains { $0.kind == "chapter" })
        item.watermark = video.watermark?.summary
        item.segmentDuration = video.segmentDuration.map { "\($0) s" }
        return item

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
