import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning
import Providers
import YAMLNodes

/// `streamplan import ADDRESS ID`: takes one existing object under management now, as Terraform's
/// `import` command does; the same as an `import:` block followed by an apply of that address alone.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Take an existing object (video, live stream key, streaming, player theme, playlist, webhook) under management.",
        discussion: """
            The address must be defined in the manifests (video.NAME, live_stream.NAME, \
            live_stream.KEY.streaming.NAME under a managed key, player.NAME, playlist.NAME or webhook.NAME). The plan \
            for that address is printed as `will be imported` with any changes the manifests ask for; then the \
            import is applied without asking: a video or playlist gets streamplan's ownership marks (and the \
            fields of the manifests; a playlist also their order of videos), a live stream key (its stream key is \
            kept), streaming, player theme or webhook is recorded in the project's registry. Captions and chapters \
            follow their video: `streamplan plan` adopts those whose file equals the manifests'. A video's uploaded bytes cannot be compared with the manifests' source: pass \
            --trust-source to adopt it as it is. For many objects at once, write `import:` blocks and run \
            `streamplan plan` and `streamplan apply` (see docs/manifests.md, "Importing").
            Exit status: 0 imported (or already managed), 1 error or blocked, 4 lock held.

            Examples:
              streamplan import video.intro 3f2a0c1e-… manifests/ --trust-source
              streamplan import live_stream.townhall 9b1d… --sandbox
              streamplan import player.brand 5c7e… --sandbox
            """
    )

    @Argument(help: "The address in the manifests, e.g. video.NAME, player.NAME or live_stream.KEY.streaming.NAME.")
    var address: String
    @Argument(help: "The object's id on the service.")
    var id: String
    @Argument(help: "Manifest files or directories.")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var locking: LockOptions

    @Flag(help: "Adopt a video as it is: its uploaded source cannot be compared with the manifests' file.")
    var trustSource = false

    func run() async throws {
        var manifest = try ManifestInput.load(paths)
        guard ImportSpec.isImportable(address), let target = Address(parsing: address) else {
            throw ValidationError(
                "\(address) is not an address that can be imported: write \(ImportSpec.importableForms)")
        }
        var defined = Set(manifest.videos.map { "video.\($0.name)" } + manifest.liveStreams.map { "live_stream.\($0.name)" })
        defined.formUnion(manifest.players.map { "player.\($0.name)" })
        defined.formUnion(manifest.playlists.map { "playlist.\($0.name)" })
        defined.formUnion(manifest.webhooks.map { "webhook.\($0.name)" })
        for key in manifest.liveStreams {
            defined.formUnion(key.streamings.map { "live_stream.\(key.name).streaming.\($0.name)" })
        }
        guard defined.contains(target.description) else {
            Terminal.stderr(
                "error: \(target) is not in the manifests; define it first (an import adopts an object as one the manifests describe)"
            )
            throw ExitCode.failure
        }
        manifest.imports.removeAll { $0.to == target.description }
        manifest.imports.append(
            ImportSpec(to: target.description, id: id, location: SourceLocation(file: "(command line)", line: 1, column: 1)))
        let lock = try ApplyLock.acquire(
            stateDirectory: connection.stateDir, project: manifest.project, breakLock: locking.breakLock)
        defer { lock.release() }
        var options = ApplyOptions()
        options.stateDirectory = connection.stateDir
        let colour = output.colour
        let trustSource = trustSource
        let lease = ApplyLease(connection: connection, breakLock: locking.breakLock)
        let project = manifest.project
        try await connection.withProvider { provider in
            try await lease.run(provider, project: project) { confirmLease in
                let applier = Applier(provider: provider, project: project, options: options)
                var planOptions = PlanOptions()
                planOptions.trustSource = trustSource
                let full = try await applier.plan(manifest, options: planOptions)
                // The import alone: not the address's children, nor anything else the manifests would change.
                var plan = full
                plan.changes = full.changes.filter { $0.address == target }
                plan.unchanged = full.unchanged.filter { $0 == target }
                guard let change = plan.changes.first(where: { $0.action == .import }) else {
                    Terminal.stdout("\(target) is already managed by project \(project); nothing to import.")
                    return
                }
                plan.changes = [change]
                Terminal.stdout(PlanTextRenderer(colour: colour).render(plan), newline: false)
                if let blocked = change.blocked {
                    Terminal.stderr("error: \(target) cannot be imported: \(blocked)")
                    throw ExitCode.failure
                }
                try await confirmLease()
                let outcomes = try await applier.apply(plan)
                for outcome in outcomes {
                    if let error = outcome.error {
                        Terminal.stderr("error: \(outcome.address) (import) failed: \(error)")
                        throw ExitCode.failure
                    }
                    Terminal.stdout("\(outcome.address): imported, id \(outcome.objectID ?? id)")
                }
            }
        }
    }
}
