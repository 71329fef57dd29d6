import Providers

extension AIOZProvider {
    public func textTracks(_ kind: TextTrackKind, videoID: String) async throws -> [RemoteTextTrack] {
        try await client.listTextTracks(kind.plural, videoID: videoID).map {
            RemoteTextTrack(language: $0.language, isDefault: $0.isDefault ?? false, url: $0.url)
        }
    }

    public func uploadTextTrack(_ kind: TextTrackKind, videoID: String, language: String, file: String) async throws {
        try await client.uploadTextTrack(kind.plural, videoID: videoID, language: language, file: file)
    }

    public func deleteTextTrack(_ kind: TextTrackKind, videoID: String, language: String) async throws {
        try await client.deleteTextTrack(kind.plural, videoID: videoID, language: language)
    }

    public func setDefaultCaption(videoID: String, language: String) async throws {
        try await client.setDefaultCaption(videoID: videoID, language: language)
    }
}
