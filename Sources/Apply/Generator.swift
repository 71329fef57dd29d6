import Foundation
import Manifest
public import Providers

/// `streamplan generate`: manifests, with `import:` blocks, for what an account holds that no
/// streamplan project manages, so an existing catalogue can be taken under management.
///
/// Unmanaged means: a video without any `streamplan.` metadata (managed videos carry
/// `streamplan.project`; registries and leases carry their own marks), and a live stream key no
/// project's registry claims.
public struct Generator: Sendable {
    public let provider: any Provider

    public init(provider: any Provider) {
        self.provider = provider
    }

    /// What the account holds that nothing manages, each with the manifest name it will get.
    public struct Found: Sendable {
        public var videos: [(name: String, video: RemoteVideo)]
        public var keys: [(name: String, key: RemoteLiveKey)]
        /// The streamings of each unmanaged key (by key id), named within their key.
        public var streamings: [String: [(name: String, streaming: RemoteStreaming)]] = [:]
        /// The captions and chapters of each unmanaged video (by video id).
        public var tracks: [String: [TextTrackKind: [RemoteTextTrack]]] = [:]
        public var players: [(name: String, player: RemotePlayer)] = []
        /// In the account's order, each with its items' videos by generated name.
        public var playlists: [(name: String, playlist: RemotePlaylist)] = []
        /// Playlists left out, with why (an item whose video is not generated here).
        public var skippedPlaylists: [(playlist: RemotePlaylist, reason: String)] = []
        public var webhooks: [(name: String, webhook: RemoteWebhook)] = []

        public init(videos: [(name: String, video: RemoteVideo)], keys: [(name: String, key: RemoteLiveKey)]) {
            self.videos = videos
            self.keys = keys
        }

        /// How many objects the file imports, all kinds together.
        public var count: Int {
            videos.count + keys.count + streamings.values.map(\.count).reduce(0, +) + players.count + playlists.count
                + webhooks.count + tracks.values.flatMap(\.values).map(\.count).reduce(0, +)
        }
    }

    /// Lists the account and names each unmanaged object (a slug of its title, made unique per kind).
    public func scan() async throws -> Found {
        let all = try await provider.videos(markedWith: [])
        // Every id any project's registry names (keys, streamings, players, webhooks).
        var claimed = Set<String>()
        for video in all where video.metadata.contains(where: { $0.key.hasPrefix("streamplan.registry") }) {
            for entry in video.metadata where !entry.key.hasPrefix("streamplan.") { claimed.insert(entry.value) }
        }
        let videos = all.filter { video in
            video.state != .deleted && !video.metadata.contains { $0.key.hasPrefix("streamplan.") }
        }
        let keys = try await provider.allLiveKeys().filter { !claimed.contains($0.id) }
        var namer = Namer()
        var found = Found(
            videos: videos.map { (namer.name(Self.title($0), fallback: "video-" + String($0.id.prefix(8))), $0) },
            keys: [])
        namer = Namer()
        found.keys = keys.map { (namer.name($0.name, fallback: "key-" + String($0.id.prefix(8))), $0) }
        try await scanChildren(into: &found, claimed: claimed)
        try await scanTopLevel(into: &found, claimed: claimed)
        return found
    }

    /// Names unique within one kind: a slug, then `-2`, `-3`, …
    struct Namer {
        var used = Set<String>()

        mutating func name(_ text: String, fallback: String) -> String {
            var slug = Generator.slug(text)
            if slug.isEmpty { slug = fallback }
            var candidate = slug
            var n = 2
            while used.contains(candidate) {
                candidate = String(slug.prefix(60)) + "-\(n)"
                n += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    static func title(_ video: RemoteVideo) -> String { video.title }

    /// A manifest name from free text: lowercase ASCII letters and digits, runs of anything else as
    /// one `-`, at most 64 characters, starting with a letter or digit.
    public static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
                dash = false
            } else if !out.isEmpty, !dash {
                out += "-"
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// The manifest text for `found`: `project`, every kind and their `import:` blocks. `files`
    /// gives the paths written for sources, thumbnails, logos and WebVTT files (relative to the
    /// manifest); what it does not name is written where `--download-sources` would put it, or left
    /// out when optional.
    public static func render(
        project: String, found: Found, files: Files, service: String, date: Date = Date()
    ) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: .gmt, formatOptions: [.withFullDate])
        var out = "# Generated by `streamplan generate` from \(service) on \(day): \(found.count) "
        out += "object\(found.count == 1 ? "" : "s") that no streamplan project managed "
        out += "(\(found.videos.count) video\(found.videos.count == 1 ? "" : "s"), \(found.keys.count) live stream "
        out +=
            "key\(found.keys.count == 1 ? "" : "s"), \(found.players.count) player theme\(found.players.count == 1 ? "" : "s"), "
        out += "\(found.playlists.count) playlist\(found.playlists.count == 1 ? "" : "s"), "
        out += "\(found.webhooks.count) webhook\(found.webhooks.count == 1 ? "" : "s")).\n"
        out += "# Review the names, then `streamplan plan --trust-source` shows only imports (docs/manifests.md).\n"
        out += "project: \(project)\n"
        let sources = files.sources
        out += renderPlayers(found, files)
        if !found.videos.isEmpty {
            out += "videos:\n"
            for (name, video) in found.videos {
                out += "  \(name):  # id \(video.id)\n"
                out += "    title: \(quote(video.title.isEmpty ? name : video.title))\n"
                if !video.description.isEmpty { out += "    description: \(quote(video.description))\n" }
                let audio = video.mediaType == "audio"
                out += "    source: \(quote(sources[video.id] ?? "media/\(name).\(audio ? "m4a" : "mp4")"))\n"
                if audio { out += "    type: audio\n" }
                out += "    is_public: \(video.isPublic)\n"
                if !video.tags.isEmpty { out += "    tags: [\(video.tags.map(quote).joined(separator: ", "))]\n" }
                if !video.metadata.isEmpty {
                    let pairs = video.metadata.map { "\(quote($0.key)): \(quote($0.value))" }
                    out += "    metadata: {\(pairs.joined(separator: ", "))}\n"
                }
                if let thumbnail = files.thumbnails[video.id] { out += "    thumbnail: \(quote(thumbnail))\n" }
                let renditions = video.renditions.map(\.name)
                if !renditions.isEmpty {
                    out += "    # qualities on \(service): \(renditions.joined(separator: ", ")) (kept by the import)\n"
                }
                out += renderTracks(name, video, found, files)
                if let player = video.playerID, let named = found.players.first(where: { $0.player.id == player }) {
                    out += "    player: \(named.name)\n"
                }
            }
        }
        out += renderKeys(found)
        out += renderPlaylists(found)
        out += renderWebhooks(found)
        out += renderImports(found)
        return out
    }

    /// A YAML double-quoted scalar (JSON's escapes are YAML's).
    static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
