import Apply
import ArgumentParser
import Manifest
import Planning
import Providers

/// `streamplan show ADDRESS`: one managed object of any kind, as the account has it. A live stream
/// key's secrets are masked unless --reveal; a webhook's URL is always masked (unless the manifest
/// says `public_url: true`).
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one managed object (video, caption, chapter, player, playlist, webhook, live key, streaming, recording).",
        discussion: """
            The project is read from the manifests, the object from the account. A video is shown with its \
            tags, metadata, captions and chapters, a playlist with its tags, metadata and videos in order \
            (streamplan's own marks left out), a webhook with its URL masked (whole \
            only when the manifest says public_url: true and the account holds that URL). Without --reveal, \
            a live stream key's stream_key and rtmp_url are masked. With --reveal they are printed to \
            standard output only, to configure an encoder (OBS and the like); streamplan never writes them \
            to a file or a log.

            Examples:
              streamplan show video.intro --sandbox
              streamplan show playlist.course
              streamplan show webhook.encoded
              streamplan show live_stream.townhall --reveal
              streamplan show live_stream.townhall.streaming.kickoff
              streamplan show live_stream.townhall.recording.replay
            """
    )

    @Argument(
        help: """
            The address: video.NAME, video.NAME.caption.LANG, video.NAME.chapter.LANG, player.NAME, \
            playlist.NAME, webhook.NAME, live_stream.NAME, live_stream.NAME.streaming.NAME or \
            live_stream.NAME.recording.NAME.
            """)
    var address: String

    @Argument(help: "Manifest files or directories (for the project).")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print a live stream key's stream key and RTMP URL in clear (to stdout only).")
    var reveal = false

    static let masked = "********"

    func validate() throws {
        guard Address(parsing: address) != nil else {
            throw ValidationError(
                "show takes an address: video.NAME[.caption.LANG|.chapter.LANG], player.NAME, playlist.NAME, "
                    + "webhook.NAME, live_stream.NAME, live_stream.NAME.streaming.NAME, live_stream.NAME.restream.NAME "
                    + "or live_stream.NAME.recording.NAME")
        }
    }

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let address = address
        let reveal = reveal
        let connection = connection
        let text = try await connection.withProvider(manifest.provider) { provider -> String? in
            guard let wanted = Address(parsing: address) else { return nil }
            if wanted.kind == .recording {
                return try await Self.recording(
                    wanted, manifest: manifest, provider: provider, link: { connection.printedLink($0) })
            }
            if wanted.root.kind == .liveStream {
                return try await Self.live(wanted, provider: provider, project: manifest.project, reveal: reveal)
            }
            let document = try await Applier(provider: provider, project: manifest.project).outputs(
                manifest, link: { connection.printedLink($0) })
            guard let object = document.objects.first(where: { $0.address == address }) else { return nil }
            let under = document.objects.filter { $0.address.hasPrefix(address + ".") }
            return try await Self.detail(object, under: under, document: document, provider: provider)
        }
        guard let text else {
            Terminal.stderr(
                "error: \(address) is not managed by project \(manifest.project) (or no longer exists on AIOZ Stream)")
            throw ExitCode.failure
        }
        Terminal.stdout(text, newline: false)
    }

    /// A live stream key (secrets masked unless `reveal`) or one of its streamings.
    static func live(_ wanted: Address, provider: any Provider, project: String, reveal: Bool) async throws -> String? {
        let entries = await (try Registry.load(project: project, provider: provider)).entries
        guard let keyID = entries.id(wanted.root), let key = try await provider.liveKey(id: keyID) else { return nil }
        if wanted.kind == .restream {
            // Masked even with --reveal: the destination's stream key is the user's, in the environment.
            guard let hash = entries.id(wanted),
                let url = try await provider.restreamURLs(keyID: keyID)?.first(where: { DesiredRestream.urlHash($0) == hash })
            else { return nil }
            return "\(wanted) (url hash \(hash))\n  url:        \(RestreamURL.masked(url))\n"
                + "  key:        \(wanted.root) (id \(keyID))\n"
        }
        let streamings = try await provider.streamings(keyID: keyID)
        if wanted != wanted.root {
            guard let id = entries.id(wanted), let s = streamings.first(where: { $0.id == id }) else { return nil }
            return LiveText.streaming(wanted.description, s) + "  key:        \(wanted.root) (id \(keyID))\n"
        }
        let secrets = reveal ? try await provider.liveKeySecrets(id: keyID) : nil
        var out = "\(wanted) (id \(key.id))\n"
        out += "  name:       \(key.name)\n"
        out += "  save:       \(key.save)\n"
        out += "  type:       \(key.type ?? DesiredLiveKey.defaultType)\n"
        // The service shows no thumbnail of a key: what the registry records streamplan uploaded.
        if let mark = entries.entry(DesiredLiveKey.thumbnailEntry(wanted)) {
            out +=
                "  thumbnail:  \(mark.replacingOccurrences(of: "sha256:", with: "sha256 ").prefix(19)) (uploaded by streamplan)\n"
        }
        out += "  stream_key: \(secrets?.streamKey ?? Self.masked)\n"
        out += "  rtmp_url:   \(secrets?.rtmpURL ?? Self.masked)\n"
        if !reveal { out += "  (secrets masked; add --reveal to print them)\n" }
        out += "  streamings:\(streamings.isEmpty ? " none" : "")\n"
        for s in streamings {
            out += "    " + LiveText.streamingLine(entries.address(of: s.id)?.description ?? "(not managed)", s) + "\n"
        }
        let restreams = entries.addresses(of: .restream, under: wanted)
        if !restreams.isEmpty {
            let urls = try await provider.restreamURLs(keyID: keyID) ?? []
            out += "  restream destinations:\n"
            for restream in restreams {
                let url = entries.id(restream).flatMap { hash in urls.first { DesiredRestream.urlHash($0) == hash } }
                out += "    \(restream): \(url.map(RestreamURL.masked) ?? "missing (apply adds it again)")\n"
            }
        }
        return out
    }

    /// One object of the other kinds: what the outputs hold, and what the account adds for the kind
    /// (a video's description, visibility, tags and player; a player theme's theme and controls).
    static func detail(_ object: OutputObject, under: [OutputObject], document: OutputDocument, provider: any Provider)
        async throws -> String
    {
        func field(_ name: String, _ value: String) -> String {
            "  \(name):" + String(repeating: " ", count: max(1, 11 - name.count)) + value + "\n"
        }
        var out = object.address + (object.id.map { " (id \($0))" } ?? "") + "\n"
        if let name = object.name {
            out += field(object.kind == ResourceKind.video.rawValue ? "title" : "name", name)
        }
        out += field("status", object.status)
        let kind = ResourceKind(rawValue: object.kind)
        if kind == .video, let id = object.id, let video = try await provider.video(id: id) {
            out += field("public", String(video.isPublic))
            if !video.description.isEmpty { out += field("description", video.description) }
            out += field("tags", "[\(video.tags.joined(separator: ", "))]")
            out += field("metadata", Self.entries(video.userMetadata))
            if let playerID = video.playerID, !playerID.isEmpty {
                let player = document.objects.first { $0.kind == ResourceKind.player.rawValue && $0.id == playerID }
                out += field("player", (player.map { "\($0.address) " } ?? "") + "(id \(playerID))")
            }
        }
        if kind == .player, let id = object.id, let player = try await provider.player(id: id) {
            let theme = player.theme.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            out += field("theme", "{" + theme.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}")
            let controls = player.controls.sorted { $0.key < $1.key }
            out += field("controls", "{" + controls.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}")
            if let link = player.logoLink, !link.isEmpty { out += field("logo link", link) }
        }
        if kind == .playlist, let id = object.id, let playlists = provider as? any PlaylistProvider,
            let playlist = try await playlists.playlist(id: id)
        {
            out += field("tags", "[\(playlist.tags.joined(separator: ", "))]")
            out += field("metadata", Self.entries(playlist.metadata.filter { !$0.key.hasPrefix("streamplan.") }))
            if let type = playlist.type, !type.isEmpty { out += field("type", type) }
        }
        if object.isDefault != nil { out += field("default", String(object.isDefault == true)) }
        if let url = object.url { out += field("url", url) }
        if let events = object.events { out += field("events", "[\(events.joined(separator: ", "))]") }
        if let videos = object.videos {
            out += "  videos (in order):\(videos.isEmpty ? " none" : "")\n"
            for (index, video) in videos.enumerated() { out += "    \(index + 1). \(video)\n" }
        }
        let names = object.links.keys.sorted {
            (OutputCommand.linkOrder.firstIndex(of: $0) ?? OutputCommand.linkOrder.count, $0)
                < (OutputCommand.linkOrder.firstIndex(of: $1) ?? OutputCommand.linkOrder.count, $1)
        }
        if !names.isEmpty { out += "  links:\n" }
        for name in names { out += "    \(name): \(object.links[name]!)\n" }
        for (trackKind, heading) in [(ResourceKind.caption, "captions"), (.chapter, "chapters")] where kind == .video {
            let tracks = under.filter { $0.kind == trackKind.rawValue }
            out += "  \(heading):\(tracks.isEmpty ? " none" : "")\n"
            for track in tracks {
                out += "    \(track.address)" + (track.isDefault == true ? " (default)" : "") + ": \(track.status)"
                out += (track.links["vtt"].map { ", \($0)" } ?? "") + "\n"
            }
        }
        return out
    }
}

extension ShowCommand {
    /// Metadata as the manifests write it: `{key: value, …}` in the object's order.
    static func entries(_ metadata: [MetadataEntry]) -> String {
        "{" + metadata.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
}

/// Text forms of live objects, never with secrets.
enum LiveText {
    static func streamingLine(_ name: String, _ s: RemoteStreaming) -> String {
        "\(name) (id \(s.id)): \"\(s.title)\", status \(s.state), save \(s.save), qualities [\(s.qualities.joined(separator: ", "))]"
    }

    static func streaming(_ address: String, _ s: RemoteStreaming) -> String {
        "\(address) (id \(s.id))\n  title:      \(s.title)\n  save:       \(s.save)\n  status:     \(s.state)\n"
            + "  qualities:  [\(s.qualities.joined(separator: ", "))]\n"
    }
}
