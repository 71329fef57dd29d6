import Foundation
import Synchronization
import Testing

/// The one bound on the suite's heavy work: Swift Testing starts every test at once, so without it
/// about 190 sandboxes (each a server, stores and connections) and two dozen child processes were
/// alive together on two cores, 1,300 descriptors at the peak, and the run's outcome depended on the
/// machine's load. A test that starts a sandbox (`TestSandbox.with`, `withGatedSandbox`) or a
/// `streamplan` process holds one of `SuiteGate.width` permits while it runs; the rest wait in
/// order. A task that holds a permit (and every task it starts) runs nested work without a second
/// permit, so a test that starts a sandbox and then processes never waits on itself.
public enum SuiteGate {
    /// How many heavy tests run at once. Enough to keep two cores busy while some tests wait on
    /// processes or transcode timers; few enough that descriptors stay in the low hundreds.
    /// `STREAMPLAN_TEST_WIDTH` overrides it (for measuring, not for CI).
    public static let width: Int = {
        if let text = ProcessInfo.processInfo.environment["STREAMPLAN_TEST_WIDTH"], let value = Int(text), value > 0 {
            return value
        }
        return 6
    }()

    @TaskLocal static var holding = false
    static let gate = AsyncGate(width: width)

    /// Runs `body` holding a permit (or within the one the calling task already holds).
    public static func run<T>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        if holding { return try await body() }
        await gate.acquire()
        do {
            let result = try await $holding.withValue(true) { try await body() }
            gate.release()
            return result
        } catch {
            gate.release()
            throw error
        }
    }
}

/// A first-come, first-served counting semaphore for tasks: `acquire` suspends (never blocks a
/// thread) until one of `width` permits is free.
final class AsyncGate: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(width: Int) { state = Mutex(State(free: width)) }

    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state -> Bool in
                guard state.free == 0 else {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            // The permit passes straight to the first waiter.
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

/// A suite or test trait: each test case runs holding a `SuiteGate` permit. For suites whose tests
/// start servers or processes of their own rather than through `TestSandbox.with`.
public struct Gated: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await SuiteGate.run { try await function() }
    }
}

extension Trait where Self == Gated {
    /// Runs each test case holding a `SuiteGate` permit (see `SuiteGate`).
    public static var gated: Self { Self() }
}
