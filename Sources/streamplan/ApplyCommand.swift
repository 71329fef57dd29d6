import AIOZ
import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning

/// `streamplan apply`: makes the account match the manifests.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make AIOZ Stream match the manifests: create, upload, update, replace and delete videos.",
        discussion: """
            Plans as `streamplan plan` does, asks for confirmation (unless --auto-approve), then executes: \
            creates videos, uploads sources in parts (MD5 per part, Content-Range), sets thumbnails, patches \
            fields and deletes. Deletes and replacements need --allow-delete. An interrupted apply is safe to \
            run again: it resumes uploads without re-sending acknowledged parts and never duplicates a video.
            Given one saved plan file (from `streamplan plan --out FILE`) instead of manifests, apply re-reads \
            only the remote objects the plan touches and the local files it uploads, refuses with exit 3 if any \
            changed since the plan, and otherwise performs exactly the saved changes, without asking.
            One apply per project runs at a time (a lock under --state-dir); a second one exits 4 at once.
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

    @Flag(help: "Apply without asking for confirmation (needed when there is no terminal, as in CI).")
    var autoApprove = false

    @Flag(help: "Allow the plan to delete or replace videos.")
    var allowDelete = false

    @Flag(help: "Allow deleting or replacing a live stream key or streaming that is broadcasting.")
    var forceLive = false

    @Option(help: "Videos worked on at once.")
    var parallelism: Int = 4

    @Option(help: "Upload part size in MiB (5 to 200).")
    var partSize: Int = 50

    @Flag(help: "Wait until transcoding finishes and report each video's final status.")
    var wait = false

    func validate() throws {
        guard (1...64).contains(parallelism) else { throw ValidationError("--parallelism must be between 1 and 64") }
        guard (5...200).contains(partSize) || ProcessInfo.processInfo.environment["STREAMPLAN_MIN_PART_SIZE"] != nil else {
            throw ValidationError("--part-size must be between 5 and 200 (MiB)")
        }
    }

    func run() async throws {
        if let file = savedPlanFile {
            return try await applySaved(file)
        }
        let manifest = try ManifestInput.load(paths)
        let lock = try ApplyLock.acquire(stateDirectory: connection.stateDir, project: manifest.project, breakLock: locking.breakLock)
        defer { lock.release() }
        let filter = selection.filter
        let options = applyOptions
        let state = connection.stateDir
        let colour = output.colour
        let autoApprove = autoApprove
        let wait = wait
        let forceLive = forceLive
        let failed = try await connection.withClient { client -> Bool in
            let reconciler = Reconciler(client: client, stateDirectory: state)
            let (full, desired) = try await reconciler.plan(manifest, forceLive: forceLive)
            let (plan, partial) = filter.apply(to: full)
            if let partial { Terminal.stderr(partial.warning) }
            Terminal.stdout(PlanTextRenderer(colour: colour).render(plan), newline: false)
            guard plan.hasChanges else { return false }
            try refuseUnallowedDeletes(plan)
            try confirm(autoApprove: autoApprove)
            let progress = ProgressReporter(interactive: Terminal.isTTY(STDERR_FILENO)) { Terminal.stderr($0, newline: false) }
            let executor = Executor(client: client, project: manifest.project, options: options,
                                    journal: UploadJournal(path: reconciler.journalPath), progress: progress)
            let outcomes = try await executor.apply(plan, desired: desired)
            let live = try await LiveApply.run(plan, manifest: manifest, client: client, allowDelete: options.allowDelete,
                                               forceLive: forceLive)
            let failed = try await report(outcomes + live, client: client, wait: wait)
            return LiveApply.reportBlocked(plan) || failed
        }
        if failed { throw ExitCode.failure }
    }

    /// The execution settings both apply paths (manifests and a saved plan) use.
    var applyOptions: ApplyOptions {
        var options = ApplyOptions()
        options.parallelism = parallelism
        options.allowDelete = allowDelete
        options.minimumPartSize = connection.minimumPartSize
        options.partSize = ProcessInfo.processInfo.environment["STREAMPLAN_PART_SIZE"].flatMap { Int64($0) }
            ?? Int64(partSize) * PartPlan.mebibyte
        return options
    }

    /// Deletes and replaces need --allow-delete; refuse before anything changes.
    func refuseUnallowedDeletes(_ plan: Plan) throws {
        guard plan.isDestructive && !allowDelete else { return }
        Terminal.stderr("error: this plan deletes or replaces videos or live streams; nothing was changed. "
            + "Run apply with --allow-delete to allow it.")
        throw StreamplanExit.failure.code
    }

    private func confirm(autoApprove: Bool) throws {
        guard !autoApprove else { return }
        guard Terminal.isTTY(STDIN_FILENO) else {
            Terminal.stderr("error: no terminal to confirm on; nothing was changed. Review the plan and run apply with --auto-approve.")
            throw ExitCode.failure
        }
        Terminal.stdout("Do you want to apply these changes? Only 'yes' will be accepted: ", newline: false)
        guard readLine() == "yes" else {
            Terminal.stderr("Apply cancelled; nothing was changed.")
            throw ExitCode.failure
        }
    }

    /// Prints each change's result and the links of the videos it left; true when any failed.
    func report(_ outcomes: [ApplyOutcome], client: AIOZClient, wait: Bool) async throws -> Bool {
        var failed = false
        Terminal.stdout("")
        for outcome in outcomes {
            if let error = outcome.error {
                failed = true
                Terminal.stderr("error: \(outcome.address) (\(outcome.action.rawValue)) failed: \(error)")
                continue
            }
            guard let id = outcome.videoID else {
                Terminal.stdout("\(outcome.address): deleted")
                continue
            }
            if LiveApply.isLive(outcome) {
                Terminal.stdout("\(outcome.address): \(outcome.action.rawValue)d, id \(id)")
                continue
            }
            var video = try await client.getVideo(id: id)
            if wait {
                video = try await waitForTranscoding(video, client: client, address: outcome.address)
            }
            Terminal.stdout(VideoLinks.describe(address: outcome.address, action: outcome.action, video: video))
            if video.status.rawValue == "fail" { failed = true }
        }
        let ok = outcomes.filter(\.succeeded).count
        Terminal.stdout("Apply \(failed ? "finished with errors" : "complete"): \(ok) of \(outcomes.count) changes made.")
        return failed
    }

    private func waitForTranscoding(_ start: Video, client: AIOZClient, address: String) async throws -> Video {
        var video = start
        var last = ""
        while video.status.rawValue == "transcoding" || video.status.rawValue == "new" {
            let line = "\(address): \(video.status.rawValue)"
                + video.qualities.map { " \($0.name)=\($0.status ?? "?")" }.joined()
            if line != last { Terminal.stderr(line) }
            last = line
            try await Task.sleep(for: .seconds(2))
            video = try await client.getVideo(id: video.id)
        }
        if video.status.rawValue == "fail" {
            Terminal.stderr("error: \(address): transcoding failed on AIOZ Stream (video \(video.id))")
        }
        return video
    }
}

/// The links a person wants after an apply.
enum VideoLinks {
    static func describe(address: String, action: ChangeAction, video: Video) -> String {
        var text = "\(address): \(action.rawValue)d, id \(video.id), status \(video.status.rawValue)"
        let assets = video.assets
        let links: [(String, String?)] = [
            ("hls", assets?.hlsURL), ("dash", assets?.dashURL), ("player", assets?.hlsPlayerURL), ("mp4", assets?.mp4URL),
        ]
        for (name, url) in links {
            if let url, !url.isEmpty { text += "\n    \(name): \(url)" }
        }
        return text
    }
}
