import Logging
import Synchronization
import Testing

@testable import Sandbox

/// Collects what reaches the bootstrapped handler.
private struct CapturingHandler: LogHandler {
    let captured: Captured
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    func log(event: LogEvent) { captured.lines.withLock { $0.append((event.level, event.message.description)) } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

private final class Captured: Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])
}

@Suite("the sandbox server's log when a stop is forced")
struct StoppingLogHandlerTests {
    @Test("errors pass before a forced stop; after it, the server's errors are debug and dropped, warnings still pass")
    func forcedStop() {
        let captured = Captured()
        let stopping = StoppingLogHandler.Switch()
        let logger = Logger(label: "streamplan.sandbox") { _ in
            StoppingLogHandler(base: CapturingHandler(captured: captured), stopping: stopping)
        }
        logger.error("Waiting on child channel: something real")
        logger.info("below the level")
        #expect(captured.lines.withLock { $0.map(\.1) } == ["Waiting on child channel: something real"])

        stopping.force()
        logger.warning("the sandbox stopped requests still running")
        logger.error("Waiting on child channel: CancellationError()")
        logger.critical("Server shutdown error: Already closed")
        let lines = captured.lines.withLock { $0 }
        #expect(lines.map(\.1) == ["Waiting on child channel: something real", "the sandbox stopped requests still running"])
        #expect(lines.map(\.0) == [.error, .warning])
    }
}
