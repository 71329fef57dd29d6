import AIOZ
import Apply
import ArgumentParser
import Manifest
import Planning

/// `streamplan status`: per managed live stream key, its streamings and saved recordings.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List each managed live stream key with its streamings and saved recordings (links and statuses).",
        discussion: """
            Reads the project from the manifests and the managed keys from the project's registry on AIOZ \
            Stream. Never prints stream keys or RTMP URLs (see `streamplan show --reveal`).

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
        let text = try await connection.withClient { client -> String in
            let registry = try await LiveRegistry.load(project: manifest.project, client: client)
            let entries = await registry.entries
            let names = Dictionary(entries.entries.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            guard !entries.keyAddresses.isEmpty else {
                return "Project \(manifest.project) manages no live stream keys.\n"
            }
            var out = "Live stream keys of project \(manifest.project):\n"
            for address in entries.keyAddresses {
                guard let id = entries.id(address) else {
                    out += "\n\(address): being created (an apply was interrupted; run apply again)\n"
                    continue
                }
                guard let key = try await LiveObserver.observeKey(id: id, client: client) else {
                    out += "\n\(address) (id \(id)): missing on AIOZ Stream (apply creates it again)\n"
                    continue
                }
                out += "\n\(address) (id \(id)): \"\(key.name)\", save \(key.save)"
                    + (key.isBroadcasting ? ", BROADCASTING" : "") + "\n"
                out += "  streamings:\(key.streamings.isEmpty ? " none" : "")\n"
                for s in key.streamings {
                    out += "    " + LiveText.streamingLine(names[s.id] ?? "(not managed)", s) + "\n"
                }
                let recordings = try await savedRecordings(keyID: id, client: client)
                out += "  saved recordings:\(recordings.isEmpty ? " none" : "")\n"
                for r in recordings { out += recordingLines(r) }
            }
            return out
        }
        Terminal.stdout(text, newline: false)
    }

    private func savedRecordings(keyID: String, client: AIOZClient) async throws -> [SavedRecording] {
        var query = SavedRecordingQuery(limit: 100)
        var all: [SavedRecording] = []
        while true {
            let page = try await client.listSavedRecordings(liveStreamKeyID: keyID, query)
            all += page.streamings
            query.offset += page.streamings.count
            if page.streamings.isEmpty || query.offset >= page.total { break }
        }
        return all
    }

    private func recordingLines(_ r: SavedRecording) -> String {
        var out = "    \"\(r.title)\" (streaming \(r.id)), status \(r.status ?? "?")"
        if let video = r.video {
            out += ", video \(video.id) \(video.status.rawValue)\n"
            let links: [(String, String?)] = [
                ("hls", video.assets?.hlsURL), ("player", video.assets?.hlsPlayerURL), ("mp4", video.assets?.mp4URL),
            ]
            for (name, url) in links {
                if let url, !url.isEmpty { out += "      \(name): \(url)\n" }
            }
        } else {
            out += "\n"
        }
        return out
    }
}
