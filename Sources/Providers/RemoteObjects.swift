public import Manifest

/// Where a video stands on the remote service, in the engine's words. Adapters map their API's
/// status strings onto these; `rawValue` is the stable token plans and saved-plan fingerprints
/// record (the words of streamplan 0.1.0, which were AIOZ's).
public enum VideoState: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Created, bytes not (all) received: an interrupted upload.
    case new
    case transcoding
    case done
    case failed
    case deleted
    /// A state this version does not know, with the service's word for it.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "new": self = .new
        case "transcoding": self = .transcoding
        case "done": self = .done
        case "fail": self = .failed
        case "deleted": self = .deleted
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .new: "new"
        case .transcoding: "transcoding"
        case .done: "done"
        case .failed: "fail"
        case .deleted: "deleted"
        case .other(let word): word
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Still on its way to `done` or `failed`.
    public var isInProgress: Bool { self == .new || self == .transcoding }
}

/// A video as the remote service has it: what plans compare, with streamplan's marks in `metadata`.
public struct RemoteVideo: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String
    public var isPublic: Bool
    public var tags: [String]
    public var metadata: [MetadataEntry]
    public var state: VideoState
    public var updatedAt: String?
    /// Renditions and their progress, for people (`--wait`).
    public var renditions: [Rendition]
    public var links: VideoLinks
    /// The uploaded source's size in bytes, when the service tells it.
    public var size: Int64?
    /// The player theme the video uses (nil or empty: none).
    public var playerID: String?
    /// "video" or "audio" as the service reports it (AIOZ's 2026 `type`); nil when it does not say.
    public var mediaType: String?

    public init(
        id: String, title: String, description: String = "", isPublic: Bool = true, tags: [String] = [],
        metadata: [MetadataEntry] = [], state: VideoState = .done, updatedAt: String? = nil,
        renditions: [Rendition] = [], links: VideoLinks = VideoLinks()
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.isPublic = isPublic
        self.tags = tags
        self.metadata = metadata
        self.state = state
        self.updatedAt = updatedAt
        self.renditions = renditions
        self.links = links
    }

    /// The value of one metadata entry.
    public func mark(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }
}

/// One rendition of a video and how far its encoding is.
public struct Rendition: Sendable, Hashable {
    public var name: String
    public var status: String?

    public init(name: String, status: String?) {
        self.name = name
        self.status = status
    }
}

/// Where a video can be played or fetched, in the order people want them.
public struct VideoLinks: Sendable, Hashable {
    public var hls: String?
    public var dash: String?
    public var player: String?
    public var mp4: String?
    public var source: String?
    /// The video's thumbnail image (`streamplan output`), when it has one.
    public var thumbnail: String?
    /// The DASH player page (`dash_player_url`).
    public var dashPlayer: String?

    public init(
        hls: String? = nil, dash: String? = nil, player: String? = nil, mp4: String? = nil, source: String? = nil,
        thumbnail: String? = nil, dashPlayer: String? = nil
    ) {
        self.hls = hls
        self.dash = dash
        self.player = player
        self.mp4 = mp4
        self.source = source
        self.thumbnail = thumbnail
        self.dashPlayer = dashPlayer
    }

    /// The non-empty links to print after an apply, named.
    public var printable: [(name: String, url: String)] {
        [("hls", hls), ("dash", dash), ("player", player), ("mp4", mp4)].compactMap { name, url in
            guard let url, !url.isEmpty else { return nil }
            return (name, url)
        }
    }
}

/// A live stream key without its secrets: they never enter a plan, a log or a file.
public struct RemoteLiveKey: Sendable, Hashable {
    public var id: String
    public var name: String
    public var save: Bool
    public var createdAt: String?
    /// `video` or `audio`; nil when the service does not say (then `video`).
    public var type: String?

    public init(id: String, name: String, save: Bool, createdAt: String? = nil, type: String? = nil) {
        self.id = id
        self.name = name
        self.save = save
        self.createdAt = createdAt
        self.type = type
    }
}

/// A key's secrets, for `show --reveal` only. Its descriptions mask them.
public struct LiveKeySecrets: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var streamKey: String
    public var rtmpURL: String

    public init(streamKey: String, rtmpURL: String) {
        self.streamKey = streamKey
        self.rtmpURL = rtmpURL
    }

    public var description: String { "LiveKeySecrets(streamKey: ********, rtmpURL: ********)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Where a streaming stands.
public enum StreamingState: Sendable, Hashable, CustomStringConvertible {
    case created
    /// An encoder is pushing to the key now.
    case broadcasting
    case ended
    case other(String)

    /// The stable token saved-plan fingerprints record (streamplan 0.1.0's words).
    public init(rawValue: String) {
        switch rawValue {
        case "created": self = .created
        case "streaming": self = .broadcasting
        case "ended": self = .ended
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .created: "created"
        case .broadcasting: "streaming"
        case .ended: "ended"
        case .other(let word): word
        }
    }

    public var description: String { rawValue }
}

/// A streaming under a live stream key.
public struct RemoteStreaming: Sendable, Hashable {
    public var id: String
    public var title: String
    public var save: Bool
    public var state: StreamingState
    /// Resolutions, e.g. `720p`.
    public var qualities: [String]
    public var createdAt: String?

    public init(
        id: String, title: String, save: Bool, state: StreamingState = .created, qualities: [String] = [],
        createdAt: String? = nil
    ) {
        self.id = id
        self.title = title
        self.save = save
        self.state = state
        self.qualities = qualities
        self.createdAt = createdAt
    }
}

/// A recording a streaming saved, with the video it became (when there is one).
public struct RemoteRecording: Sendable, Hashable {
    public var streamingID: String
    public var title: String
    public var status: String?
    public var video: RemoteVideo?

    public init(streamingID: String, title: String, status: String?, video: RemoteVideo?) {
        self.streamingID = streamingID
        self.title = title
        self.status = status
        self.video = video
    }
}
