public import Manifest

/// A saved recording of a live stream key, as the manifests want it: which recording (the one a
/// streaming of the key saved, or a media id) and the fields written (nil: left as the service has it).
///
/// AIOZ Stream makes recordings; streamplan never creates or deletes one. Its ownership is its key's:
/// only recordings listed under a key the project's registry claims are ever read or changed.
public struct DesiredRecording: Sendable, Hashable, Codable {
    public var address: Address
    /// Set when the entry selects the recording of a streaming of the manifests (`streaming: NAME`).
    public var streaming: Address?
    /// Set when the entry selects the recording by its media id (`id:`).
    public var mediaID: String?
    public var title: String?
    public var description: String?
    public var tags: [String]?
    public var isPublic: Bool?
    /// The player theme the manifests give the recording (`player.NAME`); nil: none named.
    public var player: Address?

    enum CodingKeys: String, CodingKey {
        case address, streaming, title, description, tags, player
        case mediaID = "media_id"
        case isPublic = "is_public"
    }

    public init(_ spec: RecordingSpec) {
        let key = Address(.liveStream, spec.liveStream)
        address = Address(.recording, spec.name, parent: key)
        switch spec.selector {
        case .streaming(let name): streaming = Address(.streaming, name, parent: key)
        case .mediaID(let id): mediaID = id
        }
        title = spec.title
        description = spec.description
        tags = spec.tags
        isPublic = spec.isPublic
        player = spec.player.map { Address(.player, $0) }
    }

    public init(
        address: Address, streaming: Address? = nil, mediaID: String? = nil, title: String? = nil,
        description: String? = nil, tags: [String]? = nil, isPublic: Bool? = nil, player: Address? = nil
    ) {
        self.address = address
        self.streaming = streaming
        self.mediaID = mediaID
        self.title = title
        self.description = description
        self.tags = tags
        self.isPublic = isPublic
        self.player = player
    }

    /// How the entry selects its recording, for people.
    public var selection: String {
        if let streaming { return "the recording of \(streaming)" }
        return "media id \(mediaID ?? "?")"
    }
}
