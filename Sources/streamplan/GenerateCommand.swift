import Apply
import ArgumentParser
import Foundation
import Manifest
import Providers

/// `streamplan generate`: writes manifests and `import:` blocks for what the account holds that no
/// streamplan project manages.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write manifests (with import blocks) for the account's unmanaged videos and live stream keys.",
        discussion: """
            Lists the account and writes DIR/streamplan.yaml: one video per video that no streamplan project \
            manages (title, description, visibility, tags, metadata; its renditions as a comment), one live \
            stream per key no project's registry claims, and an `import:` block for each. With \
            --download-sources each video's uploaded source is downloaded into DIR/media/, so the manifests \
            validate at once; without it, put the files at the paths written. Then `streamplan plan \
            --trust-source DIR` shows only imports, and `apply --trust-source` takes everything under \
            management without re-uploading anything (docs/manifests.md, "Importing existing objects").

            Examples:
              streamplan generate --project legacy --out legacy --download-sources
              streamplan generate --sandbox --out generated
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The directory to write (created if missing; an existing streamplan.yaml there is never overwritten).")
    var out = "generated"
    @Option(help: "The project name of the generated manifests.")
    var project = "imported"
    @Flag(help: "Download each video's uploaded source into DIR/media/.")
    var downloadSources = false

    func validate() throws {
        guard Names.isValidProject(project) else {
            throw ValidationError(
                "--project \"\(project)\" is not a valid project name: 1 to 63 characters, lowercase letters, digits and '-', starting with a letter"
            )
        }
    }

    func run() async throws {
        let manifestPath = out + "/streamplan.yaml"
        if FileManager.default.fileExists(atPath: manifestPath) {
            Terminal.stderr("error: \(manifestPath) exists; generate never overwrites manifests (choose another --out)")
            throw ExitCode.failure
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let out = out
        let project = project
        let download = downloadSources
        try await connection.withProvider { provider in
            let found = try await Generator(provider: provider).scan()
            var files = Generator.Files()
            if download { files = try await Self.download(found, into: out, provider) }
            let text = Generator.render(project: project, found: found, files: files, service: provider.serviceName)
            try AtomicFile.write(Data(text.utf8), to: manifestPath, permissions: 0o644)
            Terminal.stdout("Wrote \(manifestPath): \(Self.summary(found)) to import.")
            for (name, webhook) in found.webhooks where WebhookURL.hasCredentials(webhook.url) {
                Terminal.stdout(
                    "webhook.\(name)'s URL carries credentials (\(WebhookURL.masked(webhook.url))): it is written as "
                        + "${\(Generator.webhookVariable(name))}; set that environment variable to the URL before planning.")
            }
            let next = Hint.command(["plan"] + connection.repeated + ["--trust-source", out])
            if !download, !found.videos.isEmpty || !found.tracks.isEmpty {
                Terminal.stdout(
                    "The sources (and WebVTT files) were not downloaded: put each file at the path written under \(out)/ "
                        + "(or run again with --download-sources), then `\(next)`.")
            } else {
                Terminal.stdout("Next: `\(next)` shows the imports.")
            }
        }
    }

    /// "20 videos and 2 live stream keys", then the other kinds when there are any.
    static func summary(_ found: Generator.Found) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var text = "\(count(found.videos.count, "video")) and \(count(found.keys.count, "live stream key"))"
        let streamings = found.streamings.values.map(\.count).reduce(0, +)
        let tracks = found.tracks.values.flatMap(\.values).map(\.count).reduce(0, +)
        let others = [
            (streamings, "streaming"), (tracks, "WebVTT file"), (found.players.count, "player theme"),
            (found.playlists.count, "playlist"), (found.webhooks.count, "webhook"),
        ].filter { $0.0 > 0 }
        if !others.isEmpty { text += " (with " + others.map { count($0.0, $0.1) }.joined(separator: ", ") + ")" }
        return text
    }

    /// Downloads every video's source and thumbnail, every player's logo and every caption and
    /// chapter file into DIR/media/, each named after its manifest name (the extension from the bytes).
    static func download(_ found: Generator.Found, into out: String, _ provider: any Provider) async throws -> Generator.Files {
        var files = Generator.Files()
        try FileManager.default.createDirectory(atPath: out + "/media", withIntermediateDirectories: true)
        /// Downloads to a temporary name, then renames to `stem` plus the extension the bytes call for.
        func fetch(_ stem: String, fallback: String, _ get: (String) async throws -> Void) async throws -> String {
            let temporary = out + "/\(stem).download"
            try await get(temporary)
            let format = MediaFormat.sniff(path: temporary)
            let written = "\(stem).\(format.map { $0 == .jpeg ? "jpg" : $0.rawValue } ?? fallback)"
            guard rename(temporary, out + "/" + written) == 0 else {
                throw ValidationError("cannot move the download to \(out)/\(written)")
            }
            Terminal.stderr("downloaded \(out)/\(written)")
            return written
        }
        for (name, video) in found.videos {
            files.sources[video.id] = try await fetch("media/\(name)", fallback: "mp4") {
                try await provider.downloadSource(of: video, to: $0)
            }
            // A thumbnail the service lists but cannot serve is left out (it is optional), saying so.
            if let thumbnail = video.links.thumbnail, !thumbnail.isEmpty {
                do {
                    files.thumbnails[video.id] = try await fetch("media/\(name)-thumbnail", fallback: "jpg") {
                        try await provider.downloadLink(thumbnail, to: $0)
                    }
                } catch {
                    try? FileManager.default.removeItem(atPath: out + "/media/\(name)-thumbnail.download")
                    Terminal.stderr(
                        "note: the thumbnail of \(video.id) could not be downloaded (\(error)); video.\(name) is written without one"
                    )
                }
            }
            for (kind, tracks) in found.tracks[video.id] ?? [:] {
                for track in tracks {
                    guard let url = track.url, !url.isEmpty else { continue }
                    let path = Generator.trackPath(name, kind, track.language)
                    try await provider.downloadLink(url, to: out + "/" + path)
                    files.tracks[Generator.Files.trackKey(videoID: video.id, kind, track.language)] = path
                    Terminal.stderr("downloaded \(out)/\(path)")
                }
            }
        }
        for (name, player) in found.players {
            guard let logo = player.logoImageLink, !logo.isEmpty else { continue }
            files.logos[player.id] = try await fetch("media/\(name)-logo", fallback: "png") {
                try await provider.downloadLink(logo, to: $0)
            }
        }
        return files
    }
}
