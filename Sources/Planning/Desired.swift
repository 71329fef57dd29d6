import Crypto
import Foundation
public import Manifest

/// What identifies a local file's content without reading it, as the hash cache trusts it: size,
/// modification time (nanoseconds) and inode.
public struct FileIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64

    public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
    }

    public var description: String { "size=\(size),mtime_ns=\(mtimeNanoseconds),inode=\(inode)" }

    enum CodingKeys: String, CodingKey {
        case size, inode
        case mtimeNanoseconds = "mtime_ns"
    }
}

/// A local file a change uploads, with the hash the plan compared (and apply checks again).
///
/// A source is hashed only when a remote video carries its address (the plan compares hashes); the
/// source of a create is not read before its upload, which hashes it on the way: its `sha256` is
/// nil and `identity` pins it (in a saved plan too).
public struct DesiredFile: Sendable, Hashable, Codable {
    /// As written in the manifest (for people).
    public var written: String
    /// Absolute in memory; in a saved plan relative to where `plan` ran when the file is under it.
    public var path: String
    public var size: Int64
    public var format: MediaFormat
    /// nil: not read yet (a create's source is hashed while it uploads).
    public var sha256: String?
    /// The file's size, modification time and inode when the plan was made (nil in plans saved
    /// before it was kept).
    public var identity: FileIdentity?
    /// Set when the file at `path` is a Git LFS pointer: `sha256` is its `oid`, `size` the content's,
    /// and apply fetches the content before uploading it (`identity` is the pointer file's).
    public var lfs: LFSPointer?
    /// Set when the source is a URL or an S3 object: `path` is the URL, `size` and `sha256` are
    /// what the plan found, and `remote.etag` the object's version apply insists on.
    public var remote: RemoteSource?

    public init(
        written: String, path: String, size: Int64, format: MediaFormat, sha256: String?, identity: FileIdentity? = nil,
        lfs: LFSPointer? = nil, remote: RemoteSource? = nil
    ) {
        self.remote = remote
        self.written = written
        self.path = path
        self.size = size
        self.format = format
        self.sha256 = sha256
        self.identity = identity
        self.lfs = lfs
    }

    /// The file as the plan sees it; an LFS pointer's hash is its `oid`, whatever `sha256` says.
    public init(_ file: LocalFile, sha256: String?, identity: FileIdentity? = nil) {
        self.init(
            written: file.written, path: file.path, size: file.size, format: file.format, sha256: file.lfs?.oid ?? sha256,
            identity: identity, lfs: file.lfs, remote: file.remote)
    }

    /// The same file with its path relative to `directory` when it is under it.
    public func relative(to directory: String) -> DesiredFile {
        guard remote == nil else { return self }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var copy = self
        if path.hasPrefix(prefix) { copy.path = String(path.dropFirst(prefix.count)) }
        return copy
    }

    /// The same file with a relative path resolved against `directory`.
    public func resolved(against directory: String) -> DesiredFile {
        var copy = self
        if remote == nil, !path.hasPrefix("/") { copy.path = (directory.hasSuffix("/") ? directory : directory + "/") + path }
        return copy
    }
}

/// A video as the manifests want it, with the content hashes the plan compares.
public struct DesiredVideo: DesiredObject {
    public var address: Address
    public var title: String
    public var description: String?
    public var source: DesiredFile
    public var thumbnail: DesiredFile?
    public var isPublic: Bool
    public var tags: [String]
    /// User metadata in the order written (streamplan's marks are added when sent).
    public var metadata: [MetadataEntry]
    /// nil: the service's default ladder.
    public var qualities: [QualitySpec]?
    /// The profile the qualities came from, when they came from one (for people).
    public var profile: String?
    /// Marks that kinds under the video keep in its metadata (captions, chapters), as the plan found
    /// them: every metadata write of the video carries them, so that an update keeps them. nil: none.
    public var carriedMarks: [MetadataEntry]?
    /// The player theme the manifests give the video (`player.NAME`); nil: none named.
    public var player: Address?
    /// `type: audio`; nil: a video (the default, and every plan saved before audio media).
    public var mediaType: MediaType?
    /// The watermark set at creation; nil: none.
    public var watermark: WatermarkSpec?
    /// The HLS segment length set at creation, in seconds; nil: the service's default.
    public var segmentDuration: Int?

    enum CodingKeys: String, CodingKey {
        case address, title, description, source, thumbnail, tags, metadata, qualities, profile, player, watermark
        case isPublic = "is_public"
        case carriedMarks = "carried_marks"
        case mediaType = "media_type"
        case segmentDuration = "segment_duration"
    }

    public init(spec: VideoSpec, sourceSHA256: String?, thumbnailSHA256: String?, sourceIdentity: FileIdentity? = nil) {
        address = Address(.video, spec.name)
        title = spec.title
        description = spec.description
        source = DesiredFile(spec.source, sha256: sourceSHA256, identity: sourceIdentity)
        thumbnail = spec.thumbnail.flatMap { file in thumbnailSHA256.map { DesiredFile(file, sha256: $0) } }
        isPublic = spec.isPublic
        tags = spec.tags
        metadata = spec.metadata
        qualities = spec.qualities
        profile = spec.profile
        player = spec.player.map { Address(.player, $0) }
        mediaType = spec.mediaType == .video ? nil : spec.mediaType
        watermark = spec.watermark
        segmentDuration = spec.segmentDuration
    }

    /// The value of the create-options mark, nil when every create-time field is the default.
    public var createOptionsMark: String? {
        OwnershipMark.createOptions(type: mediaType ?? .video, watermark: watermark, segmentDuration: segmentDuration)
    }

    /// nil until the source is hashed (see `DesiredFile`).
    public var sourceSHA256: String? { source.sha256 }
    /// The value of the source mark: the source's hash, or while it is not known (a video whose
    /// upload is under way) the pending mark that pins the file by its identity.
    public var sourceMark: String { source.sha256 ?? OwnershipMark.pendingSource(source.identity) }
    public var thumbnailSHA256: String? { thumbnail?.sha256 }
    public var qualitiesSHA256: String { OwnershipMark.qualitiesHash(qualities) }

    /// The full metadata to send: the user's entries, then the ownership marks (the source mark is
    /// pending while the source is not hashed).
    public func metadata(project: String) -> [MetadataEntry] {
        var entries = metadata
        entries.append(MetadataEntry(key: OwnershipMark.project, value: project))
        entries.append(MetadataEntry(key: OwnershipMark.address, value: address.description))
        entries.append(MetadataEntry(key: OwnershipMark.sourceSHA256, value: sourceMark))
        entries.append(MetadataEntry(key: OwnershipMark.qualitiesSHA256, value: qualitiesSHA256))
        if let thumbnailSHA256 {
            entries.append(MetadataEntry(key: OwnershipMark.thumbnailSHA256, value: thumbnailSHA256))
        }
        if let createOptionsMark {
            entries.append(MetadataEntry(key: OwnershipMark.createOptions, value: createOptionsMark))
        }
        entries.append(MetadataEntry(key: OwnershipMark.appliedSHA256, value: appliedSHA256))
        entries += carriedMarks ?? []
        return entries
    }

    /// The hash `streamplan.applied_sha256` records: title, description, visibility, tags (as a set)
    /// and metadata (as a set of pairs), 16 hex digits.
    public var appliedSHA256: String {
        var text = "title=\(title)\ndescription=\(description ?? "")\nis_public=\(isPublic)\n"
        text += "tags=" + tags.sorted().joined(separator: "\u{1F}") + "\n"
        text += "metadata=" + metadata.map { "\($0.key)\u{1E}\($0.value)" }.sorted().joined(separator: "\u{1F}")
        return OwnershipMark.hex(SHA256.hash(data: Data(text.utf8)).prefix(8))
    }
}

/// A live stream key as the manifests want it. Never a stream key or an RTMP URL: those are made by
/// the service and are not desired state.
public struct DesiredLiveKey: DesiredObject {
    public var address: Address
    /// The key's name on the service.
    public var name: String
    public var save: Bool
    /// `video` or `audio`; nil: not written (never compared; the service's default on create).
    public var type: String?
    /// The key's thumbnail and its hash (set by `Applier.desired`); nil: none wanted.
    public var thumbnail: DesiredFile?

    public init(_ spec: LiveStreamSpec, thumbnailSHA256: String? = nil) {
        address = Address(.liveStream, spec.name)
        name = spec.displayName
        save = spec.save
        type = spec.type
        thumbnail = spec.thumbnail.flatMap { file in thumbnailSHA256.map { DesiredFile(file, sha256: $0) } }
    }

    public init(address: Address, name: String, save: Bool, type: String? = nil, thumbnail: DesiredFile? = nil) {
        self.address = address
        self.name = name
        self.save = save
        self.type = type
        self.thumbnail = thumbnail
    }
}

/// A streaming under a live stream key, as the manifests want it.
public struct DesiredStreaming: DesiredObject {
    public var address: Address
    public var title: String
    public var save: Bool
    /// Resolutions; empty: the service's defaults.
    public var qualities: [String]

    public init(_ spec: StreamingSpec) {
        address = Address(.streaming, spec.name, parent: Address(.liveStream, spec.liveStream))
        title = spec.title
        save = spec.save
        qualities = spec.qualities
    }

    public init(address: Address, title: String, save: Bool, qualities: [String]) {
        self.address = address
        self.title = title
        self.save = save
        self.qualities = qualities
    }
}

extension DesiredValue {
    public static func video(_ value: DesiredVideo) -> DesiredValue { DesiredValue(value) }
    public var video: DesiredVideo? { value as? DesiredVideo }
}

extension DesiredVideo {
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredVideo {
        var copy = self
        copy.source = transform(source)
        copy.thumbnail = thumbnail.map(transform)
        return copy
    }
}

extension DesiredValue {
    public static func liveKey(_ value: DesiredLiveKey) -> DesiredValue { DesiredValue(value) }
    public var liveKey: DesiredLiveKey? { value as? DesiredLiveKey }
}

extension DesiredLiveKey {
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredLiveKey {
        var copy = self
        copy.thumbnail = thumbnail.map(transform)
        return copy
    }
}

extension DesiredValue {
    public static func streaming(_ value: DesiredStreaming) -> DesiredValue { DesiredValue(value) }
    public var streaming: DesiredStreaming? { value as? DesiredStreaming }
}

/// Everything the manifests want, per kind, with content hashes.
public struct DesiredState: Sendable, Hashable {
    public var project: String
    public var videos: [DesiredVideo]
    public var liveKeys: [DesiredLiveKey]
    public var streamings: [DesiredStreaming]
    /// Objects to adopt (`import:` blocks): the id on the service for each address.
    public var imports: [Address: String] = [:]
    /// Captions and chapters of the videos, with their files' hashes.
    public var textTracks: [DesiredTextTrack] = []
    public var webhooks: [DesiredWebhook] = []
    /// Playlists, with their thumbnails' hashes (set by `Applier.desired`).
    public var playlists: [DesiredPlaylist] = []
    /// Player themes (`players:`), with their logos' hashes.
    public var players: [DesiredPlayer] = []
    /// Restream destinations of the keys (`restream:`).
    public var restreams: [DesiredRestream] = []
    /// Saved recordings of the keys the manifests manage (`recordings:`).
    public var recordings: [DesiredRecording] = []
    /// Fields for every recording of a key (`recording_defaults:`), by the key's address.
    public var recordingDefaults: [Address: DesiredRecordingDefaults] = [:]
    /// `moved:` blocks: the object managed at `from` is now the manifests' `to`.
    public var moves: [DesiredMove] = []
    /// Objects with `protect: true`.
    public var protected: Set<Address> = []
    /// Fields each object leaves to the dashboard (`ignore:`).
    public var ignored: [Address: Set<String>] = [:]

    public init(
        project: String, videos: [DesiredVideo] = [], liveKeys: [DesiredLiveKey] = [],
        streamings: [DesiredStreaming] = []
    ) {
        self.project = project
        self.videos = videos
        self.liveKeys = liveKeys
        self.streamings = streamings
    }

    /// The desired state of `manifest`, given each video's content hashes.
    public init(_ manifest: Manifest, videos: [DesiredVideo]) {
        self.init(
            project: manifest.project, videos: videos, liveKeys: manifest.liveStreams.map { DesiredLiveKey($0) },
            streamings: manifest.liveStreams.flatMap { $0.streamings.map(DesiredStreaming.init) })
        webhooks = manifest.webhooks.map(DesiredWebhook.init)
        restreams = manifest.liveStreams.flatMap { $0.restreams.map(DesiredRestream.init) }
        for key in manifest.liveStreams {
            let defaults = key.recordingDefaults.map(DesiredRecordingDefaults.init)
            if let defaults { recordingDefaults[Address(.liveStream, key.name)] = defaults }
            recordings += key.recordings.map { DesiredRecording($0, defaults: defaults) }
        }
        for spec in manifest.imports {
            if let address = Address(parsing: spec.to) { imports[address] = spec.id }
        }
        moves = manifest.moves.compactMap { move in
            guard let from = Address(parsing: move.from), let to = Address(parsing: move.to) else { return nil }
            return DesiredMove(from: from, to: to)
        }
        for (text, spec) in manifest.lifecycle {
            guard let address = Address(parsing: text) else { continue }
            if spec.protect { protected.insert(address) }
            if !spec.ignore.isEmpty { ignored[address] = Set(spec.ignore) }
        }
    }

    /// Every address the manifests define, of every kind.
    public var definedAddresses: Set<Address> {
        var all = Set(videos.map(\.address))
        all.formUnion(liveKeys.map(\.address))
        all.formUnion(streamings.map(\.address))
        all.formUnion(webhooks.map(\.address))
        all.formUnion(playlists.map(\.address))
        all.formUnion(players.map(\.address))
        all.formUnion(restreams.map(\.address))
        all.formUnion(recordings.map(\.address))
        return all
    }
}

/// A `moved:` block.
public struct DesiredMove: Sendable, Hashable {
    public var from: Address
    public var to: Address

    public init(from: Address, to: Address) {
        self.from = from
        self.to = to
    }
}
