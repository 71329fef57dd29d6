import Apply
import ArgumentParser
import Manifest
import Planning
import Providers

/// `streamplan status`: every managed object, kind by kind (videos with their captions and chapters,
/// player themes, playlists, webhooks), then each live stream key with its streamings and saved recordings.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List every managed object: videos (captions, chapters), players, playlists, webhooks, live keys.",
        discussion: """
            Reads the project from the manifests and every object it manages from the account: videos with \
            their captions and chapters, player themes, playlists (their videos in order), webhooks (URLs \
            masked, unless the manifest says public_url: true), then each live stream key with its \
            streamings and saved recordings (links and statuses). Never prints stream keys, RTMP URLs or a \
            webhook URL's credentials (see `streamplan show --reveal` for a key's secrets).

            Examples:
              streamplan status --sandbox
              streamplan status manifests/
            """
    )

    @Argument(help: "Manifest files or directories (for the project).")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let connection = connection
        let text = try await connection.withProvider(manifest.provider) { provider -> String in
            let document = try await Applier(provider: provider, project: manifest.project).outputs(
                manifest, link: { connection.printedLink($0) })
            return Self.objects(document) + (try await liveKeys(provider, project: manifest.project, manifest: manifest))
        }
        Terminal.stdout(text, newline: false)
        connection.printSandboxAfterword()
    }

    /// The kinds listed before the live keys, in this order, with their headings.
    static let sections: [(kind: ResourceKind, heading: String)] = [
        (.video, "Videos"), (.player, "Player themes"), (.playlist, "Playlists"), (.webhook, "Webhooks"),
    ]

    /// Videos (each with its captions and chapters), player themes, playlists and webhooks: one line each.
    static func objects(_ document: OutputDocument) -> String {
        var out = "Objects of project \(document.project) on \(document.service):\n"
        for (kind, heading) in sections {
            let objects = document.objects.filter { $0.kind == kind.rawValue }
            out += "\n\(heading) (\(objects.count)):\(objects.isEmpty ? " none" : "")\n"
            for object in objects {
                out += "  " + ObjectText.line(object) + "\n"
                guard kind == .video else { continue }
                if let player = object.links["player"] { out += "    player: \(player)\n" }
                for trackKind in [ResourceKind.caption, .chapter] {
                    let tracks = document.objects.filter {
                        $0.kind == trackKind.rawValue && $0.address.hasPrefix(object.address + ".")
                    }
                    guard !tracks.isEmpty else { continue }
                    out += "    \(trackKind == .caption ? "captions" : "chapters"): "
                    out += tracks.map(ObjectText.trackSummary).joined(separator: ", ") + "\n"
                }
            }
        }
        return out
    }

    /// Each managed live stream key with its streamings and saved recordings.
    private func liveKeys(_ provider: any Provider, project: String, manifest: Manifest) async throws -> String {
        let entries = await (try Registry.load(project: project, provider: provider)).entries
        let keys = entries.addresses(of: .liveStream)
        guard !keys.isEmpty else { return "\nLive stream keys (0): none\n" }
        var out = "\nLive stream keys (\(keys.count)):\n"
        for address in keys {
            guard let id = entries.id(address) else {
                out += "\n\(address): being created (an apply was interrupted; run apply again)\n"
                continue
            }
            guard let key = try await provider.liveKey(id: id) else {
                out += "\n\(address) (id \(id)): missing on \(provider.serviceName) (apply creates it again)\n"
                continue
            }
            let observed = ObservedLiveKey(key, streamings: try await provider.streamings(keyID: id))
            out +=
                "\n\(address) (id \(id)): \"\(key.name)\", save \(key.save)"
                + (observed.isBroadcasting ? ", BROADCASTING" : "") + "\n"
            out += "  streamings:\(observed.streamings.isEmpty ? " none" : "")\n"
            for s in observed.streamings {
                out += "    " + LiveText.streamingLine(entries.address(of: s.id)?.description ?? "(not managed)", s) + "\n"
            }
            let restreams = entries.addresses(of: .restream, under: address)
            if !restreams.isEmpty {
                // Shown masked: a destination's URL carries its stream key.
                let urls = try await provider.restreamURLs(keyID: id) ?? []
                let byHash = Dictionary(urls.map { (DesiredRestream.urlHash($0), $0) }, uniquingKeysWith: { a, _ in a })
                out += "  restream destinations:\n"
                for restream in restreams {
                    guard let hash = entries.id(restream), let url = byHash[hash] else {
                        out += "    \(restream): missing (apply adds it again)\n"
                        continue
                    }
                    out += "    \(restream): \(RestreamURL.masked(url))\n"
                }
                let others = urls.count - restreams.filter { entries.id($0).map { byHash[$0] != nil } ?? false }.count
                if others > 0 { out += "    and \(others) not managed by streamplan\n" }
            }
            let recordings = try await provider.savedRecordings(keyID: id)
            out += "  saved recordings:\(recordings.isEmpty ? " none" : "")\n"
            let managed = Self.managedRecordings(
                manifest, key: address, ObservedLiveKey(key, streamings: observed.streamings, recordings: recordings), entries)
            for r in recordings { out += recordingLines(r, managedAs: r.video.flatMap { managed[$0.id] }) }
        }
        return out
    }

    private func recordingLines(_ r: RemoteRecording, managedAs address: Address?) -> String {
        var out = "    \"\(r.title)\" (streaming \(r.streamingID)), status \(r.status ?? "?")"
        if let video = r.video {
            out += ", video \(video.id) \(video.state)" + (address.map { ", managed as \($0)" } ?? "") + "\n"
            let links: [(String, String?)] = [("hls", video.links.hls), ("player", video.links.player), ("mp4", video.links.mp4)]
            for (name, url) in links {
                if let url, !url.isEmpty { out += "      \(name): \(connection.printedLink(url))\n" }
            }
        } else {
            out += "\n"
        }
        return out
    }
}

/// Text forms of managed objects as `OutputDocument` holds them: never a secret (webhook URLs come
/// masked from it, unless the manifest calls them public; live keys' secrets are never read here).
enum ObjectText {
    /// `ADDRESS (id ID): "NAME", STATUS` and what the kind adds (a playlist's videos, a webhook's URL).
    static func line(_ object: OutputObject) -> String {
        var out = object.address + (object.id.map { " (id \($0))" } ?? "") + ":"
        out += (object.name.map { " \"\($0)\"," } ?? "") + " \(object.status)"
        if let videos = object.videos {
            out += ", \(videos.count) video\(videos.count == 1 ? "" : "s") in order: [\(videos.joined(separator: ", "))]"
        }
        if let url = object.url { out += ", url \(url)" }
        if let events = object.events { out += ", events [\(events.joined(separator: ", "))]" }
        return out
    }

    /// `en (default)`, `vi`, `fr (missing)`: a caption or chapter list by its language.
    static func trackSummary(_ object: OutputObject) -> String {
        let language = object.address.split(separator: ".").last.map(String.init) ?? object.address
        var notes: [String] = []
        if object.isDefault == true { notes.append("default") }
        if object.status != "present" { notes.append(object.status) }
        return language + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))")
    }
}

extension StatusCommand {
    /// The address each of the key's recordings is managed at (`recordings:` entries and
    /// `recording_defaults`), by media id.
    static func managedRecordings(
        _ manifest: Manifest, key: Address, _ observed: ObservedLiveKey, _ registry: RegistryEntries
    ) -> [String: Address] {
        let desired = DesiredState(manifest, videos: [])
        guard desired.recordings.contains(where: { $0.address.parent == key }) || desired.recordingDefaults[key] != nil
        else { return [:] }
        var observation = Observation(registry: registry)
        observation.liveKeys[observed.id] = observed
        var managed: [String: Address] = [:]
        for (address, id) in RecordingPlanner.mediaIDs(desired, observation) where address.parent == key {
            managed[id] = address
        }
        guard desired.recordingDefaults[key] != nil else { return managed }
        for media in observed.recordings?.compactMap(\.video) ?? [] where managed[media.id] == nil {
            guard Names.isValidName(media.id) else { continue }
            managed[media.id] = Address(.recording, media.id, parent: key)
        }
        return managed
    }
}
