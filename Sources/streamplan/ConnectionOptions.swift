import AIOZ
import Aionvision
import ArgumentParser
import Foundation
import Logging
import Manifest
import Planning
import Providers
import Sandbox

/// Where streamplan talks to: AIOZ Stream (endpoint + credentials) or an embedded sandbox.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "AIOZ Stream API base URL (default: $STREAMPLAN_ENDPOINT, else https://api.aiozstream.network/api).",
            valueName: "url"))
    var endpoint: String?

    @Flag(
        help:
            "Use an embedded AIOZ Stream emulator whose account lives under <state-dir>/sandbox/, so a plan and a later apply see the same videos."
    )
    var sandbox = false

    @Option(
        help: ArgumentHelp(
            "A credentials file with `public_key = …` and `secret_key = …` lines, readable by you only (chmod 600). Default: $STREAM_PUBLIC_KEY and $STREAM_SECRET_KEY.",
            valueName: "file"))
    var credentials: String?

    @Option(
        help: ArgumentHelp(
            "Where streamplan keeps its hash and probe cache, upload journal, apply lock and (with --sandbox) the sandbox account.",
            valueName: "dir"))
    var stateDir: String = ".streamplan"

    @Option(
        help: ArgumentHelp(
            "Which generation of AIOZ Stream's video API to speak: videos (2025, /videos), media (2026, /media), or auto: "
                + "media when the server answers it, else videos (default: $STREAMPLAN_API, else auto).",
            valueName: "api"))
    var api: String?

    /// The chosen generation, nil for `auto`.
    var generation: APIGeneration? {
        switch api ?? ProcessInfo.processInfo.environment["STREAMPLAN_API"] ?? "auto" {
        case "videos": .videos
        case "media": .media
        default: nil
        }
    }

    func validate() throws {
        if sandbox && endpoint != nil {
            throw ValidationError("--sandbox and --endpoint exclude each other")
        }
        let chosen = api ?? ProcessInfo.processInfo.environment["STREAMPLAN_API"] ?? "auto"
        guard ["auto", "videos", "media"].contains(chosen) else {
            throw ValidationError("--api (or STREAMPLAN_API) must be auto, videos or media, not \"\(chosen)\"")
        }
    }

    /// Whether streamplan talks to a sandbox on this machine (embedded, or a loopback endpoint).
    var isLocal: Bool {
        if sandbox { return true }
        let url = endpoint ?? ProcessInfo.processInfo.environment["STREAMPLAN_ENDPOINT"] ?? AIOZEndpoint.production.baseURL
        guard let host = URLComponents(string: url)?.host else { return false }
        return AIOZEndpoint.isLoopback(host)
    }

    /// The embedded sandbox's account: fixed, so that separate runs find the same data.
    static let sandboxAccount = SandboxAccount(publicKey: "streamplan-sandbox", secretKey: "streamplan-sandbox-local-only")

    /// A lower part-size floor for tests against loopback endpoints only (`STREAMPLAN_MIN_PART_SIZE`).
    var minimumPartSize: Int64 {
        guard let text = ProcessInfo.processInfo.environment["STREAMPLAN_MIN_PART_SIZE"], let value = Int64(text), value > 0
        else { return PartPlan.minimumPartSize }
        return value
    }

    /// Runs `body` with the provider for the chosen endpoint, then shuts everything down. `service` is
    /// the manifests' `provider:`.
    func withProvider<T: Sendable>(_ service: ServiceProvider = .aioz, _ body: (any Provider) async throws -> T) async throws
        -> T
    {
        if service == .aionvision { return try await withAionvision(body) }
        let minimum = minimumPartSize
        return try await withClient { client in try await body(AIOZProvider(client: client, minimumPartSize: minimum)) }
    }

    /// Aionvision: the embedded sandbox's emulation (its Bearer token is the sandbox account's secret
    /// key), or `--endpoint` / `$AIONVISION_ENDPOINT` / the production API with `$AIONVISION_API_KEY`.
    func withAionvision<T: Sendable>(_ body: (any Provider) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        if credentials != nil {
            throw ValidationError(
                "--credentials holds AIOZ Stream keys; a project on provider aionvision takes its API key from AIONVISION_API_KEY"
            )
        }
        func run(_ base: String, _ credentials: AionvisionCredentials) async throws -> T {
            // Whatever a library quotes in an error, the key never reaches the terminal.
            credentials.register { Redaction.register($0) }
            let client = AionvisionClient(
                configuration: .init(
                    baseURL: base, credentials: credentials, userAgent: "streamplan/\(ToolVersion.current)"))
            do {
                let result = try await body(AionvisionProvider(client: client))
                try? await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        if sandbox {
            var configuration = SandboxConfiguration(dataDirectory: stateDir + "/sandbox", accounts: [Self.sandboxAccount])
            configuration.logsWebhookFailures = false
            // Test knobs of the embedded emulator: a smaller chunk size, URLs issued already expired.
            if let size = environment["STREAMPLAN_AIONVISION_CHUNK_SIZE"].flatMap(Int64.init), size > 0 {
                configuration.aionvision.chunkSize = size
            }
            if let count = environment["STREAMPLAN_AIONVISION_EXPIRED_URLS"].flatMap(Int.init) {
                configuration.aionvision.expiredURLs = count
            }
            return try await SandboxServer.withSandbox(configuration) { server in
                try await run(await server.aionvisionBaseURL, AionvisionCredentials(apiKey: Self.sandboxAccount.secretKey))
            }
        }
        let base = endpoint ?? environment["AIONVISION_ENDPOINT"] ?? "https://api.aionvision.tech/api/v2"
        try AionvisionCredentials.checkEndpoint(base)
        return try await run(base, try AionvisionCredentials.fromEnvironment(environment))
    }

    /// Runs `body` with a connected client, then shuts everything down.
    func withClient<T: Sendable>(_ body: (AIOZClient) async throws -> T) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        if sandbox {
            // On stderr, so plans stay comparable: whoever reads them knows this is no real account.
            Terminal.stderr(
                "note: --sandbox: a local emulator of AIOZ Stream whose account lives in \(stateDir)/sandbox/, not a real account"
            )
            var configuration = SandboxConfiguration(
                dataDirectory: stateDir + "/sandbox", accounts: [Self.sandboxAccount], minPartSize: Int(minimumPartSize))
            configuration.logsWebhookFailures = false
            // The embedded sandbox's traffic, for the OpenAPI contract check (as `sandbox --record`).
            if let record = environment["STREAMPLAN_SANDBOX_RECORD"], !record.isEmpty {
                configuration.recorder = try ExchangeRecorder.jsonLines(appendingTo: record)
            }
            return try await SandboxServer.withSandbox(configuration) { server in
                let endpoint = try AIOZEndpoint(await server.baseURL)
                let client = AIOZClient(
                    configuration: .init(
                        endpoint: endpoint,
                        credentials: AIOZCredentials(
                            publicKey: Self.sandboxAccount.publicKey, secretKey: Self.sandboxAccount.secretKey)))
                return try await run(client, body)
            }
        }
        let endpoint = try AIOZEndpoint(endpoint ?? environment["STREAMPLAN_ENDPOINT"] ?? AIOZEndpoint.production.baseURL)
        if minimumPartSize != PartPlan.minimumPartSize, !isLocal {
            throw ValidationError("STREAMPLAN_MIN_PART_SIZE is for tests against a local sandbox only")
        }
        let keys = try credentials.map { try AIOZCredentials.load(file: $0) } ?? AIOZCredentials.fromEnvironment(environment)
        let client = AIOZClient(configuration: .init(endpoint: endpoint, credentials: keys))
        return try await run(client, body)
    }

    private func run<T: Sendable>(_ client: AIOZClient, _ body: (AIOZClient) async throws -> T) async throws -> T {
        do {
            let chosen = try await Self.choose(generation, client)
            let result = try await body(chosen)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// Output settings shared by commands that render plans.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Never use colour (colour is used only on a terminal, and never when NO_COLOR is set).")
    var noColor = false

    var colour: Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && Terminal.isTTY(STDOUT_FILENO)
    }
}

extension ConnectionOptions {
    /// The client for `generation`, or, for `auto`, for `/media` when the server answers a one-item
    /// listing there and `/videos` when it answers 404 (an older server). The probe is one request.
    static func choose(_ generation: APIGeneration?, _ client: AIOZClient) async throws -> AIOZClient {
        var configuration = client.configuration
        configuration.userAgent = "streamplan/\(ToolVersion.current)"
        if let generation {
            configuration.generation = generation
            return client.with(configuration)
        }
        configuration.generation = .media
        let media = client.with(configuration)
        do {
            _ = try await media.listVideos(VideoListQuery(limit: 1))
            return media
        } catch let error as AIOZError where error.code == .notFound {
            configuration.generation = .videos
            return client.with(configuration)
        }
    }
}

/// The embedded sandbox stops with the command that ran it, and its port was a free one: the links it
/// gave out are printed for the port `streamplan sandbox` serves the same account on again.
extension ConnectionOptions {
    /// The port of the command `printSandboxAfterword` prints: the sandbox command's default, 8080
    /// (`STREAMPLAN_SANDBOX_SERVE_PORT` changes it, for tests that run the printed command).
    static let sandboxServePort: Int = {
        guard let text = ProcessInfo.processInfo.environment["STREAMPLAN_SANDBOX_SERVE_PORT"], let port = Int(text),
            (1...65535).contains(port)
        else { return 8080 }
        return port
    }()

    /// `url` as printed: a link of the embedded sandbox points at `sandboxServePort`; others are unchanged.
    func printedLink(_ url: String) -> String {
        guard sandbox, var components = URLComponents(string: url), let host = components.host,
            AIOZEndpoint.isLoopback(host)
        else { return url }
        components.port = Self.sandboxServePort
        return components.string ?? url
    }

    /// The one command that serves the embedded sandbox's account again, on `sandboxServePort`.
    var sandboxServeCommand: String {
        Hint.command(["sandbox", "--data", stateDir + "/sandbox", "--port", String(Self.sandboxServePort)])
    }

    /// After a command that used `--sandbox`: says the emulator stopped and how to look at the account.
    func printSandboxAfterword() {
        guard sandbox else { return }
        // The keys are not printed here (output is redacted of credentials); the command prints them.
        Terminal.stdout(
            """

            The embedded sandbox has stopped. To see this account on a web page and open the links printed for it, serve it again:
              \(sandboxServeCommand)
            then open http://127.0.0.1:\(Self.sandboxServePort)/ and sign in with the public and secret key it prints.
            """)
    }

    static func shellQuoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._/-+=:@,".unicodeScalars.contains($0) || $0 == "_"
        }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
