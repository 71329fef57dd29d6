import AIOZ
import AsyncHTTPClient
import Apply
import Crypto
import Foundation
import Manifest
import NIOFoundationCompat
import Planning
import Sandbox

/// A sandbox on a free port, a client for it, and a manifests directory to edit between runs.
struct World {
    static let account = SandboxAccount(publicKey: "pk_test", secretKey: "sk_test_not_a_real_secret")

    let server: SandboxServer
    let client: AIOZClient
    let directory: String
    let project = "demo"
    var options: ApplyOptions

    /// Runs `body` against a fresh sandbox; everything is shut down and removed afterwards.
    static func with(_ sandbox: SandboxConfiguration = SandboxConfiguration(), _ body: (inout World) async throws -> Void) async throws {
        var configuration = sandbox
        configuration.accounts = [account]
        configuration.minPartSize = 16 * 1024
        try await SandboxServer.withSandbox(configuration) { server in
            let endpoint = try AIOZEndpoint(await server.baseURL)
            var retry = RetryPolicy.standard
            retry.maxAttempts = 8
            retry.baseDelay = .milliseconds(5)
            retry.maxDelay = .milliseconds(50)
            let client = AIOZClient(configuration: .init(
                endpoint: endpoint,
                credentials: AIOZCredentials(publicKey: account.publicKey, secretKey: account.secretKey),
                retryPolicy: retry))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apply-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory + "/media", withIntermediateDirectories: true)
            var options = ApplyOptions()
            options.partSize = 64 * 1024
            options.minimumPartSize = 16 * 1024
            var world = World(server: server, client: client, directory: directory, options: options)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            do {
                try await body(&world)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Writes a media file: a real MP4/JPEG signature followed by deterministic filler.
    func media(_ name: String, size: Int, seed: UInt8 = 1) throws {
        let head: [UInt8] = name.hasSuffix(".jpg")
            ? [0xFF, 0xD8, 0xFF, 0xE0] : [0, 0, 0, 0x18] + Array("ftypisom".utf8)
        var bytes = head
        var x = UInt32(seed) &* 2_654_435_761 | 1
        while bytes.count < size {
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            bytes.append(UInt8(truncatingIfNeeded: x))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/media/" + name))
    }

    func manifest(_ yaml: String) throws {
        try ("project: \(project)\n" + yaml).write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    func load() throws -> Manifest {
        let result = ManifestLoader(environmentSecret: nil).load([directory])
        guard let manifest = result.manifest else {
            throw ApplyError("manifest errors: \(result.diagnostics.map(\.description))")
        }
        return manifest
    }

    var reconciler: Reconciler { Reconciler(client: client, stateDirectory: directory + "/.streamplan") }

    func plan() async throws -> Plan {
        try await reconciler.plan(try load()).plan
    }

    @discardableResult
    func apply(allowDelete: Bool = false) async throws -> [ApplyOutcome] {
        let (plan, desired) = try await reconciler.plan(try load())
        var options = self.options
        options.allowDelete = allowDelete
        let executor = Executor(client: client, project: project, options: options,
                                journal: UploadJournal(path: reconciler.journalPath), progress: nil)
        let outcomes = try await executor.apply(plan, desired: desired)
        for outcome in outcomes where !outcome.succeeded {
            throw ApplyError("\(outcome.address): \(outcome.error ?? "")")
        }
        return outcomes
    }

    /// Every video on the account, streamplan's or not.
    func remoteVideos() async throws -> [Video] {
        try await client.allVideos(VideoListQuery())
    }

    /// Downloads a video's assembled source and returns its SHA-256.
    func sourceHash(of video: Video) async throws -> String {
        guard let url = video.assets?.sourceURL, !url.isEmpty else {
            throw ApplyError("video \(video.id) has no source_url")
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "stream-public-key", value: Self.account.publicKey)
        request.headers.add(name: "stream-secret-key", value: Self.account.secretKey)
        // Injected faults may hit this download too: try a few times.
        for _ in 0..<10 {
            guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)),
                response.status == .ok, let body = try? await response.body.collect(upTo: 64 << 20)
            else { continue }
            return SHA256.hash(data: Data(buffer: body)).map { String(format: "%02x", $0) }.joined()
        }
        throw ApplyError("could not download the source of video \(video.id)")
    }

    func fileHash(_ name: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/media/" + name))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
