import Apply
import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM during apply, as Terraform does it: the first stops new work (the changes under
/// way finish, then the lock and the lease are released and apply says what was done and what was
/// not); the second stops at once (the lock and the lease are then left to be taken over, as after
/// a kill).
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    /// A pipe the handlers write a byte to, so that a prompt waiting for the user's answer wakes
    /// (a signal handled through Dispatch interrupts no `read`).
    nonisolated(unsafe) private static var wake: (read: Int32, write: Int32) = (-1, -1)
    /// Whether apply is waiting at its confirmation prompt (nothing has changed yet: an interrupt
    /// there cancels the apply at once, as Terraform does).
    private static let atPrompt = Atomic<Bool>(false)

    /// Installs the handlers (once per process).
    static func install() {
        guard sources.isEmpty else { return }
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 { wake = (fds[0], fds[1]) }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [source] in
                let name = number == SIGINT ? "interrupt" : "SIGTERM"
                // Signals that arrive close together are delivered as one event: count them all.
                var count = 0
                for _ in 0..<max(1, Int(source.data)) { count = Interruption.request() }
                if atPrompt.load(ordering: .sequentiallyConsistent) {
                    // The prompt says it was cancelled; nothing is under way.
                    var byte: UInt8 = 1
                    _ = write(wake.write, &byte, 1)
                } else if count == 1 {
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

    /// Prints `prompt`, then reads one line from standard input: nil at its end or when an interrupt
    /// arrives while waiting. The prompt is printed once the handlers treat an interrupt as a
    /// cancellation, so that one sent as soon as the prompt shows is never taken for a stop of work
    /// under way.
    static func readLineOrInterrupt(prompt: String) -> String? {
        guard wake.read >= 0 else {
            Terminal.stdout(prompt, newline: false)
            return readLine()
        }
        atPrompt.store(true, ordering: .sequentiallyConsistent)
        defer { atPrompt.store(false, ordering: .sequentiallyConsistent) }
        Terminal.stdout(prompt, newline: false)
        if Interruption.requested { return nil }
        var line: [UInt8] = []
        while true {
            var fds = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                return nil
            }
            if fds[1].revents != 0 { return nil }
            var byte: UInt8 = 0
            let n = read(STDIN_FILENO, &byte, 1)
            if n < 0, errno == EINTR { continue }
            guard n == 1 else { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }
}
