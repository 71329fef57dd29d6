/// The two kinds of WebVTT file AIOZ keeps per language under a video.
public enum TextTrackKind: String, Sendable, Hashable, Codable, CaseIterable {
    case caption
    case chapter

    /// The path segment and manifest key: `captions`, `chapters`.
    public var plural: String { rawValue + "s" }
}

/// A caption or chapter list on a video, as the service lists it.
public struct RemoteTextTrack: Sendable, Hashable {
    public var language: String
    /// A caption the video shows by default (always false for chapters).
    public var isDefault: Bool
    public var url: String?

    public init(language: String, isDefault: Bool = false, url: String? = nil) {
        self.language = language
        self.isDefault = isDefault
        self.url = url
    }
}

extension Provider {
    public func textTracks(_ kind: TextTrackKind, videoID: String) async throws -> [RemoteTextTrack] {
        throw UnsupportedByProvider(service: serviceName, what: kind.plural)
    }

    public func uploadTextTrack(_ kind: TextTrackKind, videoID: String, language: String, file: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: kind.plural)
    }

    public func deleteTextTrack(_ kind: TextTrackKind, videoID: String, language: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: kind.plural)
    }

    public func setDefaultCaption(videoID: String, language: String) async throws {
        throw UnsupportedByProvider(service: serviceName, what: "captions")
    }
}
