public import YAMLNodes

/// The desired state described by a set of manifest files, validated and with defaults applied.
public struct Manifest: Sendable {
    /// The ownership namespace stamped on every remote object streamplan creates.
    public var project: String
    public var profiles: [ProfileSpec]
    public var videos: [VideoSpec]
    public var liveStreams: [LiveStreamSpec]
    /// Existing objects to take under management (`import:` blocks), each to an address above.
    public var imports: [ImportSpec] = []
    public var playlists: [PlaylistSpec] = []
    /// Player themes (`players:`).
    public var players: [PlayerSpec] = []
    /// The files the manifest was read from, in reading order.
    public var files: [String]
    /// The service the project lives on (`provider:`; AIOZ Stream when no manifest says).
    public var provider: ServiceProvider = .aioz
    /// Webhooks (`webhooks:`), in the order written.
    public var webhooks: [WebhookSpec] = []
    /// `moved:` blocks, validated: each `to` is defined, each `from` is not.
    public var moves: [MoveSpec] = []
    /// `protect:` and `ignore:` of the objects that write them, by address (`video.intro`).
    public var lifecycle: [String: LifecycleSpec] = [:]

    public init(
        project: String, profiles: [ProfileSpec] = [], videos: [VideoSpec] = [],
        liveStreams: [LiveStreamSpec] = [], files: [String] = []
    ) {
        self.project = project
        self.profiles = profiles
        self.videos = videos
        self.liveStreams = liveStreams
        self.files = files
    }
}

/// `import: [{to: video.intro, id: …}]`: adopt the existing object `id` as `to`, as Terraform's
/// import blocks do. The plan shows it as an import (plus any changes); apply writes the marks.
public struct ImportSpec: Sendable, Hashable {
    /// The address in the manifests (`ImportSpec.importableForms`).
    public var to: String
    /// The object's id on the service.
    public var id: String
    public var location: SourceLocation

    public init(to: String, id: String, location: SourceLocation) {
        self.to = to
        self.id = id
        self.location = location
    }
}

extension ImportSpec {
    /// The address forms an `import:` block may name, as sentences write them.
    public static let importableForms =
        "video.NAME, live_stream.NAME, live_stream.KEY.streaming.NAME, player.NAME, playlist.NAME or webhook.NAME"

    /// Whether `to` is an address an import may adopt: a top-level kind above, or a streaming
    /// under a live stream key. (Captions and chapters follow their video: they are never imported alone.)
    public static func isImportable(_ to: String) -> Bool {
        let parts = to.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            return ["video", "live_stream", "player", "playlist", "webhook"].contains(parts[0]) && Names.isValidName(parts[1])
        }
        return parts.count == 4 && parts[0] == "live_stream" && parts[2] == "streaming" && Names.isValidName(parts[1])
            && Names.isValidName(parts[3])
    }

}

/// A named, reusable encoding ladder.
public struct ProfileSpec: Sendable, Hashable {
    public var name: String
    public var qualities: [QualitySpec]
    public var location: SourceLocation
    /// Where each quality is written, in the order of `qualities`.
    public var qualityLocations: [SourceLocation] = []

    public var address: String { "profile.\(name)" }
}

/// A local file named by a manifest (a video source or a thumbnail).
public struct LocalFile: Sendable, Hashable {
    /// The path as written in the manifest.
    public var written: String
    /// The absolute path, symlinks resolved.
    public var path: String
    /// The file's size in bytes when the manifest was read.
    public var size: Int64
    public var format: MediaFormat
    /// Set when the file is a Git LFS pointer: `size` is then the content's, `format` is judged by
    /// the extension, and the content's hash is the pointer's `oid` (docs/manifests.md, "Sources").
    public var lfs: LFSPointer?
    /// Set when the source is a URL or an S3 object: `path` is then the URL as written, `size` is 0
    /// (the plan asks the server), and `format` is judged by the extension.
    public var remote: RemoteSource?

    public init(
        written: String, path: String, size: Int64, format: MediaFormat, lfs: LFSPointer? = nil, remote: RemoteSource? = nil
    ) {
        self.written = written
        self.path = path
        self.size = size
        self.format = format
        self.lfs = lfs
        self.remote = remote
    }
}

/// A video as the manifest wants it.
public struct VideoSpec: Sendable, Hashable {
    public var name: String
    public var title: String
    public var description: String?
    public var source: LocalFile
    public var thumbnail: LocalFile?
    public var isPublic: Bool
    public var tags: [String]
    /// User metadata in the order written.
    public var metadata: [MetadataEntry]
    /// The encoding ladder; nil means the server's defaults.
    public var qualities: [QualitySpec]?
    /// The profile the qualities came from, when they came from one.
    public var profile: String?
    public var location: SourceLocation
    /// Where each quality is written (in the video or in its profile), in the order of `qualities`.
    public var qualityLocations: [SourceLocation] = []
    /// WebVTT captions by language, in the order written.
    public var captions: [TextTrackSpec] = []
    /// WebVTT chapters by language, in the order written.
    public var chapters: [TextTrackSpec] = []
    /// The caption language set as the default (`default_caption:`), one of `captions`.
    public var defaultCaption: String?
    /// The player theme the video uses (a key of `players:`); nil: streamplan leaves its player alone,
    /// unless it is one of the project's players (then it is removed).
    public var player: String?
    /// `type:`: a video (the default) or an audio-only media, validated against the source.
    public var mediaType: MediaType = .video
    /// `watermark:`: an image of the account laid over the picture, set at creation.
    public var watermark: WatermarkSpec?
    /// `segment_duration:`: the seconds of one HLS segment, set at creation (nil: the service's default).
    public var segmentDuration: Int?

    public init(
        name: String, title: String, description: String?, source: LocalFile, thumbnail: LocalFile?,
        isPublic: Bool, tags: [String], metadata: [MetadataEntry], qualities: [QualitySpec]?, profile: String?,
        location: SourceLocation
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.source = source
        self.thumbnail = thumbnail
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.qualities = qualities
        self.profile = profile
        self.location = location
    }

    public var address: String { "video.\(name)" }
}

/// One metadata key/value pair.
public struct MetadataEntry: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// One rendition of an encoding ladder, with every default filled in.
public struct QualitySpec: Sendable, Hashable, Codable {
    public var resolution: String
    public var type: String
    public var containerType: String
    public var video: VideoConfig?
    public var audio: AudioConfig?

    public init(resolution: String, type: String, containerType: String, video: VideoConfig?, audio: AudioConfig?) {
        self.resolution = resolution
        self.type = type
        self.containerType = containerType
        self.video = video
        self.audio = audio
    }

    enum CodingKeys: String, CodingKey {
        case resolution, type
        case containerType = "container_type"
        case video = "video_config"
        case audio = "audio_config"
    }
}

/// The video track of a quality.
public struct VideoConfig: Sendable, Hashable, Codable {
    public var codec: String
    public var bitrate: Int
    public var index: Int

    public init(codec: String, bitrate: Int, index: Int = 0) {
        self.codec = codec
        self.bitrate = bitrate
        self.index = index
    }
}

/// The audio track of a quality.
public struct AudioConfig: Sendable, Hashable, Codable {
    public var codec: String
    public var bitrate: Int
    public var channels: String
    public var sampleRate: Int
    public var language: String?
    public var index: Int

    public init(
        codec: String = "aac", bitrate: Int = 128_000, channels: String = "2", sampleRate: Int = 48_000,
        language: String? = nil, index: Int = 0
    ) {
        self.codec = codec
        self.bitrate = bitrate
        self.channels = channels
        self.sampleRate = sampleRate
        self.language = language
        self.index = index
    }

    enum CodingKeys: String, CodingKey {
        case codec, bitrate, channels, language, index
        case sampleRate = "sample_rate"
    }
}

/// A live stream key as the manifest wants it.
public struct LiveStreamSpec: Sendable, Hashable {
    /// The manifest's name for it (its address is `live_stream.NAME`).
    public var name: String
    /// The key's `name` on AIOZ.
    public var displayName: String
    public var save: Bool
    public var streamings: [StreamingSpec]
    /// Restream destinations (`restream:`), in the order written.
    public var restreams: [RestreamSpec]
    /// `video` or `audio` (the 2026 API's key `type`); nil: not written (the service's default,
    /// `video`, on create; never compared).
    public var type: String?
    /// The key's thumbnail image (`thumbnail:`), a local PNG or JPEG.
    public var thumbnail: LocalFile?
    /// Saved recordings the manifests manage (`recordings:`), in the order written.
    public var recordings: [RecordingSpec] = []
    /// Fields for every saved recording of the key (`recording_defaults:`); nil: none.
    public var recordingDefaults: RecordingDefaultsSpec?
    public var location: SourceLocation

    public init(
        name: String, displayName: String, save: Bool, streamings: [StreamingSpec], restreams: [RestreamSpec] = [],
        type: String? = nil, thumbnail: LocalFile? = nil, location: SourceLocation
    ) {
        self.name = name
        self.displayName = displayName
        self.save = save
        self.streamings = streamings
        self.restreams = restreams
        self.type = type
        self.thumbnail = thumbnail
        self.location = location
    }

    /// The types a live key may have.
    public static let types = ["video", "audio"]

    public var address: String { "live_stream.\(name)" }
}

/// A streaming under a live stream key.
public struct StreamingSpec: Sendable, Hashable {
    public var name: String
    public var liveStream: String
    public var title: String
    public var save: Bool
    public var qualities: [String]
    public var location: SourceLocation

    public init(name: String, liveStream: String, title: String, save: Bool, qualities: [String], location: SourceLocation) {
        self.name = name
        self.liveStream = liveStream
        self.title = title
        self.save = save
        self.qualities = qualities
        self.location = location
    }

    public var address: String { "live_stream.\(liveStream).streaming.\(name)" }
}

/// The services a project can live on, as `provider:` names them.
public enum ServiceProvider: String, Sendable, Hashable, CaseIterable, Codable {
    case aioz
    case aionvision

    /// The service's name in messages.
    public var displayName: String {
        switch self {
        case .aioz: "AIOZ Stream"
        case .aionvision: "Aionvision"
        }
    }

    /// The environment variable holding the API key of services that take one key only.
    public var apiKeyVariable: String? {
        switch self {
        case .aioz: nil
        case .aionvision: "AIONVISION_API_KEY"
        }
    }
}
