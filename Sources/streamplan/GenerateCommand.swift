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
            var sources: [String: String] = [:]
            if download, !found.videos.isEmpty {
                try FileManager.default.createDirectory(atPath: out + "/media", withIntermediateDirectories: true)
                for (name, video) in found.videos {
                    let temporary = out + "/media/\(name).download"
                    try await provider.downloadSource(of: video, to: temporary)
                    let format = MediaFormat.sniff(path: temporary)
                    let written = "media/\(name).\(format.map { $0.isVideo ? $0.rawValue : "mp4" } ?? "mp4")"
                    guard rename(temporary, out + "/" + written) == 0 else {
                        throw ValidationError("cannot move the download to \(out)/\(written)")
                    }
                    sources[video.id] = written
                    Terminal.stderr("downloaded \(video.id) to \(out)/\(written)")
                }
            }
            let text = Generator.render(project: project, found: found, sources: sources, service: provider.serviceName)
            try AtomicFile.write(Data(text.utf8), to: manifestPath, permissions: 0o644)
            Terminal.stdout(
                "Wrote \(manifestPath): \(found.videos.count) video\(found.videos.count == 1 ? "" : "s") and "
                    + "\(found.keys.count) live stream key\(found.keys.count == 1 ? "" : "s") to import.")
            let next = Hint.command(["plan"] + connection.repeated + ["--trust-source", out])
            if !download, !found.videos.isEmpty {
                Terminal.stdout(
                    "The sources were not downloaded: put each file at the path written under \(out)/ "
                        + "(or run again with --download-sources), then `\(next)`.")
            } else {
                Terminal.stdout("Next: `\(next)` shows the imports.")
            }
        }
    }
}
