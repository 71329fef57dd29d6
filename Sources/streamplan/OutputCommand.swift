import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning
import Providers

/// `streamplan output [ADDRESS…]`: every managed object's id, status and links, read from the account.
struct OutputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Print every managed object's id, status and links (HLS, DASH, MP4, player, thumbnail, captions…).",
        discussion: """
            Reads the project from the manifests and every object it manages from the account (never from a \
            local file): videos, captions, chapters, player themes, playlists, webhooks, live stream keys and \
            streamings. Arguments that are addresses (video.intro, live_stream.townhall) select those objects \
            and the objects under them; the others are manifest files or directories (default: manifests). \
            --format json prints a versioned document (schemas/outputs.schema.json), sorted by address; \
            `apply --outputs FILE` writes the same document after an apply. Webhook URLs are masked; a key's \
            stream key and RTMP URL are printed only with --reveal (to stdout only).

            Examples:
              streamplan output --sandbox
              streamplan output video.intro --format json
              streamplan output live_stream.townhall --reveal
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Addresses to print (default: all), then manifest files or directories (default: manifests).")
    var arguments: [String] = []

    @Option(help: "text or json.")
    var format: Format = .text

    @Flag(help: "Also print each live stream key's stream key and RTMP URL (to stdout only).")
    var reveal = false

    @OptionGroup var connection: ConnectionOptions

    /// An argument that names an existing file or directory is a path; one that parses as an address is an address.
    static func isAddress(_ argument: String) -> Bool {
        Address(parsing: argument) != nil && !FileManager.default.fileExists(atPath: argument)
    }

    var addresses: [String] { arguments.filter(Self.isAddress) }
    var paths: [String] {
        let paths = arguments.filter { !Self.isAddress($0) }
        return paths.isEmpty ? ["manifests"] : paths
    }

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let reveal = reveal
        let connection = connection
        let document = try await connection.withProvider(manifest.provider) { provider in
            try await Applier(provider: provider, project: manifest.project).outputs(
                manifest, reveal: reveal, link: { connection.printedLink($0) })
        }
        let selected: OutputDocument
        do {
            selected = try document.selecting(addresses)
        } catch {
            Terminal.stderr("error: \(error) (without addresses, output lists every managed object)")
            throw ExitCode.failure
        }
        switch format {
        case .json:
            Terminal.stdout(String(decoding: try selected.json(), as: UTF8.self), newline: false)
        case .text:
            Terminal.stdout(Self.text(selected, reveal: reveal), newline: false)
            connection.printSandboxAfterword()
        }
    }

    /// Links in the order people want them; any other after, by name.
    static let linkOrder = ["hls", "dash", "player", "dash_player", "mp4", "thumbnail", "vtt", "playlist", "logo"]

    static func text(_ document: OutputDocument, reveal: Bool) -> String {
        guard !document.objects.isEmpty else { return "Project \(document.project) manages no objects.\n" }
        var out = "Outputs of project \(document.project) (\(document.objects.count) objects):\n"
        for object in document.objects {
            out += "\n\(object.address)" + (object.id.map { " (id \($0))" } ?? "") + ": \(object.status)"
            out += (object.name.map { ", \"\($0)\"" } ?? "") + (object.isDefault == true ? ", default" : "") + "\n"
            let names = object.links.keys.sorted {
                (linkOrder.firstIndex(of: $0) ?? linkOrder.count, $0) < (linkOrder.firstIndex(of: $1) ?? linkOrder.count, $1)
            }
            for name in names { out += "  \(name): \(object.links[name]!)\n" }
            if let videos = object.videos { out += "  videos: [\(videos.joined(separator: ", "))]\n" }
            if let url = object.url { out += "  url: \(url)\n" }
            if let events = object.events { out += "  events: [\(events.joined(separator: ", "))]\n" }
            if object.kind == ResourceKind.liveStream.rawValue, object.id != nil {
                out += "  stream_key: \(object.streamKey ?? ShowCommand.masked)\n"
                out += "  rtmp_url: \(object.rtmpURL ?? ShowCommand.masked)\n"
                if !reveal { out += "  (secrets masked; add --reveal to print them)\n" }
            }
        }
        return out
    }
}
