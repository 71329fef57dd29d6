import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning
import Providers

/// `streamplan apply`: makes the account match the manifests.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract:
            "Make AIOZ Stream match the manifests: create, upload, update, replace, import and delete videos, captions, chapters, player themes, playlists, webhooks, live stream keys, streamings and restream destinations.",
        discussion: """
            Plans as `streamplan plan` does, asks for confirmation (unless --auto-approve), then executes: \
            creates videos, uploads sources in parts (MD5 per part, Content-Range), sets thumbnails, uploads \
            captions and chapters, creates player themes, playlists and webhooks, patches fields and deletes. Deletes and replacements need --allow-delete. An interrupted apply is safe to \
            run again: it resumes uploads without re-sending acknowledged parts and never duplicates a video.
            Given one saved plan file (from `streamplan plan --out FILE`) instead of manifests, apply re-reads \
            only the remote objects the plan touches and the local files it uploads, refuses with exit 3 if any \
            changed since the plan, and otherwise performs exactly the saved changes, without asking.
            One apply per project runs at a time (a lock under --state-dir); a second one exits 4 at once.
            Before any change, the plan's transcodes are priced and apply exits 1, changing nothing, when their \
            total exceeds the account's balance or --max-cost (see `streamplan plan`; --no-cost skips this). \
            A saved plan's cost is checked again against the balance at apply time.
            Exit status: 0 success, 1 error, 3 stale saved plan, 4 lock held (see docs/ci.md).

            Examples:
              streamplan apply --sandbox --auto-approve manifests/
              streamplan apply --auto-approve --allow-delete --wait
              streamplan apply plan.json
            """
    )

    @Argument(help: "Manifest files or directories, or one saved plan file.")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: TargetOptions
    @OptionGroup var locking: LockOptions
    @OptionGroup var sharding: ShardOptions
    @OptionGroup var costing: CostOptions

    @Flag(help: "Apply without asking for confirmation (needed when there is no terminal, as in CI).")
    var autoApprove = false

    @Flag(help: "Allow the plan to delete or replace videos, live stream keys, streamings and restream destinations.")
    var allowDelete = false

    @Flag(help: "Allow deleting or replacing a live stream key or streaming that is broadcasting.")
    var forceLive = false

    @Flag(help: "Adopt imported videos as they are: their uploaded source cannot be compared with the manifests' file.")
    var trustSource = false

    @Option(help: "Videos worked on at once.")
    var parallelism: Int = 4

    @Option(help: "Upload part size in MiB (5 to 200).")
    var partSize: Int = 50

    @Option(help: "Parts of one video in flight at once (1 to 16; 8 was fastest over a 50 ms, 100 Mbit/s link).")
    var partConcurrency: Int = 8

    @Option(
        help: ArgumentHelp(
            "With --shard I/N: how long a change waits for what another shard makes (a video's player theme, a playlist's video) before failing (default: 1800).",
            valueName: "seconds"))
    var shardWait: Int?

    @Option(
        name: .customLong("outputs"),
        help: ArgumentHelp(
            "After the apply, write every managed object's id, status and links as JSON to this file (as `output --format json` prints them).",
            valueName: "file"))
    var outputsFile: String?

    @Flag(help: "Wait until transcoding finishes and report each video's final status.")
    var wait = false

    @Flag(
        help:
            "Give up on uploads an earlier apply left incomplete: delete (abort) those videos instead of resuming them; the next apply uploads them afresh. Needs --allow-delete."
    )
    var abortIncomplete = false

    func validate() throws {
        guard (1...64).contains(parallelism) else { throw ValidationError("--parallelism must be between 1 and 64") }
        guard (1...16).contains(partConcurrency) else { throw ValidationError("--part-concurrency must be between 1 and 16") }
        if let shardWait {
            guard (0...86_400).contains(shardWait) else {
                throw ValidationError("--shard-wait must be between 0 and 86400 (seconds)")
            }
            guard let shard = sharding.shard, shard.count > 1 else {
                throw ValidationError("--shard-wait applies only with --shard I/N (N > 1): a whole apply waits for nothing")
            }
        }
        guard (5...200).contains(partSize) || ProcessInfo.processInfo.environment["STREAMPLAN_MIN_PART_SIZE"] != nil else {
            throw ValidationError("--part-size must be between 5 and 200 (MiB)")
        }
        // AIOZ's documentation: "chunk size: 50MB - 200MB". Smaller parts only against a local sandbox.
        let bytes = partSizeBytes
        if bytes < 50 << 20 && !connection.isLocal {
            throw ValidationError(
                "--part-size \(bytes >> 20) MiB is below AIOZ Stream's documented chunk size (\"chunk size: 50MB - 200MB\"); "
                    + "use 50 to 200, or smaller parts only against a local sandbox (--sandbox or a loopback --endpoint)")
        }
    }

    func run() async throws {
        if let file = savedPlanFile {
            if outputsFile != nil {
                throw ValidationError(
                    "--outputs reads the project from the manifests; give it to apply with manifests, or run output --format json after apply FILE"
                )
            }
            if abortIncomplete {
                throw ValidationError(
                    "--abort-incomplete changes what is planned; give it to apply with manifests, not to apply FILE")
            }
            return try await applySaved(file)
        }
        let manifest = try ManifestInput.load(paths)
        InterruptHandler.install()
        let shard = sharding.shard
        // Shards lock and lease apart: they own disjoint addresses.
        let lockName = shard?.qualify(manifest.project) ?? manifest.project
        let lock = try ApplyLock.acquire(stateDirectory: connection.stateDir, project: lockName, breakLock: locking.breakLock)
        defer { lock.release() }
        let filter = selection.filter
        let options = applyOptions
        let colour = output.colour
        let autoApprove = autoApprove
        let wait = wait
        let lease = ApplyLease(connection: connection, breakLock: locking.breakLock)
        let withCost = costing.withCost
        let maxCost = costing.maxCostValue
        defer { connection.printSandboxAfterword() }
        let abortIncomplete = abortIncomplete
        let failed = try await connection.withProvider(manifest.provider) { provider -> Bool in
            try await lease.run(provider, project: lockName) { confirmLease in
                let applier = Applier(provider: provider, project: manifest.project, options: options, progress: Self.progress())
                try await adoptTentative(applier, confirmLease)
                var planOptions = PlanOptions(forceLive: options.forceLive)
                planOptions.trustSource = trustSource
                var (plan, partial) = filter.apply(to: try await applier.plan(manifest, options: planOptions))
                if let partial { Terminal.stderr(partial.warning) }
                plan = ShardOptions.restrict(plan, to: shard)
                if abortIncomplete { plan = plan.abandoningIncompleteUploads() }
                if withCost { plan.cost = await applier.cost(of: plan, maxCost: maxCost) }
                Terminal.stdout(PlanTextRenderer(colour: colour).render(plan), newline: false)
                guard plan.hasChanges else {
                    try await writeOutputs(applier, manifest)
                    return false
                }
                try refuseUnallowedDeletes(plan, options)
                // Before anything is created: a transcode is charged when its upload completes.
                try CostOptions.refuse(plan.cost)
                try confirm(autoApprove: autoApprove)
                // Until the lease is confirmed: the creates' sources are hashed, and the first creates
                // are made tentatively and send their parts (nothing else changes on the account).
                applier.prepare(plan)
                if let claim = confirmLease.claim { applier.startTentative(plan, claim: claim) }
                let approved = ContinuousClock.now
                do { try await confirmLease() } catch {
                    applier.context.prepared.cancel()
                    await applier.context.tentative.abandon(applier.context)
                    throw error
                }
                applier.context.tentative.confirm()
                if ProcessInfo.processInfo.environment["STREAMPLAN_HASH_STATS"] != nil {
                    let waited = Double((ContinuousClock.now - approved) / .milliseconds(1)) / 1000
                    Terminal.stderr(
                        "streamplan: the lease's confirmation came \(String(format: "%.2f", waited)) s after approval")
                }
                async let removed = applier.context.tentative.removeForeign(applier.context)
                let failed = try await execute(plan, applier, wait: wait)
                let count = await removed
                if count > 0 {
                    Terminal.stderr(
                        "note: deleted \(count) unfinished video(s) that an interrupted or concurrent apply had created "
                            + "before its lease was confirmed")
                }
                try await writeOutputs(applier, manifest)
                return failed
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// When this apply took the lease over from a dead, expired or broken claim: that claim's
    /// tentative videos become the project's before the plan, which then resumes them.
    func adoptTentative(_ applier: Applier, _ gate: LeaseGate) async throws {
        guard let claim = gate.claim, let takenOver = gate.takenOver else { return }
        let adopted = try await applier.adoptTentative(lease: claim.lease, takenOver: takenOver)
        if adopted > 0 {
            Terminal.stderr("note: \(adopted) video(s) created by the apply whose lease was taken over are resumed")
        }
    }

    /// The part size in bytes: `STREAMPLAN_PART_SIZE` (bytes, for tests against a sandbox), else `--part-size`.
    var partSizeBytes: Int64 {
        ProcessInfo.processInfo.environment["STREAMPLAN_PART_SIZE"].flatMap { Int64($0) } ?? Int64(partSize) << 20
    }

    /// The execution settings both apply paths (manifests and a saved plan) use.
    var applyOptions: ApplyOptions {
        var options = ApplyOptions()
        options.parallelism = parallelism
        options.partConcurrency = partConcurrency
        options.allowDelete = allowDelete
        options.forceLive = forceLive
        options.stateDirectory = connection.stateDir
        options.partSize = partSizeBytes
        if let shard = sharding.shard, shard.count > 1 { options.referenceWait = .seconds(shardWait ?? 1800) }
        return options
    }

    static func progress() -> ProgressReporter {
        ProgressReporter(interactive: Terminal.isTTY(STDERR_FILENO)) { Terminal.stderr($0, newline: false) }
    }

    /// Deletes and replaces need --allow-delete; refuse before anything changes.
    func refuseUnallowedDeletes(_ plan: Plan, _ options: ApplyOptions) throws {
        do {
            try options.checkAllowed(plan)
        } catch {
            Terminal.stderr(
                "error: this plan deletes or replaces videos or live streams; nothing was changed. "
                    + "Run apply with --allow-delete to allow it.")
            throw StreamplanExit.failure.code
        }
    }

    private func confirm(autoApprove: Bool) throws {
        guard !autoApprove else { return }
        guard Terminal.isTTY(STDIN_FILENO) else {
            Terminal.stderr(
                "error: no terminal to confirm on; nothing was changed. Review the plan and run apply with --auto-approve.")
            throw ExitCode.failure
        }
        let answer = InterruptHandler.readLineOrInterrupt(
            prompt: "Do you want to apply these changes? Only 'yes' will be accepted: ")
        if answer == nil && Interruption.requested {
            Terminal.stdout("")
            Terminal.stderr("Apply cancelled by an interrupt at the prompt; nothing was changed.")
            throw ExitCode.failure
        }
        guard answer == "yes" else {
            Terminal.stderr("Apply cancelled; nothing was changed.")
            throw ExitCode.failure
        }
    }

    /// Performs the plan and prints each change's result, the links of the videos it left and the
    /// blocked changes; true when anything failed or was blocked.
    func execute(_ plan: Plan, _ applier: Applier, wait: Bool) async throws -> Bool {
        let outcomes = try await applier.apply(plan)
        // About how many videos the project holds now: many links are read from its list (`results`).
        let projectVideos =
            plan.changes.filter { $0.address.kind == .video && $0.action != .delete }.count
            + plan.unchanged.filter { $0.kind == .video }.count
        // Interrupted: no waiting for transcodes.
        let results = try await applier.results(
            outcomes, wait: wait && !Interruption.requested, projectVideos: projectVideos
        ) { Terminal.stderr($0) }
        var failed = false
        Terminal.stdout("")
        for result in results {
            let outcome = result.outcome
            if outcome.notStarted {
                failed = true
                Terminal.stderr("not started: \(outcome.address) (\(outcome.action.rawValue))")
                continue
            }
            if let error = outcome.error {
                failed = true
                Terminal.stderr("error: \(outcome.address) (\(outcome.action.rawValue)) failed: \(error)")
                continue
            }
            guard let id = outcome.objectID else {
                Terminal.stdout("\(outcome.address): deleted")
                continue
            }
            guard let video = result.video else {
                Terminal.stdout("\(outcome.address): \(outcome.action.pastTense), id \(id)")
                continue
            }
            Terminal.stdout(Self.describe(outcome, video, link: connection.printedLink))
            for warning in outcome.warnings { Terminal.stderr("warning: \(outcome.address): \(warning)") }
            if video.state == .failed { failed = true }
        }
        let ok = outcomes.filter(\.succeeded).count
        if Interruption.requested {
            let skipped = outcomes.filter(\.notStarted).count
            Terminal.stdout(
                "Apply interrupted: \(ok) of \(outcomes.count) changes made, \(skipped) not started; "
                    + "run apply again to finish.")
            return true
        }
        Terminal.stdout("Apply \(failed ? "finished with errors" : "complete"): \(ok) of \(outcomes.count) changes made.")
        return Self.reportBlocked(plan) || failed
    }

    /// A video's line after an apply, with the links a person wants (as `link` rewrites them).
    static func describe(_ outcome: ApplyOutcome, _ video: RemoteVideo, link: (String) -> String = { $0 }) -> String {
        var text = "\(outcome.address): \(outcome.action.pastTense), id \(video.id), status \(video.state)"
        for printable in video.links.printable { text += "\n    \(printable.name): \(link(printable.url))" }
        return text
    }

    /// Prints the blocked changes to stderr; true when there were any (apply then exits non-zero).
    static func reportBlocked(_ plan: Plan) -> Bool {
        let blocked = plan.blockedChanges
        guard !blocked.isEmpty else { return false }
        Terminal.stderr("error: \(blocked.count) change\(blocked.count == 1 ? " was" : "s were") blocked and not applied:")
        for change in blocked {
            Terminal.stderr("  \(change.address) (\(change.action.rawValue)): \(change.blocked ?? "")")
        }
        return true
    }
}
