import ArgumentParser
import Manifest

/// `streamplan validate`: checks manifests without touching the network.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests for errors without contacting AIOZ Stream.",
        discussion: """
            Reads every *.yaml / *.yml file under the given paths (default: manifests/) and reports \
            every problem as `file:line:column: error: message`. Exits 0 when the manifests are \
            valid and 1 when they are not. Warnings do not fail validation; one of them needs the \
            sources' contents: a quality above the resolution of its video's source (MP4, MOV, M4V and \
            WebM sources are probed).

            Examples:
              streamplan validate
              streamplan validate manifests/ extra/live.yaml
            """
    )

    @Argument(help: "Manifest files or directories.")
    var paths: [String] = ["manifests"]

    @Option(
        help:
            "The directory that source and thumbnail paths must stay under (default: each given directory; for a given file, the current directory when the file lies under it, else the file's directory)."
    )
    var root: String?

    func run() throws {
        let result = ManifestLoader.load(paths, root: root)
        // Qualities above their source's resolution: only for valid manifests (the sources are checked).
        let diagnostics = result.diagnostics + (result.manifest.map(SourceResolutionRules.warnings) ?? [])
        ManifestInput.print(diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        guard let manifest = result.manifest, errors == 0 else {
            Terminal.stderr("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
            throw ExitCode.failure
        }
        let streamings = manifest.liveStreams.reduce(0) { $0 + $1.streamings.count }
        let captions = manifest.videos.reduce(0) { $0 + $1.captions.count }
        let chapters = manifest.videos.reduce(0) { $0 + $1.chapters.count }
        Terminal.stdout(
            "valid: project \(manifest.project), \(count(manifest.videos.count, "video")), "
                + "\(count(manifest.profiles.count, "profile")), \(count(manifest.liveStreams.count, "live stream")), "
                + "\(count(streamings, "streaming"))"
                + (manifest.playlists.isEmpty ? "" : ", \(count(manifest.playlists.count, "playlist"))")
                + (manifest.players.isEmpty ? "" : ", \(count(manifest.players.count, "player theme"))")
                + (manifest.webhooks.isEmpty ? "" : ", \(count(manifest.webhooks.count, "webhook"))")
                + (captions == 0 ? "" : ", \(count(captions, "caption"))")
                + (chapters == 0 ? "" : ", \(count(chapters, "chapter list"))")
                + " in \(count(manifest.files.count, "file"))"
                + (warnings > 0 ? ", \(count(warnings, "warning"))" : ""))
    }

    private func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
