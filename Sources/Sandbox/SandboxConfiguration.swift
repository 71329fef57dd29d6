import Foundation

/// One account the sandbox serves: the key pair a client sends as `stream-public-key` / `stream-secret-key`.
public struct SandboxAccount: Sendable, Hashable, Codable {
    public var publicKey: String
    public var secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A fresh account with random keys, as printed by `streamplan sandbox` when no `--account` is given.
    public static func generated() -> SandboxAccount {
        SandboxAccount(publicKey: "pk_" + RandomToken.hex(bytes: 12), secretKey: "sk_" + RandomToken.hex(bytes: 24))
    }

    /// Parses `PUBLIC:SECRET` as given to `--account`.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let publicKey = String(text[..<colon])
        let secretKey = String(text[text.index(after: colon)...])
        guard !publicKey.isEmpty, !secretKey.isEmpty else { return nil }
        self.init(publicKey: publicKey, secretKey: secretKey)
    }
}

/// Everything that shapes one sandbox run.
public struct SandboxConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free port (read it back from `SandboxServer.port`).
    public var port: Int
    /// Where the store and uploaded bytes live. `nil` keeps the store in memory and bytes in a temp directory.
    public var dataDirectory: String?
    /// Accounts served. Empty means one generated account.
    public var accounts: [SandboxAccount]
    /// Non-final parts smaller than this are refused. Default 5 MiB, the smallest part the client allows.
    public var minPartSize: Int
    /// Seconds between `complete` and `done`; 0 means at once.
    public var transcodeSeconds: Double
    /// Starting balance of each account (the unit of `price`).
    public var balance: Double
    /// Requests per account per minute before 429; reported in the `X-RateLimit-*` headers.
    public var rateLimitPerMinute: Int
    /// Injected failures; off by default.
    public var faults: FaultConfiguration
    /// A wide-area link to emulate: latency and bandwidth per connection; off by default.
    public var link: LinkConfiguration = LinkConfiguration()
    /// Serve the 2026 `/media` path family beside `/videos` (true); false emulates an older server.
    public var servesMedia = true
    /// Emulates a server that reads an empty value as "not given": `PATCH` with `tags: []` or
    /// `description: ""` keeps the old value, and metadata is merged rather than replaced. AIOZ's
    /// documents allow that reading; streamplan must then say so instead of planning forever.
    public var keepsClearedValues = false
    /// Where to record every `/api` request and answer (for the OpenAPI contract check); off by default.
    public var recorder: ExchangeRecorder?
    /// The Aionvision emulator served beside AIOZ's API (`/aionvision/api/v2`, `/aionvision-s3`).
    public var aionvision = AionvisionSettings()
    /// Whether a failed webhook delivery is logged as a warning (standalone `streamplan sandbox`, whose
    /// log a person watches). The sandbox embedded in `--sandbox` commands and in tests keeps them to
    /// its delivery log: an example's unreachable URL is no news in the middle of a plan.
    public var logsWebhookFailures = true
    /// Seconds a webhook delivery waits for its receiver's answer before it counts as failed (and is
    /// retried). Stopping the sandbox never waits for it: deliveries in flight are cancelled.
    public var webhookTimeout: Double = 10

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        dataDirectory: String? = nil,
        accounts: [SandboxAccount] = [],
        minPartSize: Int = 5 * 1024 * 1024,
        transcodeSeconds: Double = 0,
        balance: Double = 1_000_000,
        rateLimitPerMinute: Int = 100_000,
        faults: FaultConfiguration = FaultConfiguration()
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.accounts = accounts
        self.minPartSize = minPartSize
        self.transcodeSeconds = transcodeSeconds
        self.balance = balance
        self.rateLimitPerMinute = rateLimitPerMinute
        self.faults = faults
    }
}

/// A wide-area link as one connection sees it, so the benefit of parallel parts can be measured as a
/// user on a real network would see it (`streamplan sandbox --latency MS --bandwidth MBPS`).
public struct LinkConfiguration: Sendable, Hashable {
    /// Added once per request, before it is handled (one round trip).
    public var latencyMilliseconds: Int
    /// Megabits per second for each request's body and each response's body; 0 means unlimited.
    public var megabitsPerSecond: Double

    public init(latencyMilliseconds: Int = 0, megabitsPerSecond: Double = 0) {
        self.latencyMilliseconds = latencyMilliseconds
        self.megabitsPerSecond = megabitsPerSecond
    }

    public var isEnabled: Bool { latencyMilliseconds > 0 || megabitsPerSecond > 0 }
    /// Bytes per second, when limited.
    var bytesPerSecond: Double? { megabitsPerSecond > 0 ? megabitsPerSecond * 1_000_000 / 8 : nil }
}

/// Deterministic fault injection: with the same seed and the same requests, the same requests fail.
public struct FaultConfiguration: Sendable {
    /// The kinds of fault the sandbox can inject.
    public enum Kind: String, Sendable, CaseIterable {
        case internalError = "500"
        case badGateway = "502"
        case unavailable = "503"
        case tooManyRequests = "429"
        case dropConnection = "drop"
        case latency = "latency"
    }

    /// Fraction of matching requests that get a fault, 0...1.
    public var rate: Double
    /// Seed of the pseudo-random draw.
    public var seed: UInt64
    /// Kinds to choose from (uniformly).
    public var kinds: [Kind]
    /// Only requests whose path (after `/api`) starts with one of these are eligible; empty means all.
    /// `METHOD /path` limits a prefix to one method (`POST /live_streams/:id/streamings`: ids as `:id`).
    public var pathPrefixes: [String]
    /// Added delay for the `latency` fault, in milliseconds.
    public var latencyMilliseconds: Int
    /// `Retry-After` seconds sent with an injected 429.
    public var retryAfterSeconds: Int

    public init(
        rate: Double = 0,
        seed: UInt64 = 0,
        kinds: [Kind] = Kind.allCases,
        pathPrefixes: [String] = [],
        latencyMilliseconds: Int = 200,
        retryAfterSeconds: Int = 1
    ) {
        self.rate = rate
        self.seed = seed
        self.kinds = kinds
        self.pathPrefixes = pathPrefixes
        self.latencyMilliseconds = latencyMilliseconds
        self.retryAfterSeconds = retryAfterSeconds
    }

    var isEnabled: Bool { rate > 0 && !kinds.isEmpty }
}
