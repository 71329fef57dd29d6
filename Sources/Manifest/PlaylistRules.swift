public import YAMLNodes

/// A playlist as the manifests describe it: `playlists: {NAME: {name, tags, metadata, type,
/// thumbnail, videos}}`. `videos` names videos of the manifests, in the playlist's order.
public struct PlaylistSpec: Sendable, Hashable {
    public var name: String
    /// The playlist's name on the service (default: the key).
    public var displayName: String
    public var tags: [String]
    public var metadata: [MetadataEntry]
    /// AIOZ's `playlist_type` (free text in the OpenAPI; the media generation only).
    public var type: String?
    public var thumbnail: LocalFile?
    /// Names of videos of the manifests, in order.
    public var videos: [String]
    public var location: SourceLocation

    public init(
        name: String, displayName: String, tags: [String] = [], metadata: [MetadataEntry] = [], type: String? = nil,
        thumbnail: LocalFile? = nil, videos: [String] = [], location: SourceLocation
    ) {
        self.name = name
        self.displayName = displayName
        self.tags = tags
        self.metadata = metadata
        self.type = type
        self.thumbnail = thumbnail
        self.videos = videos
        self.location = location
    }

    public var address: String { "playlist.\(name)" }
}

/// A decoded playlist whose `videos` are checked against the manifests once every file is read.
struct PendingPlaylist {
    var spec: PlaylistSpec?
    /// Each entry of `videos` with where it is written.
    var videoNodes: [(name: String, location: SourceLocation)] = []
}

extension FragmentDecoder {
    static let playlistKeys = ["name", "tags", "metadata", "type", "thumbnail", "videos"] + Lifecycle.keys

    mutating func playlist(_ name: String, key: YAMLNode, node: YAMLNode) -> PendingPlaylist {
        var pending = PendingPlaylist()
        let what = "playlist.\(name)"
        guard let f = reader.mapping(node, allowed: Self.playlistKeys, what: what) else { return pending }
        let before = reader.diagnostics.diagnostics.count
        var displayName = name
        if let n = f["name"], let v = reader.string(n, what: "name") {
            displayName = v
            reader.checkLength(v, 1...255, what: "name", at: n)
        }
        var type: String?
        if let t = f["type"], let v = reader.string(t, what: "type") {
            type = v
            reader.checkLength(v, 1...255, what: "type", at: t)
        }
        var thumbnail: LocalFile?
        if let t = f["thumbnail"], let v = reader.string(t, what: "thumbnail") {
            thumbnail = files.check(v, kind: .thumbnail, manifestFile: reader.file, node: t, into: &reader)
        }
        let tags = f["tags"].map { tagList($0) } ?? []
        let metadata = f["metadata"].map { metadataEntries($0) } ?? []
        var videos: [String] = []
        if let v = f["videos"], let items = reader.list(v, what: "videos") {
            var seen: [String: YAMLNode] = [:]
            for item in items {
                guard let video = reader.string(item, what: "a video name") else { continue }
                if let first = seen[video] {
                    reader.error(
                        "video \(video) is listed twice in \(what) (first at line \(first.mark.line)); a playlist holds a video once",
                        at: item)
                    continue
                }
                seen[video] = item
                videos.append(video)
                pending.videoNodes.append((video, reader.location(item)))
            }
        }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard !hasErrors, let tags, let metadata else { return pending }
        pending.spec = PlaylistSpec(
            name: name, displayName: displayName, tags: tags, metadata: metadata, type: type, thumbnail: thumbnail,
            videos: videos, location: reader.location(key))
        return pending
    }
}

/// Checks that every playlist names videos (or saved recordings, by address) of the manifests.
enum PlaylistReferences {
    static func check(
        _ pending: PendingPlaylist, videos: Set<String>, recordings: Set<String> = [],
        into diagnostics: inout DiagnosticCollector
    ) -> Bool {
        var ok = true
        let names = videos.sorted()
        for (name, location) in pending.videoNodes where !videos.contains(name) && !recordings.contains(name) {
            if name.hasPrefix("live_stream.") {
                // A saved recording, by its address (`live_stream.KEY.recording.NAME`).
                let known = recordings.sorted()
                var message = "\(pending.spec?.address ?? "a playlist") names recording \(name), which is not in the manifests"
                message += Suggest.closest(to: name, in: known).map { "; did you mean \($0)?" } ?? "."
                message +=
                    known.isEmpty
                    ? " No recordings are defined (live_streams: KEY: recordings:)."
                    : " Defined recordings: \(known.joined(separator: ", "))."
                diagnostics.error(message, at: location)
                ok = false
                continue
            }
            var message = "\(pending.spec?.address ?? "a playlist") names video \(name), which is not in the manifests"
            message += Suggest.closest(to: name, in: names).map { "; did you mean \($0)?" } ?? "."
            message +=
                names.isEmpty
                ? " No videos are defined."
                : " A playlist lists names of `videos:` entries, or recordings as live_stream.KEY.recording.NAME."
            diagnostics.error(message, at: location)
            ok = false
        }
        return ok
    }
}
