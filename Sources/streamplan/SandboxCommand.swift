import ArgumentParser
import Foundation
import Sandbox

/// `streamplan sandbox`: runs the AIOZ Stream emulator on its own until interrupted.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local emulator of the AIOZ Stream API.",
        discussion: """
            Serves the AIOZ Stream API on loopback so manifests can be tried without an account. \
            Point a client at the printed base URL with the printed keys. See docs/sandbox.md.

            The first lines printed are machine-readable:
              sandbox: listening on http://127.0.0.1:PORT/api
              sandbox: public key PUBLIC
              sandbox: secret key SECRET
            then a page showing one account's videos and live keys, for a browser:
              sandbox: page http://127.0.0.1:PORT/ (sign in with a public key and its secret key)

            Aionvision's video upload API is served beside it (provider: aionvision; point --endpoint at
            the `aionvision on` URL and set AIONVISION_API_KEY to a secret key).

            Examples:
              streamplan sandbox --port 0
              streamplan sandbox --data .sandbox-data --account pk_demo:sk_demo --transcode-seconds 5
              streamplan sandbox --fault-rate 0.2 --seed 42 --min-part-size 65536
            """
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free port (printed).") var port = 8080
    @Option(help: "Keep the store and uploads in this directory so they survive a restart.") var data: String?
    @Option(name: .customLong("account"), help: "An account as PUBLIC:SECRET; repeat for several. Default: one random account.")
    var accounts: [String] = []
    @Option(help: "Smallest accepted non-final part, in bytes.") var minPartSize = 5 * 1024 * 1024
    @Option(help: "Seconds from complete to done; 0 means at once.") var transcodeSeconds = 0.0
    @Option(help: "Starting balance of each account.") var balance = 1_000_000.0
    @Option(help: "Fraction of API requests answered with an injected fault (0...1).") var faultRate = 0.0
    @Option(help: "Seed of the fault draw; the same seed fails the same requests.") var seed: UInt64 = 0
    @Option(help: "Comma-separated fault kinds: 500,502,503,429,drop,latency.") var faultKinds = "500,502,503,429,drop,latency"
    @Option(
        help:
            "Comma-separated path prefixes (after /api) eligible for faults, e.g. /videos; 'POST /live_streams/:id/streamings' only that method."
    )
    var faultPaths = ""
    @Option(help: "Emulate a wide-area link: milliseconds added to every request (one round trip).") var latency = 0
    @Option(help: "Emulate a wide-area link: megabits per second for each connection's request and response bodies.")
    var bandwidth = 0.0
    @Flag(help: "Emulate a server that keeps a value PATCHed to empty (tags: [], description: \"\") and merges metadata.")
    var keepClearedValues = false
    @Option(help: "Aionvision emulation: the chunk size its uploads are laid out in, in bytes.")
    var aionvisionChunkSize: Int64 = 10_485_760
    @Option(help: "Aionvision emulation: issue the first N presigned URLs already expired (to exercise renewal).")
    var aionvisionExpiredUrls = 0
    @Option(help: "Aionvision emulation: the concurrent_upload_limit its initiate answers.")
    var aionvisionConcurrentUploads = 5
    @Option(
        help: ArgumentHelp(
            "Append every API request and answer to this file, one JSON object per line (bodies over 256 KiB left out).",
            discussion: "For checking traffic against AIOZ's OpenAPI documents: scripts/check-contract.py FILE."),
        completion: .file())
    var record: String?

    func validate() throws {
        for text in accounts where SandboxAccount(parsing: text) == nil {
            throw ValidationError("--account '\(text)' must be PUBLIC:SECRET.")
        }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1.") }
        guard latency >= 0, bandwidth >= 0 else { throw ValidationError("--latency and --bandwidth must not be negative.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard minPartSize >= 1 else { throw ValidationError("--min-part-size must be at least 1.") }
        guard aionvisionChunkSize >= 1, aionvisionExpiredUrls >= 0, aionvisionConcurrentUploads >= 1 else {
            throw ValidationError(
                "--aionvision-chunk-size and --aionvision-concurrent-uploads must be at least 1, --aionvision-expired-urls at least 0."
            )
        }
        for kind in kindList where FaultConfiguration.Kind(rawValue: kind) == nil {
            throw ValidationError("--fault-kinds: '\(kind)' is not one of 500, 502, 503, 429, drop, latency.")
        }
    }

    private var kindList: [String] { faultKinds.split(separator: ",").map { String($0) } }

    func run() async throws {
        var configuration = SandboxConfiguration(
            host: host, port: port, dataDirectory: data,
            accounts: accounts.compactMap(SandboxAccount.init(parsing:)),
            minPartSize: minPartSize, transcodeSeconds: transcodeSeconds, balance: balance,
            faults: FaultConfiguration(
                rate: faultRate, seed: seed, kinds: kindList.compactMap(FaultConfiguration.Kind.init(rawValue:)),
                pathPrefixes: faultPaths.split(separator: ",").map(String.init))
        )
        configuration.link = LinkConfiguration(latencyMilliseconds: latency, megabitsPerSecond: bandwidth)
        configuration.keepsClearedValues = keepClearedValues
        configuration.aionvision = AionvisionSettings(
            chunkSize: aionvisionChunkSize, expiredURLs: aionvisionExpiredUrls,
            concurrentUploadLimit: aionvisionConcurrentUploads)
        if let record { configuration.recorder = try ExchangeRecorder.jsonLines(appendingTo: record) }
        let server = SandboxServer(configuration)
        try await server.start()
        var lines = ["sandbox: listening on \(await server.baseURL)"]
        for account in await server.accounts {
            lines.append("sandbox: public key \(account.publicKey)")
            lines.append("sandbox: secret key \(account.secretKey)")
        }
        // The account page: the browser asks for the keys (public key as the user name, secret key as the password).
        lines.append("sandbox: page \(await server.pageURL) (sign in with a public key and its secret key)")
        lines.append("sandbox: aionvision on \(await server.aionvisionBaseURL) (Bearer token: a secret key)")
        lines.append("sandbox: ready (Ctrl-C to stop)")
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        await StopSignal.wait()
        await server.shutdown()
    }
}

/// Waits for SIGINT or SIGTERM, so the sandbox can clean up its temp directory.
enum StopSignal {
    static func wait() async {
        let once = ResumeOnce()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { once.fire() }
            source.resume()
            sources.append(source)
        }
        await once.wait()
        for source in sources { source.cancel() }
    }

    /// A one-shot latch: `fire()` may come before or after `wait()`.
    private final class ResumeOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var fired = false
        private var continuation: CheckedContinuation<Void, Never>?

        func fire() {
            let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
                fired = true
                defer { continuation = nil }
                return continuation
            }
            waiting?.resume()
        }

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if fired { return true }
                    self.continuation = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }
}
