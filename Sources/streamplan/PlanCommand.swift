import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning
import Providers

/// `streamplan plan`: shows what apply would change, and changes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change on AIOZ Stream, without changing anything.",
        discussion: """
            Reads the manifests, observes what the account holds for the manifests' project (videos with \
            their captions and chapters, player themes, playlists, webhooks, live stream keys, streamings and restream destinations), \
            and prints the creates (+), in-place updates (~), replacements (-/+), imports (<=) and deletes (-) \
            that would make them match. Objects streamplan neither created nor was told to import (import:) are \
            never shown or touched.

            Each video created, replaced or resumed is priced: its source is probed (duration, picture size; \
            MP4, MOV, M4V, WebM) and the service asked for the price of its qualities; the plan ends with the \
            price per video, the total and the balance, and says when apply would refuse (balance short, or \
            over --max-cost). --no-cost leaves all of that out (offline plans).

            --format json prints the plan as data (schemas/plan.schema.json); --format markdown prints it for a \
            pull-request comment. --out FILE also saves the plan for `streamplan apply FILE`, which refuses \
            (exit 3) if anything the plan touches changed meanwhile. See docs/ci.md.
            Exit status: 0 success, 1 error; with --detailed-exitcode, 0 no changes, 2 changes, 1 error.

            Examples:
              streamplan plan --sandbox manifests/
              STREAM_PUBLIC_KEY=… STREAM_SECRET_KEY=… streamplan plan --detailed-exitcode
              streamplan plan --out plan.json --format markdown > plan.md
              streamplan plan --target 'video.*' --exclude video.trailer
            """
    )

    @Argument(help: "Manifest files or directories.")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var selection: TargetOptions
    @OptionGroup var sharding: ShardOptions
    @OptionGroup var costing: CostOptions
    @Flag(help: "Plan as `apply --force-live` would: do not block deleting or replacing what is broadcasting.")
    var forceLive = false
    @Flag(help: "Adopt imported videos as they are: their uploaded source cannot be compared with the manifests' file.")
    var trustSource = false

    @Flag(help: "Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.")
    var detailedExitcode = false
    @Option(help: "How to print the plan: text, json or markdown.")
    var format: PlanFormat = .text
    @Option(help: ArgumentHelp("Also save the plan to this file, for `streamplan apply FILE`.", valueName: "file"))
    var out: String?

    func run() async throws {
        // The project's video list (most of the plan's requests) is read while the manifests load,
        // when their `project:` line tells the project; a wrong hint's list is thrown away.
        if out == nil, let hint = ManifestLoader.projectHint(paths) {
            return try await runReadingAhead(project: hint)
        }
        try await run(try ManifestInput.load(paths))
    }

    /// The hint did not name the loaded manifests' project (or provider).
    private struct WrongHint: Error {}

    /// `run`, reading the video list of `project` (the manifests' hint) while they load.
    private func runReadingAhead(project: String) async throws {
        let paths = paths
        let loading = Task.detached { try ManifestInput.load(paths) }
        let made: (Plan, PartialPlan?, SavedPlan?)
        do {
            made = try await connection.withProvider(.aioz) { provider in
                let list = Task {
                    try await provider.videos(markedWith: [MetadataEntry(key: OwnershipMark.project, value: project)])
                }
                defer { list.cancel() }
                let manifest = try await loading.value
                guard manifest.project == project, manifest.provider == .aioz else { throw WrongHint() }
                return try await plan(manifest, provider) { try await list.value }
            }
        } catch is WrongHint {
            return try await run(try await loading.value)
        } catch {
            // The manifests' own errors come first, as when they are loaded before connecting.
            _ = try await loading.value
            throw error
        }
        try finish(made)
    }

    private func run(_ manifest: Manifest) async throws {
        let made = try await connection.withProvider(manifest.provider) { provider in
            try await plan(manifest, provider, listed: nil)
        }
        try finish(made)
    }

    /// Observes the account through `provider` and plans `manifest` (saved too, with `--out`).
    private func plan(
        _ manifest: Manifest, _ provider: any Provider, listed: (@Sendable () async throws -> [RemoteVideo])?
    ) async throws -> (Plan, PartialPlan?, SavedPlan?) {
        let state = connection.stateDir
        let forceLive = forceLive
        let trustSource = trustSource
        let filter = selection.filter
        let shard = sharding.shard
        let out = out
        let directory = FileManager.default.currentDirectoryPath
        let options = ApplyOptions(stateDirectory: state)
        let withCost = costing.withCost
        let maxCost = costing.maxCostValue
        let applier = Applier(provider: provider, project: manifest.project, options: options)
        var planOptions = PlanOptions(forceLive: forceLive)
        planOptions.trustSource = trustSource
        if out != nil {
            let made = try await applier.savedPlan(
                manifest, filter: filter, shard: shard, directory: directory, options: planOptions,
                withCost: withCost, maxCost: maxCost)
            return (made.plan, made.partial, Optional(made.saved))
        }
        var (plan, partial) = filter.apply(to: try await applier.plan(manifest, options: planOptions, listed: listed))
        plan = ShardOptions.restrict(plan, to: shard)
        if withCost { plan.cost = await applier.cost(of: plan, maxCost: maxCost) }
        return (plan, partial, SavedPlan?.none)
    }

    /// Prints the plan, saves it with `--out`, and sets the exit status.
    private func finish(_ made: (Plan, PartialPlan?, SavedPlan?)) throws {
        let (plan, partial, saved) = made
        let colour = output.colour
        let shard = sharding.shard
        let directory = FileManager.default.currentDirectoryPath
        if let partial { Terminal.stderr(partial.warning) }
        switch format {
        case .text: Terminal.stdout(PlanTextRenderer(colour: colour).render(plan), newline: false)
        case .json: Terminal.stdout(try PlanJSON.render(plan, partial: partial, shard: shard), newline: false)
        case .markdown: Terminal.stdout(PlanMarkdownRenderer().render(plan, partial: partial), newline: false)
        }
        if let out, var saved {
            saved.manifests = paths
            let target = out.hasPrefix("/") ? out : directory + "/" + out
            do {
                try AtomicFile.write(try saved.encoded(), to: target, permissions: 0o644)
            } catch {
                Terminal.stderr("error: cannot save the plan to \(out): \(error)")
                throw StreamplanExit.failure.code
            }
            Terminal.stderr(
                "Saved the plan to \(out); `\(Hint.command(["apply"] + connection.repeated + [out]))` performs exactly these "
                    + "changes, or refuses if what they touch changed.")
        }
        if detailedExitcode && plan.hasChanges { throw StreamplanExit.changes.code }
    }
}

/// The renderings of a plan.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// Loading manifests for plan and apply: findings to stderr, errors stop the command.
enum ManifestInput {
    /// At most this many findings are printed; the rest are counted.
    static let maxPrinted = 100

    /// Prints the findings to stderr, the first `maxPrinted` of them, then how many more there were.
    static func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics.prefix(maxPrinted) { Terminal.stderr(diagnostic.description) }
        let more = diagnostics.count - maxPrinted
        guard more > 0 else { return }
        Terminal.stderr(
            "… and \(more) more finding\(more == 1 ? "" : "s") not shown (\(diagnostics.count) in all); fix these first")
    }

    static func load(_ paths: [String]) throws -> Manifest {
        let result = ManifestLoader.load(paths)
        print(result.diagnostics)
        guard let manifest = result.manifest else {
            Terminal.stderr(
                "error: the manifests have errors; fix them first (`\(Hint.command(["validate"] + paths))` lists them)")
            throw ExitCode.failure
        }
        WebhookSecrets.register(manifest.webhooks.filter { !$0.publicURL }.map(\.url))
        WebhookSecrets.registerRestreams(manifest.liveStreams.flatMap(\.restreams).map(\.url))
        return manifest
    }
}
