import Foundation
public import Manifest
public import Planning
import Providers

/// Saving a plan for `apply FILE`, and checking one before it is applied.
extension Applier {
    /// Plans and keeps, with each change, its fingerprint as observed (one observation: the
    /// fingerprints describe exactly the state the plan was made for).
    public func savedPlan(
        _ manifest: Manifest, filter: AddressFilter, shard: Shard? = nil, directory: String, options: PlanOptions = PlanOptions(),
        withCost: Bool = false, maxCost: Decimal? = nil
    ) async throws -> (saved: SavedPlan, plan: Plan, partial: PartialPlan?) {
        let digest = try SavedPlan.manifestsDigest(files: manifest.files)
        // A saved plan keeps each webhook's url as written: a credential written in clear would be
        // kept with it (issue 26). Refused, with the `${NAME}` form as the fix.
        for hook in manifest.webhooks where !hook.publicURL && !WebhookURL.literalCredentials(hook.writtenURL).isEmpty {
            throw ApplyError(
                "webhook.\(hook.name): its url \(WebhookURL.masked(hook.url)) carries a credential written in the manifests, "
                    + "which a saved plan would keep in clear; write that part as ${NAME} (an environment variable, "
                    + "e.g. url: https://hooks.example.com/${HOOK_TOKEN}) and plan again")
        }
        // Likewise a source URL with a credential in it (a presigned URL's signature): the saved plan
        // must keep the URL to apply it.
        for video in manifest.videos {
            for file in [video.source] + (video.thumbnail.map { [$0] } ?? []) {
                guard let remote = file.remote, remote.scheme != .s3, !WebhookURL.credentials(remote.url).isEmpty else {
                    continue
                }
                throw ApplyError(
                    "video.\(video.name): the URL \(remote.shown) carries a credential (a presigned URL's signature, a token), "
                        + "which a saved plan would keep in clear; name the object as s3://BUCKET/KEY with AWS_* credentials "
                        + "from the environment, or apply the manifests directly (streamplan apply PATHS)")
            }
        }
        // Validate refuses a restream stream key written literally; checked again so that no saved
        // plan can keep one, whatever built the manifest.
        for restream in manifest.liveStreams.flatMap(\.restreams) {
            if let problem = RestreamURL.literalKeyProblem(restream.writtenURL) {
                throw ApplyError("\(restream.address): \(problem); write its stream key as ${NAME} and plan again")
            }
        }
        // A saved plan may be applied on another machine (a CI job of its own): it pins every source
        // by content, so creates' sources are hashed here (an `apply PATHS` reads them once, uploading).
        var (plan, partial) = filter.apply(to: try await self.plan(manifest, options: options, hashEverySource: true))
        if let shard { plan = shard.apply(to: plan) }
        // Priced after filtering, so the cost is that of exactly the saved changes.
        if withCost { plan.cost = await cost(of: plan, maxCost: maxCost) }
        var saved = SavedPlan(plan: plan, partial: partial, manifestsDigest: digest, directory: directory, shard: shard)
        saved.provider = manifest.provider == .aioz ? nil : manifest.provider.rawValue
        return (saved, plan, partial)
    }

    /// Everything that no longer holds since the saved plan was made, one sentence each: local files
    /// whose content changed, and remote objects whose fingerprint changed (only those objects are read).
    public func staleness(_ plan: Plan) async throws -> [String] {
        var problems: [String] = []
        let hasher = context.hashes
        // Moves and protection records carry no desired state: they change ownership, not the object.
        for change in plan.changes where change.action != .delete && !change.isOwnership {
            if change.desired == nil && change.blocked == nil {
                problems.append("\(change.address): the saved plan lacks its desired state (the file is damaged)")
            }
            if let stale = change.desired?.webhook?.stale { problems.append("\(change.address): \(stale)") }
            if let stale = change.desired?.restream?.stale { problems.append("\(change.address): \(stale)") }
            guard let video = change.desired?.video else { continue }
            var files: [(String, DesiredFile)] = []
            if change.action != .update { files.append(("source", video.source)) }
            if let thumbnail = video.thumbnail,
                change.action != .update || change.thumbnail == .set || change.thumbnail == .replace
            {
                files.append(("thumbnail", thumbnail))
            }
            for (role, file) in files {
                do {
                    if file.remote != nil {
                        if let problem = try await RemoteSources.staleness(of: file, role: role) {
                            problems.append("\(change.address): \(problem)")
                        }
                        continue
                    }
                    guard let planned = file.sha256 else {
                        // Not hashed when planned (a create's source is hashed while it uploads): the
                        // plan pinned its size, modification time and inode, as the hash cache does.
                        let now = try ContentHasher.identity(of: file.path)
                        if file.identity != now {
                            problems.append(
                                "\(change.address): the \(role) \(file.written) changed since the plan "
                                    + "(\(file.identity.map { "\($0)" } ?? "no identity") then, \(now) now)")
                        }
                        continue
                    }
                    let sha = try await hasher.contentSHA256(of: file)
                    if sha != planned {
                        problems.append(
                            "\(change.address): the \(role) \(file.written) changed since the plan "
                                + "(sha256 \(planned.prefix(12)) then, \(sha.prefix(12)) now)")
                    }
                } catch {
                    problems.append("\(change.address): the \(role) \(file.written) cannot be read: \(error)")
                }
            }
        }
        try? await hasher.save()
        var observation = Observation()
        for executor in Self.executors {
            let changes = plan.changes.filter { $0.kind == executor.kind && !$0.isOwnership }
            if !changes.isEmpty { try await executor.reobserve(changes, into: &observation, context) }
        }
        // The plan's changes were fingerprinted on the account as its moves leave it.
        let moves = plan.changes.compactMap { change -> MovePlanner.Move? in
            guard change.action == .move, let from = change.movedFrom, let id = change.remoteID else { return nil }
            return MovePlanner.Move(from: from, to: change.address, id: id)
        }
        observation = MovePlanner.rewritten(observation, moves)
        let now = Planner.fingerprinted(plan.changes, observation)
        for (change, current) in zip(plan.changes, now) {
            guard let seen = change.fingerprint else {
                problems.append("\(change.address): the saved plan lacks its fingerprint (the file is damaged)")
                continue
            }
            guard let current = current.fingerprint else { continue }
            problems += seen.differences(current)
        }
        return problems
    }
}
