import Apply
import Dispatch
import Foundation

/// Ctrl-C and SIGTERM during apply, as Terraform does it: the first stops new work (the changes under
/// way finish, then the lock and the lease are released and apply says what was done and what was
/// not); the second stops at once (the lock and the lease are then left to be taken over, as after
/// a kill).
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers (once per process).
    static func install() {
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [source] in
                let name = number == SIGINT ? "interrupt" : "SIGTERM"
                // Signals that arrive close together are delivered as one event: count them all.
                var count = 0
                for _ in 0..<max(1, Int(source.data)) { count = Interruption.request() }
                if count == 1 {
                    Terminal.stderr(
                        "\n\(name) received: no new change starts; the changes under way finish, then the lock and the lease "
                            + "are released. Send it again to stop at once.")
                } else {
                    Terminal.stderr("\(name) received again: stopping now; the next apply takes over the lock and the lease.")
                    exit(StreamplanExit.interrupted.rawValue)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
