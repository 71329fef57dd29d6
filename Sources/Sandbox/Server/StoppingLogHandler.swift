import Logging
import Synchronization

/// The sandbox server's log handler: the bootstrapped handler, except once the sandbox has cut its
/// graceful stop short. Then the server's tasks are cancelled on purpose, and what Hummingbird says
/// of that (`Waiting on child channel: CancellationError()`, `Server shutdown error: Already
/// closed`) is a consequence, not a failure: it is kept at debug level, and the sandbox says once,
/// as a warning, that it stopped what was still running.
struct StoppingLogHandler: LogHandler {
    /// Set when the stop is forced; shared by every copy of the handler.
    final class Switch: Sendable {
        private let forced = Mutex(false)
        var isForced: Bool { forced.withLock { $0 } }
        func force() { forced.withLock { $0 = true } }
    }

    private var base: any LogHandler
    let stopping: Switch

    init(base: any LogHandler, stopping: Switch) {
        self.base = base
        self.stopping = stopping
    }

    func log(event: LogEvent) {
        var event = event
        if stopping.isForced, event.level > .warning { event.level = .debug }
        guard event.level >= base.logLevel else { return }
        base.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }
}
