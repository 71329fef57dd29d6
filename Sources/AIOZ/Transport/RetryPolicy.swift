import Foundation
import NIOConcurrencyHelpers

/// How often and how patiently to retry a failed request: capped exponential backoff with full jitter.
///
/// Attempt `n` (1-based) that failed waits a random time in `0 ... min(cap, base * 2^(n-1))`, or at
/// least what the server asked for with `Retry-After`, bounded by `maximumServerDelay`.
public struct RetryPolicy: Sendable {
    /// Total attempts including the first; 1 means no retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; a server asking for more gets this much.
    public var maximumServerDelay: Duration
    /// Returns a value in `0 ..< 1`; injectable so tests get reproducible delays.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maximumServerDelay: Duration = .seconds(120),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maximumServerDelay = maximumServerDelay
        self.random = random
    }

    /// The default for production use.
    public static let standard = RetryPolicy()
    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based), honouring a server-requested delay in seconds.
    public func delay(afterAttempt attempt: Int, retryAfterSeconds: Double? = nil) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let fraction = min(max(random(), 0), 1)
        let jittered = ceiling * fraction
        guard let retryAfterSeconds, retryAfterSeconds > 0 else { return jittered }
        let asked = min(Duration.milliseconds(Int64((retryAfterSeconds * 1000).rounded(.up))), maximumServerDelay)
        return max(jittered, asked)
    }

    /// Parses `Retry-After` (delta-seconds or an HTTP date) into seconds from `now`; nil if absent or unreadable.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// A seeded pseudo-random source (SplitMix64) for reproducible jitter in tests and fault drills.
public struct SeededRandom: Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

extension RetryPolicy {
    /// A policy whose jitter comes from a seeded generator: the same seed gives the same delays.
    public static func seeded(
        _ seed: UInt64, maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30), maximumServerDelay: Duration = .seconds(120)
    ) -> RetryPolicy {
        let generator = NIOLockedValueBox(SeededRandom(seed: seed))
        return RetryPolicy(
            maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay,
            maximumServerDelay: maximumServerDelay,
            random: { generator.withLockedValue { $0.next() } }
        )
    }
}
