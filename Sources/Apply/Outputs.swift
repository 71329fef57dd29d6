import Foundation
public import Manifest
public import Planning
import Providers

/// What `streamplan output` prints and `apply --outputs FILE` writes: every managed object of the
/// project with its id, status and links, as the account has them (schemas/outputs.schema.json).
public struct OutputDocument: Sendable, Hashable, Codable {
    /// Bumped only when a field changes meaning or disappears; new optional fields keep it.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var project: String
    /// The service the links come from (`AIOZ Stream`).
    public var service: String
    /// Sorted by address.
    public var objects: [OutputObject]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case project, service, objects
    }

    public init(project: String, service: String, objects: [OutputObject]) {
        formatVersion = Self.currentFormatVersion
        self.project = project
        self.service = service
        self.objects = objects.sorted { $0.address < $1.address }
    }

    /// The document as JSON: keys sorted, two-space indentation, a final newline.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The objects at `addresses` and under them (a video's captions and chapters, a key's
    /// streamings); throws naming the first address that is not managed.
    public func selecting(_ addresses: [String]) throws -> OutputDocument {
        guard !addresses.isEmpty else { return self }
        for address in addresses where !objects.contains(where: { $0.address == address }) {
            throw OutputError.notManaged(address: address, project: project)
        }
        var copy = self
        copy.objects = objects.filter { object in
            addresses.contains { object.address == $0 || object.address.hasPrefix($0 + ".") }
        }
        return copy
    }
}

public enum OutputError: Error, CustomStringConvertible {
    case notManaged(address: String, project: String)

    public var description: String {
        switch self {
        case .notManaged(let address, let project): "\(address) is not managed by project \(project)"
        }
    }
}

/// One managed object in the outputs.
public struct OutputObject: Sendable, Hashable, Codable {
    public var address: String
    /// The address's kind: video, caption, chapter, live_stream, streaming, restream, webhook, playlist, player.
    public var kind: String
    /// Nil while its create is pending (an interrupted apply).
    public var id: String?
    /// The service's word (a video's `done`, a streaming's `created`), `idle` or `broadcasting` for
    /// a key, `present` for kinds without one; `missing` when the account no longer has it,
    /// `pending` when its create never finished.
    public var status: String
    /// Its title or name on the account.
    public var name: String?
    /// Link name → URL, as the account gives them (only non-empty ones).
    public var links: [String: String]
    /// A playlist's videos, in order (their addresses, or ids for videos the project does not manage).
    public var videos: [String]?
    /// A caption shown by default.
    public var isDefault: Bool?
    /// A webhook's URL, masked as plans mask it, and its events.
    public var url: String?
    public var events: [String]?
    /// A live stream key's secrets: only with `--reveal`, never in a file.
    public var streamKey: String?
    public var rtmpURL: String?

    enum CodingKeys: String, CodingKey {
        case address, kind, id, status, name, links, videos, url, events
        case isDefault = "default"
        case streamKey = "stream_key"
        case rtmpURL = "rtmp_url"
    }

    public init(address: Address, id: String?, status: String, name: String? = nil, links: [String: String?] = [:]) {
        self.address = address.description
        kind = address.kind.rawValue
        self.id = id
        self.status = status
        self.name = name
        self.links = links.compactMapValues { $0.flatMap { $0.isEmpty ? nil : $0 } }
    }
}

extension Applier {
    /// Reads every managed object of `manifest`'s project from the account. `link` rewrites each
    /// link (the CLI points the embedded sandbox's at the port `streamplan sandbox` serves on).
    /// With `reveal`, the live stream keys' secrets are read too.
    public func outputs(_ manifest: Manifest, reveal: Bool = false, link: @Sendable (String) -> String = { $0 })
        async throws -> OutputDocument
    {
        let observation = try await observe(try await desired(manifest))
        var objects: [OutputObject] = []
        var videoAddresses: [String: String] = [:]
        for video in observation.videos where video.state != .deleted && video.isMarked(project: project) {
            guard let text = video.mark(OwnershipMark.address), let address = Address(parsing: text),
                address.kind == .video, videoAddresses.values.contains(text) == false
            else { continue }
            videoAddresses[video.id] = text
            objects.append(Self.output(video, address))
            for kind in TextTrackKind.allCases {
                let tracks = observation.textTracks[video.id]?[kind] ?? []
                for (language, hash) in TextTrackMark(kind, of: video).entries {
                    let trackAddress = Address(kind == .caption ? .caption : .chapter, language, parent: address)
                    guard let track = tracks.first(where: { $0.language == language }) else {
                        let status = hash == TextTrackMark.pending ? "pending" : "missing"
                        objects.append(OutputObject(address: trackAddress, id: nil, status: status))
                        continue
                    }
                    var object = OutputObject(
                        address: trackAddress, id: "\(video.id)/\(kind.plural)/\(language)", status: "present",
                        links: ["vtt": track.url])
                    if kind == .caption { object.isDefault = track.isDefault }
                    objects.append(object)
                }
            }
        }
        objects += try await liveOutputs(observation, reveal: reveal)
        // A webhook the manifests call public (`public_url: true`) is shown whole when the account
        // holds exactly the manifests' URL; any other URL stays masked.
        let publicURLs = Set(manifest.webhooks.filter(\.publicURL).map(\.url))
        objects += registered(.webhook, observation) { address, id in
            observation.webhooks[id].map { hook in
                var object = OutputObject(address: address, id: id, status: "present", name: hook.name)
                object.url = publicURLs.contains(hook.url) ? hook.url : WebhookURL.masked(hook.url)
                object.events = hook.events.map(\.rawValue)
                return object
            }
        }
        objects += registered(.player, observation) { address, id in
            observation.players[id].map {
                OutputObject(address: address, id: id, status: "present", name: $0.name, links: ["logo": $0.logoImageLink])
            }
        }
        for playlist in observation.playlists where playlist.mark(OwnershipMark.project) == project {
            guard let text = playlist.mark(OwnershipMark.address), let address = Address(parsing: text),
                address.kind == .playlist
            else { continue }
            var object = OutputObject(
                address: address, id: playlist.id, status: "present", name: playlist.name,
                links: ["playlist": playlist.playlistURL, "thumbnail": playlist.thumbnailURL])
            object.videos = playlist.items.map { videoAddresses[$0.videoID] ?? $0.videoID }
            objects.append(object)
        }
        for index in objects.indices { objects[index].links = objects[index].links.mapValues(link) }
        return OutputDocument(project: project, service: provider.serviceName, objects: objects)
    }

    private static func output(_ video: RemoteVideo, _ address: Address) -> OutputObject {
        let links = video.links
        return OutputObject(
            address: address, id: video.id, status: video.state.rawValue, name: video.title,
            links: [
                "hls": links.hls, "dash": links.dash, "player": links.player, "dash_player": links.dashPlayer,
                "mp4": links.mp4, "thumbnail": links.thumbnail,
            ])
    }

    /// The registry's addresses of `kind`: `found` builds each one's object from its address and
    /// id; nil means the account no longer has it.
    private func registered(
        _ kind: ResourceKind, _ observation: Observation, under parent: Address? = nil,
        _ found: (Address, String) -> OutputObject?
    ) -> [OutputObject] {
        observation.registry.addresses(of: kind, under: parent).map { address in
            guard let id = observation.registry.id(address) else {
                return OutputObject(address: address, id: nil, status: "pending")
            }
            return found(address, id) ?? OutputObject(address: address, id: id, status: "missing")
        }
    }

    private func liveOutputs(_ observation: Observation, reveal: Bool) async throws -> [OutputObject] {
        var objects: [OutputObject] = []
        for address in observation.registry.addresses(of: .liveStream) {
            let id = observation.registry.id(address)
            let key = id.flatMap { observation.liveKeys[$0] }
            var object = OutputObject(address: address, id: id, status: id == nil ? "pending" : "missing")
            if let key {
                object.status = key.isBroadcasting ? "broadcasting" : "idle"
                object.name = key.name
                if reveal, let secrets = try await provider.liveKeySecrets(id: key.id) {
                    object.streamKey = secrets.streamKey
                    object.rtmpURL = secrets.rtmpURL
                }
            }
            objects.append(object)
            objects += registered(.streaming, observation, under: address) { streamingAddress, streamingID in
                key?.streamings.first { $0.id == streamingID }.map {
                    OutputObject(address: streamingAddress, id: $0.id, status: $0.state.rawValue, name: $0.title)
                }
            }
            // Restream destinations: their id is their URL's hash, their URL shown masked.
            objects += registered(.restream, observation, under: address) { restreamAddress, hash in
                key?.restreams?.first { $0.urlHash == hash }.map {
                    var object = OutputObject(address: restreamAddress, id: hash, status: "present")
                    object.url = $0.maskedURL
                    return object
                }
            }
        }
        return objects
    }
}
