import Crypto
import Foundation
public import Manifest
import YAMLNodes

/// A plan written by `plan --out FILE` and executed by `apply FILE` without planning again.
///
/// It holds the plan document (the same as `plan --format json`), the desired state the actions
/// need (so apply reads no manifests), and a fingerprint of every remote object the plan touches.
/// `apply FILE` re-reads only those objects and refuses when any fingerprint no longer holds.
/// No secrets: keys come from the environment at apply time.
public struct SavedPlan: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1
    /// Marks the file as a saved plan (a JSON plan document cannot be applied).
    public static let kindValue = "streamplan-saved-plan"

    public var kind: String
    public var formatVersion: Int
    public var toolVersion: String
    /// SHA-256 over the sorted manifest file paths and contents (informational; see docs/ci.md).
    public var manifestsDigest: String
    public var plan: PlanDocument
    /// The desired state of each video a change creates, replaces, resumes or updates.
    public var videos: [SavedVideo]
    /// The desired state of each live stream key a change touches (the key's own change, or a change
    /// of one of its streamings), with only the streamings that a change creates, replaces or updates.
    /// Never a stream key or an RTMP URL: those are not desired state, and apply does not need them.
    public var liveStreams: [SavedLiveStream]
    /// What the plan saw of each touched remote object, in the order of the changes.
    public var fingerprints: [RemoteFingerprint]

    enum CodingKeys: String, CodingKey {
        case kind, plan, videos, fingerprints
        case formatVersion = "format_version", toolVersion = "tool_version", manifestsDigest = "manifests_digest"
        case liveStreams = "live_streams"
    }

    public init(plan: Plan, partial: PartialPlan?, manifestsDigest: String, videos: [SavedVideo],
                liveStreams: [SavedLiveStream] = [], fingerprints: [RemoteFingerprint]) {
        kind = Self.kindValue
        formatVersion = Self.currentFormatVersion
        toolVersion = ToolVersion.current
        self.manifestsDigest = manifestsDigest
        self.plan = PlanDocument(plan, partial: partial)
        self.videos = videos
        self.liveStreams = liveStreams
        self.fingerprints = fingerprints
    }

    // `live_streams` is an optional member added within format_version 1: a file written before it
    // existed had no live changes (they could not be saved), so its absence means none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        toolVersion = try c.decode(String.self, forKey: .toolVersion)
        manifestsDigest = try c.decode(String.self, forKey: .manifestsDigest)
        plan = try c.decode(PlanDocument.self, forKey: .plan)
        videos = try c.decode([SavedVideo].self, forKey: .videos)
        liveStreams = try c.decodeIfPresent([SavedLiveStream].self, forKey: .liveStreams) ?? []
        fingerprints = try c.decode([RemoteFingerprint].self, forKey: .fingerprints)
    }

    public func encoded() throws -> Data {
        var data = try PlanJSON.encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a saved plan, refusing other JSON and other format versions with a sentence.
    public static func decode(_ data: Data, path: String) throws -> SavedPlan {
        struct Header: Decodable {
            var kind: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey { case kind, formatVersion = "format_version" }
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SavedPlanError("\(path) is not a saved plan (not JSON); write one with `streamplan plan --out \(path)`")
        }
        guard header.kind == kindValue else {
            throw SavedPlanError("\(path) is not a saved plan (a `plan --format json` document cannot be applied); "
                + "write one with `streamplan plan --out \(path)`")
        }
        guard header.formatVersion == currentFormatVersion else {
            throw SavedPlanError("\(path) has format_version \(header.formatVersion.map(String.init) ?? "none"); this streamplan "
                + "(\(ToolVersion.current)) applies format_version \(currentFormatVersion) only. Plan again with this version.")
        }
        do {
            return try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch {
            throw SavedPlanError("\(path) is damaged: \(error)")
        }
    }

    /// SHA-256 over the manifest files: each path (as given, sorted), a NUL, its bytes, a NUL.
    public static func manifestsDigest(files: [String]) throws -> String {
        var hasher = SHA256()
        for file in files.sorted() {
            hasher.update(data: Data(file.utf8) + [0])
            hasher.update(data: try Data(contentsOf: URL(fileURLWithPath: file)) + [0])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// An error reading a saved plan.
public struct SavedPlanError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A local file a saved plan uploads, with the hash apply checks before uploading it.
public struct SavedFile: Sendable, Hashable, Codable {
    /// As written in the manifest (for people).
    public var written: String
    /// Relative to the directory `plan` ran in when the file is under it (CI checkouts move), else absolute.
    public var path: String
    public var size: Int64
    public var format: MediaFormat
    public var sha256: String
}

/// The desired state of one video, as a saved plan carries it.
public struct SavedVideo: Sendable, Hashable, Codable {
    public var address: String
    public var name: String
    public var title: String
    public var description: String?
    public var source: SavedFile
    public var thumbnail: SavedFile?
    public var isPublic: Bool
    public var tags: [String]
    public var metadata: [MetadataEntry]
    public var qualities: [QualitySpec]?
    public var profile: String?

    enum CodingKeys: String, CodingKey {
        case address, name, title, description, source, thumbnail, tags, metadata, qualities, profile
        case isPublic = "is_public"
    }

    /// `directory` is where `plan` runs; paths under it are stored relative to it.
    public init(_ desired: DesiredVideo, relativeTo directory: String) {
        let spec = desired.spec
        func file(_ f: LocalFile, _ sha: String) -> SavedFile {
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            let path = f.path.hasPrefix(prefix) ? String(f.path.dropFirst(prefix.count)) : f.path
            return SavedFile(written: f.written, path: path, size: f.size, format: f.format, sha256: sha)
        }
        address = desired.address
        name = spec.name
        title = spec.title
        description = spec.description
        source = file(spec.source, desired.sourceSHA256)
        thumbnail = zip(spec.thumbnail, desired.thumbnailSHA256).map(file)
        isPublic = spec.isPublic
        tags = spec.tags
        metadata = spec.metadata
        qualities = spec.qualities
        profile = spec.profile
    }

    /// The desired video again, with relative paths resolved against `directory` (where apply runs).
    public func desired(relativeTo directory: String) -> DesiredVideo {
        func local(_ f: SavedFile) -> LocalFile {
            let path = f.path.hasPrefix("/") ? f.path : (directory.hasSuffix("/") ? directory : directory + "/") + f.path
            return LocalFile(written: f.written, path: path, size: f.size, format: f.format)
        }
        let spec = VideoSpec(
            name: name, title: title, description: description, source: local(source), thumbnail: thumbnail.map(local),
            isPublic: isPublic, tags: tags, metadata: metadata, qualities: qualities, profile: profile,
            location: SourceLocation(file: "(saved plan)", line: 1, column: 1))
        return DesiredVideo(spec: spec, sourceSHA256: source.sha256, thumbnailSHA256: thumbnail?.sha256)
    }
}

/// The desired state of one live stream key, as a saved plan carries it (no secrets: a key's
/// `stream_key` and `rtmp_url` are made by AIOZ Stream and never desired).
public struct SavedLiveStream: Sendable, Hashable, Codable {
    public var address: String
    public var name: String
    public var displayName: String
    public var save: Bool
    public var streamings: [SavedStreaming]

    enum CodingKeys: String, CodingKey {
        case address, name, save, streamings
        case displayName = "display_name"
    }

    /// `streamings` chooses which of the key's streamings to keep (those a change needs).
    public init(_ spec: LiveStreamSpec, streamings keep: Set<String>) {
        address = spec.address
        name = spec.name
        displayName = spec.displayName
        save = spec.save
        streamings = spec.streamings.filter { keep.contains($0.address) }.map(SavedStreaming.init)
    }

    /// The key's desired state again, as the live executor takes it.
    public var spec: LiveStreamSpec {
        let here = SourceLocation(file: "(saved plan)", line: 1, column: 1)
        return LiveStreamSpec(
            name: name, displayName: displayName, save: save,
            streamings: streamings.map {
                StreamingSpec(name: $0.name, liveStream: name, title: $0.title, save: $0.save, qualities: $0.qualities, location: here)
            },
            location: here)
    }
}

/// The desired state of one streaming under a saved live stream key.
public struct SavedStreaming: Sendable, Hashable, Codable {
    public var address: String
    public var name: String
    public var title: String
    public var save: Bool
    /// Empty: the server's defaults.
    public var qualities: [String]

    public init(_ spec: StreamingSpec) {
        address = spec.address
        name = spec.name
        title = spec.title
        save = spec.save
        qualities = spec.qualities
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// What a plan saw of one remote object it touches.
///
/// For a change on an existing object, `fields` holds the values its action depends on (for a
/// video: title, description, is_public, tags, metadata with the ownership marks, and the status
/// when the action depends on it) plus `updated_at`, which is recorded and shown but not compared
/// on its own: AIOZ moves it for things no action depends on. For a create, `remoteID` is nil and
/// `exists` is false: it holds while no object with the address exists.
public struct RemoteFingerprint: Sendable, Hashable, Codable {
    public var kind: ResourceKind
    public var address: String
    public var remoteID: String?
    public var exists: Bool
    public var fields: [String: String]

    /// Recorded, not compared on its own.
    public static let informational: Set<String> = ["updated_at"]

    enum CodingKeys: String, CodingKey {
        case kind, address, exists, fields
        case remoteID = "remote_id"
    }

    public init(kind: ResourceKind, address: String, remoteID: String?, exists: Bool, fields: [String: String] = [:]) {
        self.kind = kind
        self.address = address
        self.remoteID = remoteID
        self.exists = exists
        self.fields = fields
    }

    /// How `now` differs from what the plan saw, one sentence each; empty when the fingerprint holds.
    public func differences(_ now: RemoteFingerprint) -> [String] {
        let what = remoteID.map { "\(address) (id \($0))" } ?? address
        if exists != now.exists {
            if exists { return ["\(what) was deleted since the plan"] }
            return ["\(address) was created since the plan (now id \(now.remoteID ?? "?")); the plan would create a second one"]
        }
        var out: [String] = []
        for key in Set(fields.keys).union(now.fields.keys).sorted() where !Self.informational.contains(key) {
            let before = fields[key], after = now.fields[key]
            if before != after {
                out.append("\(what): \(key) changed from \(before.map { "\"\($0)\"" } ?? "nothing") to \(after.map { "\"\($0)\"" } ?? "nothing")")
            }
        }
        if !out.isEmpty, let before = fields["updated_at"], let after = now.fields["updated_at"], before != after {
            out.append("\(what): updated_at moved from \(before) to \(after)")
        }
        return out
    }
}

extension RemoteFingerprint {
    /// The fingerprint of an observed video for a change with `action`.
    public static func video(_ video: ObservedVideo, address: String, action: ChangeAction) -> RemoteFingerprint {
        var fields: [String: String] = [
            "title": video.title,
            "description": video.description,
            "is_public": String(video.isPublic),
            "tags": video.tags.sorted().joined(separator: ", "),
            "metadata": video.metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "),
        ]
        if let updated = video.updatedAt { fields["updated_at"] = updated }
        // A resume needs the upload still open; a replace may rest on a failed transcode. An update or
        // delete does not care whether transcoding finished meanwhile.
        if action == .resume || action == .replace { fields["status"] = video.status }
        return RemoteFingerprint(kind: .video, address: address, remoteID: video.id, exists: true, fields: fields)
    }
}

extension RemoteFingerprint {
    /// The address of the live stream key a key or streaming address belongs to.
    public static func liveKeyAddress(of address: String) -> String {
        guard let range = address.range(of: ".streaming.") else { return address }
        return String(address[..<range.lowerBound])
    }

    /// The fingerprint of a live stream key or streaming change, from the project's registry and the
    /// keys read by id (`keys`: id → key with its streamings; an id missing from it no longer exists).
    ///
    /// Every live fingerprint holds `registry_entry`, what the registry records for the address (an
    /// id, `pending:<time>`, or nothing). A key holds `name` and `save`; a key delete also `broadcasting`
    /// and `streamings` (the ids deleted with it). A streaming holds `title`, `save`, `qualities` (as a
    /// set) and `key_id` (its key's registered id, when the key exists); a delete or replace also
    /// `status` (broadcasting or not); an update also `newest` (AIOZ Stream updates only the newest).
    /// A create holds while the registry names no existing object for the address. No secrets: the
    /// observed keys carry none.
    public static func live(_ change: ResourceChange, registry: LiveRegistryEntries, keys: [String: ObservedLiveKey])
        -> RemoteFingerprint
    {
        var fields: [String: String] = [:]
        if let entry = registry.entries[change.address] { fields["registry_entry"] = entry }
        if change.kind == .liveStream {
            guard change.action != .create, let id = change.remoteID else {
                if let id = registry.id(change.address), keys[id] != nil {
                    return RemoteFingerprint(kind: .liveStream, address: change.address, remoteID: id, exists: true, fields: fields)
                }
                return RemoteFingerprint(kind: .liveStream, address: change.address, remoteID: nil, exists: false, fields: fields)
            }
            guard let key = keys[id] else {
                return RemoteFingerprint(kind: .liveStream, address: change.address, remoteID: id, exists: false, fields: fields)
            }
            fields["name"] = key.name
            fields["save"] = String(key.save)
            if change.action == .delete {
                fields["broadcasting"] = String(key.isBroadcasting)
                fields["streamings"] = key.streamings.map(\.id).sorted().joined(separator: ", ")
            }
            return RemoteFingerprint(kind: .liveStream, address: change.address, remoteID: id, exists: true, fields: fields)
        }
        // A streaming.
        let keyAddress = liveKeyAddress(of: change.address)
        let registeredKey = registry.id(keyAddress).flatMap { keys[$0] }
        if let key = registeredKey { fields["key_id"] = key.id }
        guard change.action != .create, let id = change.remoteID else {
            if let id = registry.id(change.address), let key = registeredKey, key.streamings.contains(where: { $0.id == id }) {
                return RemoteFingerprint(kind: .streaming, address: change.address, remoteID: id, exists: true, fields: fields)
            }
            return RemoteFingerprint(kind: .streaming, address: change.address, remoteID: nil, exists: false, fields: fields)
        }
        let parent = change.parentID.flatMap { keys[$0] } ?? registeredKey
        guard let parent, let streaming = parent.streamings.first(where: { $0.id == id }) else {
            return RemoteFingerprint(kind: .streaming, address: change.address, remoteID: id, exists: false, fields: fields)
        }
        fields["title"] = streaming.title
        fields["save"] = String(streaming.save)
        fields["qualities"] = streaming.qualities.sorted().joined(separator: ", ")
        if change.action == .delete || change.action == .replace { fields["status"] = streaming.status }
        if change.action == .update { fields["newest"] = String(parent.latestStreamingID == id) }
        return RemoteFingerprint(kind: .streaming, address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
