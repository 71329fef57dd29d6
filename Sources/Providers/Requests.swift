public import Manifest

/// A video to create: fields, metadata (marks included) and the encoding ladder.
public struct NewVideo: Sendable, Hashable {
    public var title: String
    public var description: String?
    public var isPublic: Bool
    public var tags: [String]
    public var metadata: [MetadataEntry]
    /// nil: the service's default ladder.
    public var qualities: [QualitySpec]?
    /// The file that will be uploaded into the video, for services whose create is the start of the
    /// upload (Aionvision's `initiate` needs the name, type and size); nil for videos never uploaded.
    public var source: NewVideoSource?
    /// `.audio` for an audio-only media; the service's default (a video) otherwise.
    public var mediaType: MediaType = .video
    /// Set at creation only.
    public var watermark: WatermarkSpec?
    /// Seconds per HLS segment, set at creation only; nil: the service's default.
    public var segmentDuration: Int?

    public init(
        title: String, description: String? = nil, isPublic: Bool = true, tags: [String] = [],
        metadata: [MetadataEntry] = [], qualities: [QualitySpec]? = nil, source: NewVideoSource? = nil
    ) {
        self.source = source
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.qualities = qualities
    }
}

/// The file a new video's bytes will come from.
public struct NewVideoSource: Sendable, Hashable {
    public var path: String
    public var size: Int64
    public var format: MediaFormat

    public init(path: String, size: Int64, format: MediaFormat) {
        self.path = path
        self.size = size
        self.format = format
    }
}

extension NewVideo {
    /// The quality list of a video streamplan keeps but never uploads (the registry, the lease):
    /// AIOZ's documentation says "If the qualities array is empty or not provided, the server will
    /// return an error", so one minimal rung is sent explicitly (360p HLS; nothing is ever encoded).
    public static let neverUploadedQualities = [
        QualitySpec(
            resolution: "360p", type: "hls", containerType: "mpegts", video: VideoConfig(codec: "h264", bitrate: 1_200_000),
            audio: AudioConfig())
    ]
}

/// The fields of a video to change; nil fields are left as they are. `metadata` replaces the whole list.
public struct VideoPatch: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var isPublic: Bool?
    public var tags: [String]?
    public var metadata: [MetadataEntry]?

    public init(
        title: String? = nil, description: String? = nil, isPublic: Bool? = nil, tags: [String]? = nil,
        metadata: [MetadataEntry]? = nil
    ) {
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
    }

    public var isEmpty: Bool { self == VideoPatch() }
}

/// A live stream key's fields: to create one, or (nil = unchanged) to update one.
public struct NewLiveKey: Sendable, Hashable {
    public var name: String?
    public var save: Bool?
    /// `video` or `audio`, on create only (a key's type is fixed when it is created); nil: the default.
    public var type: String?

    public init(name: String?, save: Bool?, type: String? = nil) {
        self.name = name
        self.save = save
        self.type = type
    }
}

/// A streaming's new fields, changed in place.
public struct StreamingUpdate: Sendable, Hashable {
    public var title: String
    public var save: Bool
    /// New resolutions; nil: unchanged.
    public var qualities: [String]?

    public init(title: String, save: Bool, qualities: [String]? = nil) {
        self.title = title
        self.save = save
        self.qualities = qualities
    }
}

/// A streaming to create under a key.
public struct NewStreaming: Sendable, Hashable {
    public var title: String
    public var save: Bool
    /// Resolutions; empty: the service's defaults.
    public var qualities: [String]

    public init(title: String, save: Bool, qualities: [String]) {
        self.title = title
        self.save = save
        self.qualities = qualities
    }
}
