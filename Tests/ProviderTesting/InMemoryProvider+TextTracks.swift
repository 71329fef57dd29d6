import Crypto
import Foundation
public import Providers

extension InMemoryProvider {
    /// The languages of a video's captions or chapters, with the SHA-256 of each uploaded file.
    public func textTrackFiles(_ kind: TextTrackKind, videoID: String) -> [String: String] {
        (textTrackStore[videoID]?[kind] ?? [:]).mapValues(\.sha256)
    }

    /// The video's default caption, if any.
    public func defaultCaption(videoID: String) -> String? {
        textTrackStore[videoID]?[.caption]?.first { $0.value.isDefault }?.key
    }

    /// Puts a caption or chapter on a video as someone else would (no mark).
    public func putTextTrack(_ kind: TextTrackKind, videoID: String, language: String, sha256: String = "outside") {
        textTrackStore[videoID, default: [:]][kind, default: [:]][language] = (sha256, false)
    }

    public func textTracks(_ kind: TextTrackKind, videoID: String) async throws -> [RemoteTextTrack] {
        _ = try enter(.listTextTracks, "\(videoID) \(kind.plural)")
        guard videoExists(videoID) else { throw Self.notFound("video \(videoID)") }
        return (textTrackStore[videoID]?[kind] ?? [:]).sorted { $0.key < $1.key }.map {
            RemoteTextTrack(language: $0.key, isDefault: $0.value.isDefault)
        }
    }

    public func uploadTextTrack(_ kind: TextTrackKind, videoID: String, language: String, file: String) async throws {
        let failure = try enter(.uploadTextTrack, "\(videoID) \(kind.rawValue) \(language)")
        guard videoExists(videoID) else { throw Self.notFound("video \(videoID)") }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        textTrackStore[videoID, default: [:]][kind, default: [:]][language] = (digest, false)
        _ = try answer(failure, (), "uploading \(kind.rawValue) \(language) of video \(videoID)")
    }

    public func deleteTextTrack(_ kind: TextTrackKind, videoID: String, language: String) async throws {
        let failure = try enter(.deleteTextTrack, "\(videoID) \(kind.rawValue) \(language)")
        guard textTrackStore[videoID]?[kind]?.removeValue(forKey: language) != nil else {
            throw Self.notFound("\(kind.rawValue) \(language) of video \(videoID)")
        }
        _ = try answer(failure, (), "deleting \(kind.rawValue) \(language) of video \(videoID)")
    }

    public func setDefaultCaption(videoID: String, language: String) async throws {
        let failure = try enter(.setDefaultCaption, "\(videoID) \(language)")
        guard var captions = textTrackStore[videoID]?[.caption], captions[language] != nil else {
            throw Self.notFound("caption \(language) of video \(videoID)")
        }
        for key in captions.keys { captions[key]?.isDefault = key == language }
        textTrackStore[videoID]?[.caption] = captions
        _ = try answer(failure, (), "setting the default caption of video \(videoID)")
    }

    private func videoExists(_ id: String) -> Bool {
        allVideos.contains { $0.id == id }
    }
}
