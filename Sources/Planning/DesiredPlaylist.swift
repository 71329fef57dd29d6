public import Manifest

/// A playlist as the manifests want it.
public struct DesiredPlaylist: DesiredObject {
    public var address: Address
    /// The playlist's name on the service.
    public var name: String
    public var tags: [String]
    /// User metadata in the order written (streamplan's marks are added when sent).
    public var metadata: [MetadataEntry]
    public var type: String?
    public var thumbnail: DesiredFile?
    /// The videos (and saved recordings), in the playlist's order.
    public var videos: [Address]
    /// Each video's id as the plan found it; nil for a video this apply creates or replaces (apply
    /// takes its id from what the video's change made). Set by the planner.
    public var videoIDs: [String?]

    enum CodingKeys: String, CodingKey {
        case address, name, tags, metadata, type, thumbnail, videos
        case videoIDs = "video_ids"
    }

    public init(spec: PlaylistSpec, thumbnailSHA256: String?) {
        address = Address(.playlist, spec.name)
        name = spec.displayName
        tags = spec.tags
        metadata = spec.metadata
        type = spec.type
        thumbnail = spec.thumbnail.flatMap { file in thumbnailSHA256.map { DesiredFile(file, sha256: $0) } }
        // A recording is named by its address (`live_stream.KEY.recording.NAME`), a video by its name.
        videos = spec.videos.map { item in
            Address(parsing: item).flatMap { $0.kind == .recording ? $0 : nil } ?? Address(.video, item)
        }
        videoIDs = videos.map { _ in nil }
    }

    public init(
        address: Address, name: String, tags: [String] = [], metadata: [MetadataEntry] = [], type: String? = nil,
        thumbnail: DesiredFile? = nil, videos: [Address] = []
    ) {
        self.address = address
        self.name = name
        self.tags = tags
        self.metadata = metadata
        self.type = type
        self.thumbnail = thumbnail
        self.videos = videos
        videoIDs = videos.map { _ in nil }
    }

    public var thumbnailSHA256: String? { thumbnail?.sha256 }

    /// How plans name an item: a video by its name (as `videos:` writes it), a recording by its address.
    public static func label(_ item: Address) -> String { item.kind == .video ? item.name : item.description }

    /// The full metadata to send: the user's entries, then the ownership marks.
    public func metadata(project: String) -> [MetadataEntry] {
        var entries = metadata
        entries.append(MetadataEntry(key: OwnershipMark.project, value: project))
        entries.append(MetadataEntry(key: OwnershipMark.address, value: address.description))
        if let thumbnailSHA256 {
            entries.append(MetadataEntry(key: OwnershipMark.thumbnailSHA256, value: thumbnailSHA256))
        }
        return entries
    }
}

extension DesiredValue {
    public static func playlist(_ value: DesiredPlaylist) -> DesiredValue { DesiredValue(value) }
    public var playlist: DesiredPlaylist? { value as? DesiredPlaylist }
}

extension DesiredPlaylist {
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredPlaylist {
        var copy = self
        copy.thumbnail = thumbnail.map(transform)
        return copy
    }
}
