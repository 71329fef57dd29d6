public import Manifest

/// A saved recording of a live stream key, as the manifests want it: which recording (the one a
/// streaming of the key saved, or a media id) and the fields written (nil: left as the service has it).
///
/// AIOZ Stream makes recordings; streamplan never creates or deletes one. Its ownership is its key's:
/// only recordings listed under a key the project's registry claims are ever read or changed.
public struct DesiredRecording: DesiredObject {
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

    /// The entry's recording with the key's `recording_defaults` filling the fields it leaves out.
    public init(_ spec: RecordingSpec, defaults: DesiredRecordingDefaults?) {
        self.init(spec)
        guard let defaults else { return }
        description = description ?? defaults.description
        tags = tags ?? defaults.tags
        isPublic = isPublic ?? defaults.isPublic
        player = player ?? defaults.player
    }

    /// A recording no entry selects, with the key's defaults; its name is its media id.
    public init(mediaID: String, key: Address, defaults: DesiredRecordingDefaults) {
        self.init(
            address: Address(.recording, mediaID, parent: key), mediaID: mediaID, description: defaults.description,
            tags: defaults.tags, isPublic: defaults.isPublic, player: defaults.player)
    }

    /// How the entry selects its recording, for people.
    public var selection: String {
        if let streaming { return "the recording of \(streaming)" }
        return "media id \(mediaID ?? "?")"
    }
}

/// A key's `recording_defaults`: fields every saved recording of the key gets.
public struct DesiredRecordingDefaults: Sendable, Hashable {
    public var description: String?
    public var tags: [String]?
    public var isPublic: Bool?
    public var player: Address?

    public init(description: String? = nil, tags: [String]? = nil, isPublic: Bool? = nil, player: Address? = nil) {
        self.description = description
        self.tags = tags
        self.isPublic = isPublic
        self.player = player
    }

    public init(_ spec: RecordingDefaultsSpec) {
        self.init(
            description: spec.description, tags: spec.tags, isPublic: spec.isPublic,
            player: spec.player.map { Address(.player, $0) })
    }
}

extension DesiredValue {
    public static func recording(_ value: DesiredRecording) -> DesiredValue { DesiredValue(value) }
    public var recording: DesiredRecording? { value as? DesiredRecording }
}
