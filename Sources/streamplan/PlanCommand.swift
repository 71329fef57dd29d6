import Apply
import ArgumentParser
import Manifest
import Planning

/// `streamplan plan`: shows what apply would change, and changes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change on AIOZ Stream, without changing anything.",
        discussion: """
            Reads the manifests, observes the account's videos marked with the manifests' project, and \
            prints the creates (+), in-place updates (~), replacements (-/+) and deletes (-) that would make \
            them match. Videos streamplan did not create are never shown or touched.

            Exit status: 0 success, 1 error; with --detailed-exitcode, 0 no changes, 2 changes, 1 error.

            Examples:
              streamplan plan --sandbox manifests/
              STREAM_PUBLIC_KEY=… STREAM_SECRET_KEY=… streamplan plan --detailed-exitcode
            """
    )

    @Argument(help: "Manifest files or directories.")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Plan as `apply --force-live` would: do not block deleting or replacing what is broadcasting.")
    var forceLive = false

    @Flag(help: "Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.")
    var detailedExitcode = false

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let state = connection.stateDir
        let colour = output.colour
        let forceLive = forceLive
        let plan = try await connection.withClient { client in
            try await Reconciler(client: client, stateDirectory: state).plan(manifest, forceLive: forceLive).plan
        }
        Terminal.stdout(PlanTextRenderer(colour: colour).render(plan), newline: false)
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}

/// Loading manifests for plan and apply: findings to stderr, errors stop the command.
enum ManifestInput {
    static func load(_ paths: [String]) throws -> Manifest {
        let result = ManifestLoader.load(paths)
        for diagnostic in result.diagnostics { Terminal.stderr(diagnostic.description) }
        guard let manifest = result.manifest else {
            Terminal.stderr("the manifests have errors; fix them first (streamplan validate shows them all)")
            throw ExitCode.failure
        }
        return manifest
    }
}
