/// One encoding output as asked for in `POST /videos/create` (`qualities[]`).
struct QualityRequest: Codable, Sendable, Equatable {
    var resolution: String?
    var type: String?
    var containerType: String?
    var videoConfig: VideoConfig?
    var audioConfig: AudioConfig?

    enum CodingKeys: String, CodingKey {
        case resolution, type
        case containerType = "container_type"
        case videoConfig = "video_config"
        case audioConfig = "audio_config"
    }

    struct VideoConfig: Codable, Sendable, Equatable {
        var codec: String?
        var bitrate: Int?
        var index: Int?
    }

    struct AudioConfig: Codable, Sendable, Equatable {
        var codec: String?
        var bitrate: Int?
        var channels: String?
        var sampleRate: Int?
        var language: String?
        var index: Int?

        enum CodingKeys: String, CodingKey {
            case codec, bitrate, channels, language, index
            case sampleRate = "sample_rate"
        }
    }

    /// What the server applies when `qualities` is omitted: the three the seeds' responses show.
    static let defaults: [QualityRequest] = ["360p", "720p", "1080p"].map {
        QualityRequest(resolution: $0, type: "hls", containerType: "mpegts", videoConfig: nil, audioConfig: nil)
    }

    /// What the sandbox applies to an audio media created without `qualities` (inferred: the documents
    /// give no audio default): one audio-only HLS rendition, AAC at 128 kbit/s.
    static let audioDefaults = [
        QualityRequest(
            resolution: "audio", type: "hls", containerType: "mpegts", videoConfig: nil,
            audioConfig: AudioConfig(codec: "aac", bitrate: 128_000, channels: "2", sampleRate: 48_000))
    ]

    /// The name a video reports for this quality (`qualities[].name`).
    var name: String { resolution ?? "audio" }
}

/// A `{key, value}` metadata pair.
struct MetadataPair: Codable, Sendable, Equatable, Hashable {
    var key: String
    var value: String
}
