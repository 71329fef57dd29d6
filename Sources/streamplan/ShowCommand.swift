import Apply
import ArgumentParser
import Manifest
import Planning
import Providers

/// `streamplan show ADDRESS`: one managed live stream key (or streaming), secrets masked unless --reveal.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one managed live stream key or streaming; --reveal prints the stream key and RTMP URL.",
        discussion: """
            The project is read from the manifests. Without --reveal, stream_key and rtmp_url are masked. \
            With --reveal they are printed to standard output only, to configure an encoder (OBS and the like); \
            streamplan never writes them to a file or a log.

            Examples:
              streamplan show live_stream.townhall --sandbox
              streamplan show live_stream.townhall --reveal
              streamplan show live_stream.townhall.streaming.kickoff
            """
    )

    @Argument(help: "The address: live_stream.NAME or live_stream.NAME.streaming.NAME.")
    var address: String

    @Argument(help: "Manifest files or directories (for the project).")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the stream key and RTMP URL in clear (to stdout only).")
    var reveal = false

    static let masked = "********"

    func validate() throws {
        guard address.hasPrefix("live_stream.") else {
            throw ValidationError("show takes a live stream address: live_stream.NAME or live_stream.NAME.streaming.NAME")
        }
    }

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let address = address
        let reveal = reveal
        let text = try await connection.withProvider(manifest.provider) { provider -> String? in
            let entries = await (try Registry.load(project: manifest.project, provider: provider)).entries
            guard let wanted = Address(parsing: address), wanted.root.kind == .liveStream, let keyID = entries.id(wanted.root),
                let key = try await provider.liveKey(id: keyID)
            else { return nil }
            let streamings = try await provider.streamings(keyID: keyID)
            if wanted != wanted.root {
                guard let id = entries.id(wanted), let s = streamings.first(where: { $0.id == id }) else { return nil }
                return LiveText.streaming(address, s) + "  key:        \(wanted.root) (id \(keyID))\n"
            }
            let secrets = reveal ? try await provider.liveKeySecrets(id: keyID) : nil
            var out = "\(wanted) (id \(key.id))\n"
            out += "  name:       \(key.name)\n"
            out += "  save:       \(key.save)\n"
            out += "  stream_key: \(secrets?.streamKey ?? Self.masked)\n"
            out += "  rtmp_url:   \(secrets?.rtmpURL ?? Self.masked)\n"
            if !reveal { out += "  (secrets masked; add --reveal to print them)\n" }
            out += "  streamings:\(streamings.isEmpty ? " none" : "")\n"
            for s in streamings {
                out += "    " + LiveText.streamingLine(entries.address(of: s.id)?.description ?? "(not managed)", s) + "\n"
            }
            return out
        }
        guard let text else {
            Terminal.stderr(
                "error: \(address) is not managed by project \(manifest.project) (or no longer exists on AIOZ Stream)")
            throw ExitCode.failure
        }
        Terminal.stdout(text, newline: false)
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
