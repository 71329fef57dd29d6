import AIOZ
import Apply
import ArgumentParser
import Manifest
import Planning

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
        let text = try await connection.withClient { client -> String? in
            let registry = try await LiveRegistry.load(project: manifest.project, client: client)
            let entries = await registry.entries
            let keyAddress = LiveExecutor.keyAddress(of: address)
            guard let keyID = entries.id(keyAddress) else { return nil }
            let key: LiveStreamKey
            do {
                key = try await client.getLiveStreamKey(id: keyID)
            } catch let error as AIOZError where error.code == .notFound {
                return nil
            }
            let streamings = try await LiveObserver.streamings(keyID: keyID, client: client)
            let names = Dictionary(entries.entries.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            if address != keyAddress {
                guard let id = entries.id(address), let s = streamings.first(where: { $0.id == id }) else { return nil }
                return LiveText.streaming(address, s) + "  key:        \(keyAddress) (id \(keyID))\n"
            }
            var out = "\(keyAddress) (id \(key.id))\n"
            out += "  name:       \(key.name)\n"
            out += "  save:       \(key.save)\n"
            out += "  stream_key: \(reveal ? key.streamKey : Self.masked)\n"
            out += "  rtmp_url:   \(reveal ? key.rtmpURL : Self.masked)\n"
            if !reveal { out += "  (secrets masked; add --reveal to print them)\n" }
            out += "  streamings:\(streamings.isEmpty ? " none" : "")\n"
            for s in streamings {
                out += "    " + LiveText.streamingLine(names[s.id] ?? "(not managed)", s) + "\n"
            }
            return out
        }
        guard let text else {
            Terminal.stderr("error: \(address) is not managed by project \(manifest.project) (or no longer exists on AIOZ Stream)")
            throw ExitCode.failure
        }
        Terminal.stdout(text, newline: false)
    }
}

/// Text forms of live objects, never with secrets.
enum LiveText {
    static func streamingLine(_ name: String, _ s: ObservedStreaming) -> String {
        "\(name) (id \(s.id)): \"\(s.title)\", status \(s.status), save \(s.save), qualities [\(s.qualities.joined(separator: ", "))]"
    }

    static func streaming(_ address: String, _ s: ObservedStreaming) -> String {
        "\(address) (id \(s.id))\n  title:      \(s.title)\n  save:       \(s.save)\n  status:     \(s.status)\n"
            + "  qualities:  [\(s.qualities.joined(separator: ", "))]\n"
    }
}
