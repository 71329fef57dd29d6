import Foundation
import Testing

@testable import AIOZ

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test("the same seed gives the same jittered delays, within the exponential ceiling")
    func seededJitter() {
        let a = RetryPolicy.seeded(42, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        let b = RetryPolicy.seeded(42, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        let first = (1...8).map { a.delay(afterAttempt: $0) }
        let second = (1...8).map { b.delay(afterAttempt: $0) }
        #expect(first == second)
        for (offset, delay) in first.enumerated() {
            let ceiling = min(Duration.seconds(2), .milliseconds(100) * (1 << offset))
            #expect(delay >= .zero && delay <= ceiling)
        }
        #expect(Set(first).count > 1)
    }

    @Test("full jitter spans zero to the ceiling")
    func bounds() {
        let low = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { 0 })
        let high = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1), random: { 1 })
        #expect(low.delay(afterAttempt: 3) == .zero)
        #expect(high.delay(afterAttempt: 3) == .milliseconds(400))
        #expect(high.delay(afterAttempt: 10) == .seconds(1))
    }

    @Test("a server's Retry-After wins over a shorter backoff, up to the limit")
    func retryAfterHonoured() {
        let policy = RetryPolicy(
            baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maximumServerDelay: .seconds(5), random: { 0.5 })
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: 2) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: 3600) == .seconds(5))
        #expect(policy.delay(afterAttempt: 1, retryAfterSeconds: nil) == .milliseconds(5))
    }

    @Test(
        "Retry-After parses delta seconds and HTTP dates",
        arguments: [
            ("3", 3.0), (" 0 ", 0.0), ("1.5", 1.5), ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ])
    func parse(value: String, expected: Double) {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // 07:28:00 GMT that day
        #expect(RetryPolicy.parseRetryAfter(value, now: now) == expected)
    }

    @Test("unreadable Retry-After values are ignored", arguments: ["", "soon", "-4"])
    func unreadable(value: String) {
        #expect(RetryPolicy.parseRetryAfter(value) == nil)
    }
}
