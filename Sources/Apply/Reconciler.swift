import AIOZ
import Foundation
import Manifest
import Planning

/// The plan pipeline: hash local files, observe the account, plan. Shared by `plan` and `apply`.
public struct Reconciler: Sendable {
    public let client: AIOZClient
    /// The `.streamplan/` directory for the hash cache and the upload journal.
    public let stateDirectory: String

    public init(client: AIOZClient, stateDirectory: String) {
        self.client = client
        self.stateDirectory = stateDirectory
    }

    /// The desired videos of a manifest, with their content hashes (cached by path, size, mtime, inode).
    public func desired(_ manifest: Manifest) async throws -> [DesiredVideo] {
        let hasher = ContentHasher(cachePath: stateDirectory + "/hash-cache.json")
        var result: [DesiredVideo] = []
        for spec in manifest.videos {
            let source = try await hasher.sha256(of: spec.source.path)
            var thumbnail: String?
            if let file = spec.thumbnail { thumbnail = try await hasher.sha256(of: file.path) }
            result.append(DesiredVideo(spec: spec, sourceSHA256: source, thumbnailSHA256: thumbnail))
        }
        try? await hasher.save()
        return result
    }

    /// Observes the account and plans the changes that make it match `manifest`.
    /// Live stream keys and streamings are planned after the videos (see LivePlanner); with
    /// `forceLive`, deleting or replacing a broadcasting one is not blocked.
    public func plan(_ manifest: Manifest, forceLive: Bool = false) async throws -> (plan: Plan, desired: [DesiredVideo]) {
        let desired = try await desired(manifest)
        let observed = try await Observer.videos(project: manifest.project, client: client)
        var plan = Planner.plan(project: manifest.project, desired: desired, observed: observed)
        let live = try await LiveObserver.observe(project: manifest.project, client: client).observed
        let planned = LivePlanner.plan(desired: manifest.liveStreams, observed: live, forceLive: forceLive)
        plan.changes += planned.changes
        plan.unchanged += planned.unchanged
        return (plan, desired)
    }

    public var journalPath: String { Self.journalPath(stateDirectory: stateDirectory) }

    /// Where the upload journal lives under a state directory.
    public static func journalPath(stateDirectory: String) -> String { stateDirectory + "/upload-journal.json" }
}
