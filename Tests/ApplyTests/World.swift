import AIOZ
import Apply
import Foundation
import Manifest
import Planning
import Sandbox
import SandboxTesting

/// The apply tests' view of the shared harness: a sandbox (`TestSandbox`), a workspace to write
/// manifests and media into (`TestWorkspace`), and the library's `Applier` wired to both.
struct World {
    let sandbox: TestSandbox
    let workspace: TestWorkspace
    var options: ApplyOptions

    var server: SandboxServer { sandbox.server }
    var client: AIOZClient { sandbox.client }
    var directory: String { workspace.directory }
    var project: String { workspace.project }

    /// Runs `body` against a fresh sandbox and workspace (small parts, so small files have several).
    static func with(_ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (inout World) async throws -> Void)
        async throws
    {
        var retry = TestSandbox.fastRetries()
        retry.maxAttempts = 8
        try await TestSandbox.with(configuration, retryPolicy: retry, minimumPartSize: 16 * 1024) { sandbox in
            try await TestWorkspace.with { workspace in
                var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
                options.partSize = 64 * 1024
                var world = World(sandbox: sandbox, workspace: workspace, options: options)
                try await body(&world)
            }
        }
    }

    func media(_ name: String, size: Int, seed: UInt8 = 1) throws { try workspace.media(name, size: size, seed: seed) }
    func manifest(_ yaml: String) throws { try workspace.manifest(yaml) }
    func load() throws -> Manifest { try workspace.load() }
    func fileHash(_ name: String) throws -> String { try workspace.fileHash(name) }

    func applier(allowDelete: Bool = false, forceLive: Bool = false) -> Applier {
        var options = self.options
        options.allowDelete = allowDelete
        options.forceLive = forceLive
        return Applier(provider: sandbox.provider, project: project, options: options)
    }

    func plan(forceLive: Bool = false) async throws -> Plan {
        try await applier(forceLive: forceLive).plan(try load(), options: PlanOptions(forceLive: forceLive))
    }

    /// Plans and applies as `streamplan apply` does; throws on a refused plan or a failed change.
    @discardableResult
    func apply(allowDelete: Bool = false, forceLive: Bool = false) async throws -> [ApplyOutcome] {
        let applier = applier(allowDelete: allowDelete, forceLive: forceLive)
        let plan = try await applier.plan(try load(), options: PlanOptions(forceLive: forceLive))
        let outcomes = try await applier.apply(plan)
        for outcome in outcomes where !outcome.succeeded {
            throw ApplyError("\(outcome.address): \(outcome.error ?? "")")
        }
        return outcomes
    }

    /// Every video on the account, streamplan's or not.
    func remoteVideos() async throws -> [Video] {
        try await client.allVideos(VideoListQuery())
    }

    /// Downloads a video's assembled source and returns its SHA-256 (retried: faults may hit it too).
    func sourceHash(of video: Video) async throws -> String {
        guard let url = video.assets?.sourceURL, !url.isEmpty else { throw ApplyError("video \(video.id) has no source_url") }
        for _ in 0..<10 {
            guard let (status, body) = try? await TestSandbox.download(url), status == 200 else { continue }
            return TestMedia.sha256(body)
        }
        throw ApplyError("could not download the source of video \(video.id)")
    }
}
