/// The validation limits of the contract, in one place.
enum Limits {
    static let titleLength = 1...255
    /// `segment_duration` in seconds (inferred: the documents give the field as an integer, no range).
    static let segmentDurations = 1...30
    /// Restream destinations of one key [inferred: the 2026 document sets no limit].
    static let multicastURLs = 20
    /// The longest multicast URL accepted [inferred].
    static let multicastURLLength = 2048
    static let descriptionLength = 1000
    static let maxTags = 50
    static let tagLength = 255
    static let maxMetadata = 50
    static let metadataLength = 255
    static let pageLimit = 1...100
    static let defaultPageLimit = 25

    static let maxVideoBitrate: [String: Int] = [
        "144p": 700_000, "240p": 700_000, "360p": 1_200_000, "480p": 2_000_000, "720p": 4_000_000,
        "1080p": 6_000_000, "1440p": 12_000_000, "2160p": 30_000_000, "4320p": 60_000_000,
    ]
    static let resolutions = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "4320p"]
    static let h264Resolutions: Set<String> = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p"]
    static let sampleRates: Set<Int> = [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000]
    static let containers: [String: Set<String>] = ["hls": ["mpegts", "mp4"], "dash": ["fmp4"]]
    static let videoStatuses: Set<String> = ["new", "transcoding", "done", "fail", "deleted"]
    static let videoSortFields: Set<String> = ["created_at", "updated_at", "title", "size"]
    static let keySortFields: Set<String> = ["created_at", "name"]
    static let streamingQualities: Set<String> = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p"]
    static let costQualities: Set<String> = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "4320p"]

    static func defaultVideoBitrate(_ resolution: String) -> Int {
        (maxVideoBitrate[resolution] ?? 1_200_000) / 2
    }
}
