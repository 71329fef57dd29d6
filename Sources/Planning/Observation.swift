public import Providers

/// What the account has of the project's objects, as one observation read it. Each kind reads its
/// part (`KindExecutor.observe`) and plans from it (`KindPlanner.plan`); fingerprints are computed
/// from it too, so a saved plan's fingerprints describe exactly what the plan saw.
public struct Observation: Sendable, Hashable {
    /// The videos marked with the project (and only those).
    public var videos: [RemoteVideo]
    /// The project's registry of live objects.
    public var registry: RegistryEntries
    /// The keys the registry names (by id) that still exist, with their streamings; keys the
    /// registry does not name are never read in.
    public var liveKeys: [String: ObservedLiveKey]
    /// Captions and chapters on the project's videos, by video id; read only for videos that carry a
    /// caption or chapter mark or whose address the manifests give captions or chapters.
    public var textTracks: [String: ObservedTextTracks] = [:]
    /// The webhooks the registry names (by id) that still exist; others are never read in.
    public var webhooks: [String: RemoteWebhook] = [:]
    /// The playlists marked with the project (and only those).
    public var playlists: [RemotePlaylist] = []
    /// The player themes the registry names (by id) that still exist; others are never read in.
    public var players: [String: RemotePlayer] = [:]
    /// The account's default player theme, whoever made it (nil: none); read only when the manifests
    /// make a player the default, to say which one stops being it.
    public var defaultPlayer: RemotePlayer?
    /// Ids named by `import:` blocks that were not found as their address's kind but as another
    /// one (a video's id imported as a player theme): the plan says which, so the block can be fixed.
    public var importedElsewhere: [String: ResourceKind] = [:]

    public init(
        videos: [RemoteVideo] = [], registry: RegistryEntries = RegistryEntries(),
        liveKeys: [String: ObservedLiveKey] = [:]
    ) {
        self.videos = videos
        self.registry = registry
        self.liveKeys = liveKeys
    }
}

/// A live stream key as the plan sees it: no secrets, every streaming (managed or not), oldest first.
public struct ObservedLiveKey: Sendable, Hashable {
    public var key: RemoteLiveKey
    public var streamings: [RemoteStreaming]
    /// The key's restream destinations, as hashes and masked URLs (never the URLs: they carry
    /// stream keys); nil when they were not read (no destination is wanted or registered under it).
    public var restreams: [ObservedRestream]?
    /// The key's saved recordings, newest first; nil when they were not read (the manifests manage
    /// none of the key's recordings).
    public var recordings: [RemoteRecording]?

    public init(
        _ key: RemoteLiveKey, streamings: [RemoteStreaming] = [], restreams: [ObservedRestream]? = nil,
        recordings: [RemoteRecording]? = nil
    ) {
        self.key = key
        self.streamings = streamings
        self.restreams = restreams
        self.recordings = recordings
    }

    public var id: String { key.id }
    public var name: String { key.name }
    public var save: Bool { key.save }

    /// An encoder is pushing to the key: one of its streamings is broadcasting.
    public var isBroadcasting: Bool { streamings.contains(where: \.isBroadcasting) }
}

/// One restream destination of a key as observations keep it: what identifies it, never its URL.
public struct ObservedRestream: Sendable, Hashable {
    /// `DesiredRestream.urlHash` of its URL.
    public var urlHash: String
    /// Its URL as plans show it (`RestreamURL.masked`).
    public var maskedURL: String

    public init(urlHash: String, maskedURL: String) {
        self.urlHash = urlHash
        self.maskedURL = maskedURL
    }
}

extension RemoteStreaming {
    public var isBroadcasting: Bool { state == .broadcasting }
}

/// The project's registry: manifest address → remote id, for objects that carry no metadata of
/// their own (live stream keys, streamings). An address is managed only when the registry names it.
///
/// A value is a remote id, or `pending:<unix seconds>` while a create is in flight (docs/design.md).
public struct RegistryEntries: Sendable, Hashable, Codable {
    public var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    public static let pendingPrefix = "pending:"

    /// What the registry records for an address (an id, a pending mark), if anything.
    public func entry(_ address: Address) -> String? { entries[address.description] }

    /// The remote id recorded for an address (nil when absent or still pending).
    public func id(_ address: Address) -> String? {
        guard let value = entries[address.description], !value.hasPrefix(Self.pendingPrefix) else { return nil }
        return value
    }

    /// When a create of `address` was started but its id never recorded: the unix time it started.
    public func pendingSince(_ address: Address) -> Int? {
        guard let value = entries[address.description], value.hasPrefix(Self.pendingPrefix) else { return nil }
        return Int(value.dropFirst(Self.pendingPrefix.count))
    }

    /// Every id the registry claims.
    public var claimedIDs: Set<String> {
        Set(entries.values.filter { !$0.hasPrefix(Self.pendingPrefix) })
    }

    /// The registered addresses of one kind (under `parent`, when given), sorted.
    public func addresses(of kind: ResourceKind, under parent: Address? = nil) -> [Address] {
        entries.keys.compactMap(Address.init(parsing:)).filter { address in
            address.kind == kind && (parent == nil || address.parent == parent)
        }.sorted()
    }

    /// The address whose entry is `id`, if any.
    public func address(of id: String) -> Address? {
        // Only address entries: a protection record (`protect.ADDRESS`) holds an id too.
        entries.first { $0.value == id && Address(parsing: $0.key) != nil }.flatMap { Address(parsing: $0.key) }
    }
}
