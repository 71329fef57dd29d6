import Apply
import ArgumentParser
import Foundation
import Manifest
import Planning

/// `streamplan apply FILE`: executes a saved plan exactly, or refuses when it is stale.
extension ApplyCommand {
    /// The saved plan named instead of manifests: one path that is a regular file and not YAML.
    var savedPlanFile: String? {
        guard paths.count == 1, let path = paths.first, !path.hasSuffix(".yaml"), !path.hasSuffix(".yml") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return path
    }

    private enum SavedOutcome: Sendable {
        case stale([String])
        case tooCostly(PlanCost)
        case applied(failed: Bool)
    }

    func applySaved(_ file: String) async throws {
        if !selection.filter.isEmpty {
            let plan =
                ["plan"] + connection.repeated + selection.targets.flatMap { ["--target", $0] }
                + selection.excludes.flatMap { ["--exclude", $0] } + ["--out", file]
            throw ValidationError(
                "--target and --exclude choose what to plan; give them to `\(Hint.command(plan))`, not to apply FILE")
        }
        let saved: SavedPlan
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            saved = try SavedPlan.decode(data, path: file)
        } catch let error as SavedPlanError {
            // Its advice, `streamplan plan --out FILE`, spelled as this streamplan runs and connects.
            let plan = Hint.command(["plan"] + connection.repeated + ["--out", file])
            Terminal.stderr(
                "error: " + error.description.replacingOccurrences(of: "`streamplan plan --out \(file)`", with: "`\(plan)`"))
            throw StreamplanExit.failure.code
        } catch {
            Terminal.stderr("error: cannot read \(file): \(error.localizedDescription)")
            throw StreamplanExit.failure.code
        }
        guard let service = ServiceProvider(rawValue: saved.provider ?? ServiceProvider.aioz.rawValue) else {
            Terminal.stderr(
                "error: \(file) was planned for provider \"\(saved.provider ?? "")\", which this streamplan does not know; nothing was changed"
            )
            throw StreamplanExit.failure.code
        }
        if saved.toolVersion != ToolVersion.current {
            Terminal.stderr("warning: \(file) was written by streamplan \(saved.toolVersion); this is \(ToolVersion.current)")
        }
        InterruptHandler.install()
        let directory = FileManager.default.currentDirectoryPath
        let plan: Plan
        do {
            plan = try saved.resolvedPlan(directory: directory)
            WebhookSecrets.register(plan.changes.compactMap { $0.desired?.webhook }.filter { !$0.publicURL }.map(\.url))
            WebhookSecrets.registerRestreams(plan.changes.compactMap { $0.desired?.restream?.url })
        } catch let error as SavedPlanError {
            Terminal.stderr("error: \(file): \(error.description)")
            throw StreamplanExit.failure.code
        }
        let savedShard = saved.plan.shard
        if let wanted = sharding.shard, wanted != savedShard {
            Terminal.stderr(
                "error: \(file) was planned for \(savedShard.map { "shard \($0)" } ?? "the whole project"), not for shard \(wanted); "
                    + "nothing was changed. Apply each shard's own saved plan.")
            throw StreamplanExit.failure.code
        }
        let lockName = savedShard?.qualify(plan.project) ?? plan.project
        let lock = try ApplyLock.acquire(stateDirectory: connection.stateDir, project: lockName, breakLock: locking.breakLock)
        defer { lock.release() }
        if let partial = saved.plan.partial { Terminal.stderr(partial.warning) }
        Terminal.stdout(PlanTextRenderer(colour: output.colour).render(plan), newline: false)
        guard plan.hasChanges else { return }
        let options = applyOptions
        try refuseUnallowedDeletes(plan, options)
        let wait = wait
        let lease = ApplyLease(connection: connection, breakLock: locking.breakLock)
        let withCost = costing.withCost
        // The limit given now, else the one the plan was made with.
        let maxCost = costing.maxCostValue ?? plan.cost?.maxCost
        defer { connection.printSandboxAfterword() }
        let outcome = try await connection.withProvider(service) { provider -> SavedOutcome in
            try await lease.run(provider, project: lockName) { confirmLease in
                let applier = Applier(provider: provider, project: plan.project, options: options, progress: Self.progress())
                let problems = try await applier.staleness(plan)
                guard problems.isEmpty else { return .stale(problems) }
                // Balances and prices move: price the saved transcodes again and read the balance now.
                // The cost as it is now replaces the one saved (which only informs the reviewers).
                var current = plan
                current.cost = withCost ? await applier.cost(of: plan, maxCost: maxCost) : nil
                if let cost = current.cost, !cost.refusals.isEmpty { return .tooCostly(cost) }
                // Reads and hashes the creates' sources only (nothing on the account) until the lease is confirmed.
                applier.prepare(current)
                do { try await confirmLease() } catch {
                    applier.context.prepared.cancel()
                    throw error
                }
                return .applied(failed: try await execute(current, applier, wait: wait))
            }
        }
        switch outcome {
        case .stale(let problems):
            Terminal.stderr("error: the saved plan \(file) is stale; nothing was changed:")
            for problem in problems { Terminal.stderr("  - \(problem)") }
            var again = ["plan"] + connection.repeated
            if let shard = savedShard { again += ["--shard", shard.description] }
            for target in saved.plan.partial?.targets ?? [] { again += ["--target", target] }
            for exclude in saved.plan.partial?.excludes ?? [] { again += ["--exclude", exclude] }
            again += ["--out", file] + (saved.manifests ?? [])
            Terminal.stderr("Plan again with `\(Hint.command(again))` and review the new plan.")
            throw StreamplanExit.stalePlan.code
        case .tooCostly(let cost):
            Terminal.stderr("The cost of \(file) now, before anything is created:")
            Terminal.stderr(PlanTextRenderer.costBlock(cost).trimmingCharacters(in: .newlines))
            try CostOptions.refuse(cost)
        case .applied(let failed):
            if failed { throw StreamplanExit.failure.code }
        }
    }
}
