public import Foundation
public import Manifest

/// The only door between streamplan's engine (`Planning`, `Apply`) and a remote video API.
///
/// An adapter (AIOZ Stream's HTTP client is the first) implements it with its own wire types,
/// status words, metadata and quality encodings; everything above this protocol speaks the neutral
/// types of this module. Errors an adapter throws conform to `ProviderError`, so the engine can tell
/// "not found" and "outcome unknown" apart without knowing the API.
///
/// Adding a call for a new kind of object: add it here with neutral types, implement it in each
/// adapter, and emulate it in the sandbox (see docs/design.md, "How to add a kind").
public protocol Provider: Sendable {
    /// The service's name for messages, e.g. "AIOZ Stream".
    var serviceName: String { get }

    // MARK: Videos

    /// Every video carrying all of `marks` (metadata entries), filtered on the server where the API
    /// can and always checked again here, so a lax server can never widen the set.
    func videos(markedWith marks: [MetadataEntry]) async throws -> [RemoteVideo]
    /// One video, or nil when it does not exist.
    func video(id: String) async throws -> RemoteVideo?
    /// Creates a video (nothing uploaded yet) and returns its id. A lost answer throws a
    /// `ProviderError` whose failure is `.outcomeUnknown`: look for the object before creating again.
    func createVideo(_ video: NewVideo) async throws -> String
    func updateVideo(id: String, _ patch: VideoPatch) async throws
    func deleteVideo(id: String) async throws
    /// Opens the upload of a file's bytes into video `videoID`, cut into chunks the provider lays out
    /// (`preferredChunkSize` is a wish: a server may choose its own layout).
    func startUpload(videoID: String, file: String, size: Int64, preferredChunkSize: Int64) async throws -> any UploadSession
    /// Opens the upload of a remote source's bytes (a URL, an S3 object) into video `videoID`: each
    /// chunk streams its range from `reader` (no temporary file). Providers that cannot say so.
    func startUpload(videoID: String, reader: any RangeReader, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    /// Whether `startUpload(videoID:reader:…)` is supported (checked before a video is created for it).
    var canUploadFromReader: Bool { get }
    /// Sets a thumbnail streamed from a remote image (a URL, an S3 object) of `size` bytes.
    func setThumbnail(videoID: String, reader: any RangeReader, size: Int64) async throws
    func setThumbnail(videoID: String, file: String) async throws
    func removeThumbnail(videoID: String) async throws

    // MARK: Live stream keys (no metadata of their own: owned through the registry)

    /// Keys whose name is exactly `name` (never with their secrets).
    func liveKeys(named name: String) async throws -> [RemoteLiveKey]
    /// One key, or nil when it does not exist.
    func liveKey(id: String) async throws -> RemoteLiveKey?
    /// The key's stream key and RTMP URL, for `show --reveal` only; nil when the key does not exist.
    func liveKeySecrets(id: String) async throws -> LiveKeySecrets?
    func createLiveKey(_ key: NewLiveKey) async throws -> String
    func updateLiveKey(id: String, _ key: NewLiveKey) async throws
    func deleteLiveKey(id: String) async throws
    /// Uploads (replaces) the key's thumbnail image. The service returns no URL or hash for it.
    func setLiveKeyThumbnail(keyID: String, file: String) async throws
    /// Removes the key's thumbnail (a `ProviderError` `.notFound` when it has none).
    func removeLiveKeyThumbnail(keyID: String) async throws

    // MARK: Streamings under a key

    /// A key's streamings, oldest first.
    func streamings(keyID: String) async throws -> [RemoteStreaming]
    func createStreaming(keyID: String, _ streaming: NewStreaming) async throws -> String
    /// Changes streaming `id` of the key in place (same id, same URLs): its title and `save`, and its
    /// qualities when `update.qualities` is given (a service may allow that only while it is live).
    func updateStreaming(keyID: String, id: String, _ update: StreamingUpdate) async throws
    func deleteStreaming(keyID: String, id: String) async throws
    /// Recordings a key's streamings saved, newest first.
    func savedRecordings(keyID: String) async throws -> [RemoteRecording]

    // MARK: Restream destinations of a key (identified by their URL; owned through the registry)

    /// The URLs a key restreams to, or nil when the key does not exist. Each URL carries the
    /// destination's stream key: never print one (`RestreamURL.masked`).
    func restreamURLs(keyID: String) async throws -> [String]?
    /// Adds destinations to the key; returns the key's destinations afterwards.
    func addRestreamURLs(keyID: String, _ urls: [String]) async throws -> [String]
    /// Removes every destination of the key (the API removes them all at once).
    func removeAllRestreamURLs(keyID: String) async throws

    // MARK: Captions and chapters under a video (owned through a mark in the video's metadata)

    /// A video's captions or chapters, every page.
    func textTracks(_ kind: TextTrackKind, videoID: String) async throws -> [RemoteTextTrack]
    /// Uploads a WebVTT file as the video's caption (or chapters) in `language`.
    func uploadTextTrack(_ kind: TextTrackKind, videoID: String, language: String, file: String) async throws
    func deleteTextTrack(_ kind: TextTrackKind, videoID: String, language: String) async throws
    /// Makes the caption in `language` the video's default.
    func setDefaultCaption(videoID: String, language: String) async throws
    // MARK: Webhooks (no metadata of their own: owned through the registry; see Webhooks.swift)

    /// One webhook, or nil when it does not exist.
    func webhook(id: String) async throws -> RemoteWebhook?
    /// Webhooks whose name is exactly `name`.
    func webhooks(named name: String) async throws -> [RemoteWebhook]
    func createWebhook(_ webhook: NewWebhook) async throws -> String
    func updateWebhook(id: String, _ patch: WebhookPatch) async throws
    func deleteWebhook(id: String) async throws
    /// Asks the service to send a test event to the webhook's URL.
    func checkWebhook(id: String) async throws
    // MARK: Player themes (no metadata: owned through the registry; Players.swift)

    /// Player themes whose name is exactly `name`.
    func players(named name: String) async throws -> [RemotePlayer]
    /// One player theme, or nil when it does not exist.
    func player(id: String) async throws -> RemotePlayer?
    func createPlayer(_ player: PlayerWrite) async throws -> String
    /// Changes only the fields `player` gives (PATCH).
    func updatePlayer(id: String, _ player: PlayerWrite) async throws
    func deletePlayer(id: String) async throws
    /// Uploads (replaces) the logo image and its link.
    func uploadPlayerLogo(playerID: String, file: String, link: String) async throws
    func deletePlayerLogo(playerID: String) async throws
    /// Gives video `videoID` the player theme (replacing the one it had).
    func addPlayer(playerID: String, videoID: String) async throws
    func removePlayer(playerID: String, videoID: String) async throws
    /// The account's default player theme, whoever made it; nil when it has none. Read only when the
    /// manifests ask for a default (the default implementation lists every player theme).
    func defaultPlayer() async throws -> RemotePlayer?

    // MARK: Pricing (optional: a provider without prices returns nil, and plans say "cost unknown")

    /// What transcoding `durationSeconds` of source into `qualities` (resolution labels such as
    /// "720p", one per rendition; nil: the service's default ladder) costs, in the unit of
    /// `balance()`; nil when the service has no prices.
    func transcodeCost(qualities: [String]?, durationSeconds: Double) async throws -> TranscodePrice?
    /// The account's balance; nil when the service does not tell it.
    func balance() async throws -> Decimal?

    // MARK: Taking an account under management (`streamplan generate`)

    /// Every live stream key on the account (never with their secrets).
    func allLiveKeys() async throws -> [RemoteLiveKey]
    /// Writes the bytes uploaded to `video` to the file at `path`.
    func downloadSource(of video: RemoteVideo, to path: String) async throws
    /// Every player theme on the account.
    func allPlayers() async throws -> [RemotePlayer]
    /// Every webhook on the account (their URLs may carry credentials: never written out as they are).
    func allWebhooks() async throws -> [RemoteWebhook]
    /// Writes the file a link the service returned points at (a caption's or chapter list's `url`, a
    /// logo, a thumbnail) to `path`: what an adoption compares and `generate --download-sources` keeps.
    func downloadLink(_ url: String, to path: String) async throws

    // MARK: Capabilities

    /// Whether the service can hold a video that is never uploaded, which the account lease and the
    /// registry are (AIOZ: yes; a service whose videos exist only through an upload: no).
    var supportsAccountLease: Bool { get }
    /// Whether a video's title, description, visibility, tags and metadata can be changed in place;
    /// when not, plans show such updates as blocked, with the reason.
    var canUpdateVideos: Bool { get }
    /// Why audio media (`type: audio`) cannot be created here, or nil when they can; plans show their
    /// creates as blocked with it.
    var audioMediaUnsupported: String? { get }
}

extension Provider {
    public func startUpload(videoID: String, reader: any RangeReader, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    {
        throw UnsupportedByProvider(service: serviceName, what: "uploads from a URL or S3 source")
    }

    public var canUploadFromReader: Bool { false }

    public func setThumbnail(videoID: String, reader: any RangeReader, size: Int64) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "thumbnails from a URL or S3 object")
    }

    public var supportsAccountLease: Bool { true }
    public var canUpdateVideos: Bool { true }
    public var audioMediaUnsupported: String? { "\(serviceName) has no audio media" }

    public func transcodeCost(qualities: [String]?, durationSeconds: Double) async throws -> TranscodePrice? { nil }
    public func balance() async throws -> Decimal? { nil }

    public func allLiveKeys() async throws -> [RemoteLiveKey] {
        throw UnsupportedByProvider(service: serviceName, what: "listing every live stream key")
    }

    public func downloadSource(of video: RemoteVideo, to path: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "downloading a video's source")
    }

    public func allPlayers() async throws -> [RemotePlayer] {
        throw UnsupportedByProvider(service: serviceName, what: "listing every player theme")
    }

    public func allWebhooks() async throws -> [RemoteWebhook] {
        throw UnsupportedByProvider(service: serviceName, what: "listing every webhook")
    }

    public func downloadLink(_ url: String, to path: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "downloading a file it links to")
    }

    public func restreamURLs(keyID: String) async throws -> [String]? {
        throw UnsupportedByProvider(service: serviceName, what: "restream destinations")
    }

    public func setLiveKeyThumbnail(keyID: String, file: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "live stream key thumbnails")
    }

    public func removeLiveKeyThumbnail(keyID: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "live stream key thumbnails")
    }

    public func addRestreamURLs(keyID: String, _ urls: [String]) async throws -> [String] {
        throw UnsupportedByProvider(service: serviceName, what: "restream destinations")
    }

    public func removeAllRestreamURLs(keyID: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "restream destinations")
    }
}

/// A call the provider cannot make, with a sentence saying so.
public struct UnsupportedByProvider: ProviderError {
    public var service: String
    public var what: String
    public var failure: RemoteFailure { .other }
    public var description: String { "\(service) does not support \(what)" }

    public init(service: String, what: String) {
        self.service = service
        self.what = what
    }
}

/// A price a provider quoted for one transcode.
public struct TranscodePrice: Sendable, Hashable {
    public var amount: Decimal
    /// The resolution labels priced (for the default ladder: the ladder the provider assumed).
    public var qualities: [String]
    /// Renditions asked for but left out of the price (e.g. audio-only ones a price list cannot name).
    public var unpriced: [String]
    /// For the default ladder: where the assumed ladder comes from, in a sentence.
    public var defaultLadderNote: String?

    public init(amount: Decimal, qualities: [String], unpriced: [String] = [], defaultLadderNote: String? = nil) {
        self.amount = amount
        self.qualities = qualities
        self.unpriced = unpriced
        self.defaultLadderNote = defaultLadderNote
    }
}
