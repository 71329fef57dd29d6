import AIOZ
import Foundation
import Manifest
import Planning

/// Reads the fingerprint of the remote object a change touches, the same way at plan and at apply
/// time, so that the two can be compared.
public struct FingerprintReader: Sendable {
    public let client: AIOZClient
    public let project: String

    public init(client: AIOZClient, project: String) {
        self.client = client
        self.project = project
    }

    /// The fingerprints of `changes`, in their order. Videos are read one by one; live keys and
    /// streamings from one reading of the registry and of the keys the live changes touch (by id,
    /// with their streamings), never of other keys.
    public func fingerprints(_ changes: [ResourceChange]) async throws -> [RemoteFingerprint] {
        let live = changes.filter { $0.kind != .video }
        var registry = LiveRegistryEntries()
        var keys: [String: ObservedLiveKey] = [:]
        if !live.isEmpty {
            let loaded = try await LiveRegistry.load(project: project, client: client)
            registry = await loaded.entries
            var ids = Set<String>()
            for change in live {
                if let id = registry.id(RemoteFingerprint.liveKeyAddress(of: change.address)) { ids.insert(id) }
                if change.kind == .liveStream, let id = change.remoteID { ids.insert(id) }
                if change.kind == .streaming, let id = change.parentID { ids.insert(id) }
            }
            for id in ids.sorted() {
                if let key = try await LiveObserver.observeKey(id: id, client: client) { keys[id] = key }
            }
        }
        var out: [RemoteFingerprint] = []
        for change in changes {
            if change.kind == .video {
                out.append(try await video(change))
            } else {
                out.append(.live(change, registry: registry, keys: keys))
            }
        }
        return out
    }

    private func video(_ change: ResourceChange) async throws -> RemoteFingerprint {
        guard change.action != .create, let id = change.remoteID else {
            // A create holds while no video of this project carries the address.
            if let found = try await findVideo(address: change.address) {
                return RemoteFingerprint(kind: .video, address: change.address, remoteID: found.id, exists: true)
            }
            return RemoteFingerprint(kind: .video, address: change.address, remoteID: nil, exists: false)
        }
        do {
            let video = try await client.getVideo(id: id)
            if video.status == .deleted {
                return RemoteFingerprint(kind: .video, address: change.address, remoteID: id, exists: false)
            }
            return .video(Observer.observed(video), address: change.address, action: change.action)
        } catch let error as AIOZError where error.code == .notFound {
            return RemoteFingerprint(kind: .video, address: change.address, remoteID: id, exists: false)
        }
    }

    private func findVideo(address: String) async throws -> Video? {
        var query = VideoListQuery()
        query.limit = 100
        query.metadata = [MetadataPair(key: OwnershipMark.project, value: project),
                          MetadataPair(key: OwnershipMark.address, value: address)]
        return try await client.allVideos(query).first { video in
            video.status != .deleted
                && video.metadata.contains { $0.key == OwnershipMark.address && $0.value == address }
                && video.metadata.contains { $0.key == OwnershipMark.project && $0.value == project }
        }
    }
}

/// Building a saved plan and checking one before apply.
public enum Staleness {
    /// Plans, fingerprints every touched object, and plans again: the fingerprints are read between
    /// two observations that gave the same plan, so they describe a state the plan is right for.
    /// With `forceLive`, planned as `apply --force-live` would (deleting what broadcasts is not blocked).
    public static func savedPlan(
        reconciler: Reconciler, manifest: Manifest, filter: AddressFilter, directory: String, forceLive: Bool = false
    ) async throws -> (saved: SavedPlan, plan: Plan, partial: PartialPlan?) {
        let reader = FingerprintReader(client: reconciler.client, project: manifest.project)
        let digest = try SavedPlan.manifestsDigest(files: manifest.files)
        for _ in 0..<3 {
            let (full, desired) = try await reconciler.plan(manifest, forceLive: forceLive)
            let (plan, partial) = filter.apply(to: full)
            let fingerprints = try await reader.fingerprints(plan.changes)
            let (again, _) = try await reconciler.plan(manifest, forceLive: forceLive)
            guard filter.apply(to: again).plan == plan else { continue }
            let needed = Set(plan.changes.filter { $0.action != .delete }.map(\.address))
            let videos = desired.filter { needed.contains($0.address) }.map { SavedVideo($0, relativeTo: directory) }
            let liveKeys = Set(needed.map(RemoteFingerprint.liveKeyAddress(of:)))
            let liveStreams = manifest.liveStreams.filter { liveKeys.contains($0.address) }
                .map { SavedLiveStream($0, streamings: needed) }
            let saved = SavedPlan(plan: plan, partial: partial, manifestsDigest: digest, videos: videos,
                                  liveStreams: liveStreams, fingerprints: fingerprints)
            return (saved, plan, partial)
        }
        throw ApplyError("the account kept changing while planning (three tries); run plan again when it is quiet")
    }

    /// Everything that no longer holds since the saved plan was made, one sentence each: remote
    /// objects whose fingerprint changed, and local files whose content changed.
    public static func check(_ saved: SavedPlan, client: AIOZClient, directory: String, stateDirectory: String) async throws -> [String] {
        var problems: [String] = []
        let plan = saved.plan.plan
        let hasher = ContentHasher(cachePath: stateDirectory + "/hash-cache.json")
        let videos = Dictionary(saved.videos.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for change in plan.changes where change.kind == .video && change.action != .delete {
            guard let video = videos[change.address] else {
                problems.append("\(change.address): the saved plan lacks its desired state (the file is damaged)")
                continue
            }
            var files: [(String, SavedFile)] = []
            if change.action != .update { files.append(("source", video.source)) }
            if let thumbnail = video.thumbnail, change.action != .update || change.thumbnail == .set || change.thumbnail == .replace {
                files.append(("thumbnail", thumbnail))
            }
            for (role, file) in files {
                let path = file.path.hasPrefix("/") ? file.path : directory + "/" + file.path
                do {
                    let sha = try await hasher.sha256(of: path)
                    if sha != file.sha256 {
                        problems.append("\(change.address): the \(role) \(file.written) changed since the plan "
                            + "(sha256 \(file.sha256.prefix(12)) then, \(sha.prefix(12)) now)")
                    }
                } catch {
                    problems.append("\(change.address): the \(role) \(file.written) cannot be read: \(error)")
                }
            }
        }
        try? await hasher.save()
        let keys = Set(saved.liveStreams.map(\.address))
        let streamings = Set(saved.liveStreams.flatMap { $0.streamings.map(\.address) })
        for change in plan.changes where change.kind != .video && change.action != .delete && change.blocked == nil {
            let present = change.kind == .liveStream ? keys.contains(change.address) : streamings.contains(change.address)
            if !present { problems.append("\(change.address): the saved plan lacks its desired state (the file is damaged)") }
        }
        let reader = FingerprintReader(client: client, project: plan.project)
        let now = try await reader.fingerprints(plan.changes)
        for (seen, now) in zip(saved.fingerprints, now) {
            problems += seen.differences(now)
        }
        if saved.fingerprints.count != plan.changes.count {
            problems.append("the saved plan has \(saved.fingerprints.count) fingerprints for \(plan.changes.count) changes (the file is damaged)")
        }
        return problems
    }
}
