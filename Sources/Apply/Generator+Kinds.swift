import Foundation
import Manifest
import Planning
public import Providers

/// `generate` for the kinds beyond videos and keys: streamings under the keys it generates,
/// captions and chapters of the videos it generates, player themes and webhooks no registry claims,
/// playlists without streamplan's marks (with their items, in order).
extension Generator {
    /// The paths written for the files the manifests name (relative to the manifest), by object id
    /// (text tracks: `VIDEO_ID/caption/LANG`). Filled by `generate --download-sources`.
    public struct Files: Sendable {
        public var sources: [String: String] = [:]
        public var thumbnails: [String: String] = [:]
        public var logos: [String: String] = [:]
        public var tracks: [String: String] = [:]

        public init() {}

        public static func trackKey(videoID: String, _ kind: TextTrackKind, _ language: String) -> String {
            "\(videoID)/\(kind.rawValue)/\(language)"
        }
    }

    /// The path a downloaded WebVTT file gets (and is written as when not downloaded).
    public static func trackPath(_ videoName: String, _ kind: TextTrackKind, _ language: String) -> String {
        "media/\(videoName).\(kind.rawValue).\(language).vtt"
    }

    /// The environment variable a webhook's URL with credentials is written as (`${NAME}`).
    public static func webhookVariable(_ name: String) -> String {
        "WEBHOOK_" + name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_URL"
    }

    func scanChildren(into found: inout Found, claimed: Set<String>) async throws {
        for (_, key) in found.keys {
            var namer = Namer()
            found.streamings[key.id] = try await provider.streamings(keyID: key.id).filter { !claimed.contains($0.id) }.map {
                (namer.name($0.title, fallback: "streaming-" + String($0.id.prefix(8))), $0)
            }
        }
        for (_, video) in found.videos {
            for kind in TextTrackKind.allCases {
                let tracks: [RemoteTextTrack]
                do {
                    tracks = try await provider.textTracks(kind, videoID: video.id)
                } catch is UnsupportedByProvider {
                    continue
                }
                if !tracks.isEmpty { found.tracks[video.id, default: [:]][kind] = tracks.sorted { $0.language < $1.language } }
            }
        }
    }

    func scanTopLevel(into found: inout Found, claimed: Set<String>) async throws {
        var namer = Namer()
        found.players = try await optional { try await provider.allPlayers() }.filter { !claimed.contains($0.id) }.map {
            (namer.name($0.name, fallback: "player-" + String($0.id.prefix(8))), $0)
        }
        namer = Namer()
        found.webhooks = try await optional { try await provider.allWebhooks() }.filter { !claimed.contains($0.id) }.map {
            (namer.name($0.name, fallback: "webhook-" + String($0.id.prefix(8))), $0)
        }
        guard let playlists = provider as? any PlaylistProvider else { return }
        let names = Dictionary(found.videos.map { ($0.video.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        namer = Namer()
        for listed in try await playlists.playlists(markedWith: [])
        where !listed.metadata.contains(where: { $0.key.hasPrefix("streamplan.") }) {
            // The list may leave the items out: read each playlist for them, in order.
            guard let playlist = try await playlists.playlist(id: listed.id) else { continue }
            if let missing = playlist.items.first(where: { names[$0.videoID] == nil }) {
                found.skippedPlaylists.append(
                    (
                        playlist,
                        "its video \(missing.videoID) is not one this file imports (managed by a streamplan project, or gone); "
                            + "import it with the project that manages the video"
                    ))
                continue
            }
            found.playlists.append((namer.name(playlist.name, fallback: "playlist-" + String(playlist.id.prefix(8))), playlist))
        }
    }

    /// A listing the service may not offer (another provider): none.
    private func optional<T>(_ list: () async throws -> [T]) async throws -> [T] {
        do {
            return try await list()
        } catch is UnsupportedByProvider {
            return []
        }
    }

    static func renderPlayers(_ found: Found, _ files: Files) -> String {
        guard !found.players.isEmpty else { return "" }
        var out = "players:\n"
        for (name, player) in found.players {
            out += "  \(name):  # id \(player.id)\n"
            out += "    name: \(quote(player.name))\n"
            let theme = player.theme.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            if !theme.isEmpty {
                out += "    theme: {\(theme.map { "\($0.key): \(quote($0.value))" }.joined(separator: ", "))}\n"
            }
            let controls = player.controls.sorted { $0.key < $1.key }
            if !controls.isEmpty {
                out += "    controls: {\(controls.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}\n"
            }
            if player.hasLogo {
                if let image = files.logos[player.id], let link = player.logoLink, !link.isEmpty {
                    out += "    logo: {image: \(quote(image)), link: \(quote(link))}\n"
                } else {
                    out += "    # a logo is set on the service (generate --download-sources writes it here)\n"
                }
            }
        }
        return out
    }

    static func renderTracks(_ name: String, _ video: RemoteVideo, _ found: Found, _ files: Files) -> String {
        var out = ""
        for kind in TextTrackKind.allCases {
            guard let tracks = found.tracks[video.id]?[kind], !tracks.isEmpty else { continue }
            out += "    \(kind.plural):\n"
            for track in tracks {
                let path =
                    files.tracks[Files.trackKey(videoID: video.id, kind, track.language)]
                    ?? trackPath(name, kind, track.language)
                out += "      \(track.language): \(quote(path))\n"
            }
            if kind == .caption, let chosen = tracks.first(where: \.isDefault) {
                out += "    default_caption: \(chosen.language)\n"
            }
        }
        return out
    }

    static func renderKeys(_ found: Found) -> String {
        guard !found.keys.isEmpty else { return "" }
        var out = "live_streams:\n"
        for (name, key) in found.keys {
            out += "  \(name):  # id \(key.id)\n"
            out += "    name: \(quote(key.name))\n"
            out += "    save: \(key.save)\n"
            // Only a type other than the default, so generated manifests of video keys stay as they were.
            if let type = key.type, type != DesiredLiveKey.defaultType { out += "    type: \(type)\n" }
            let streamings = found.streamings[key.id] ?? []
            guard !streamings.isEmpty else { continue }
            out += "    streamings:\n"
            for (streamingName, streaming) in streamings {
                out += "      \(streamingName):  # id \(streaming.id)\n"
                out += "        title: \(quote(streaming.title))\n"
                out += "        save: \(streaming.save)\n"
                if !streaming.qualities.isEmpty { out += "        qualities: [\(streaming.qualities.joined(separator: ", "))]\n" }
            }
        }
        return out
    }

    static func renderPlaylists(_ found: Found) -> String {
        var out = ""
        for (playlist, reason) in found.skippedPlaylists {
            out += "# playlist \(quote(playlist.name)) (id \(playlist.id)) is not generated: \(reason)\n"
        }
        guard !found.playlists.isEmpty else { return out }
        let names = Dictionary(found.videos.map { ($0.video.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        out += "playlists:\n"
        for (name, playlist) in found.playlists {
            out += "  \(name):  # id \(playlist.id)\n"
            out += "    name: \(quote(playlist.name))\n"
            if !playlist.tags.isEmpty { out += "    tags: [\(playlist.tags.map(quote).joined(separator: ", "))]\n" }
            if !playlist.metadata.isEmpty {
                out +=
                    "    metadata: {\(playlist.metadata.map { "\(quote($0.key)): \(quote($0.value))" }.joined(separator: ", "))}\n"
            }
            if let type = playlist.type, !type.isEmpty { out += "    type: \(quote(type))\n" }
            out += "    videos: [\(playlist.items.compactMap { names[$0.videoID] }.joined(separator: ", "))]\n"
        }
        return out
    }

    /// A URL with credentials (a token in the query or the path, a password) is written as
    /// `${WEBHOOK_NAME_URL}` with the masked URL as a comment: no secret reaches the file.
    static func renderWebhooks(_ found: Found) -> String {
        guard !found.webhooks.isEmpty else { return "" }
        var out = "webhooks:\n"
        for (name, webhook) in found.webhooks {
            out += "  \(name):  # id \(webhook.id)\n"
            out += "    name: \(quote(webhook.name))\n"
            if WebhookURL.hasCredentials(webhook.url) {
                out += "    # on the service: \(WebhookURL.masked(webhook.url)) (it carries credentials: set the variable)\n"
                out += "    url: \"${\(webhookVariable(name))}\"\n"
            } else {
                out += "    url: \(quote(webhook.url))\n"
            }
            out += "    events: [\(webhook.events.map(\.rawValue).joined(separator: ", "))]\n"
        }
        return out
    }

    static func renderImports(_ found: Found) -> String {
        var lines: [String] = []
        for (name, player) in found.players { lines.append("  - {to: player.\(name), id: \(quote(player.id))}") }
        for (name, video) in found.videos { lines.append("  - {to: video.\(name), id: \(quote(video.id))}") }
        for (name, key) in found.keys {
            lines.append("  - {to: live_stream.\(name), id: \(quote(key.id))}")
            for (streamingName, streaming) in found.streamings[key.id] ?? [] {
                lines.append("  - {to: live_stream.\(name).streaming.\(streamingName), id: \(quote(streaming.id))}")
            }
        }
        for (name, playlist) in found.playlists { lines.append("  - {to: playlist.\(name), id: \(quote(playlist.id))}") }
        for (name, webhook) in found.webhooks { lines.append("  - {to: webhook.\(name), id: \(quote(webhook.id))}") }
        guard !lines.isEmpty else { return "" }
        return "import:\n" + lines.joined(separator: "\n") + "\n"
    }
}
