import Apply
import ArgumentParser
import Manifest
import Planning
import Providers

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
        let text = try await connection.withProvider(manifest.provider) { provider -> String in
            let entries = await (try Registry.load(project: manifest.project, provider: provider)).entries
            let keys = entries.addresses(of: .liveStream)
            guard !keys.isEmpty else {
                return "Project \(manifest.project) manages no live stream keys.\n"
            }
            var out = "Live stream keys of project \(manifest.project):\n"
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
                let recordings = try await provider.savedRecordings(keyID: id)
                out += "  saved recordings:\(recordings.isEmpty ? " none" : "")\n"
                for r in recordings { out += recordingLines(r) }
            }
            return out
        }
        Terminal.stdout(text, newline: false)
        connection.printSandboxAfterword()
    }

    private func recordingLines(_ r: RemoteRecording) -> String {
        var out = "    \"\(r.title)\" (streaming \(r.streamingID)), status \(r.status ?? "?")"
        if let video = r.video {
            out += ", video \(video.id) \(video.state)\n"
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
