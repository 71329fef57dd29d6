import Foundation
import Planning

/// Upload progress for people: on a terminal one live line per video with bytes, rate and ETA;
/// elsewhere (CI logs) one line per 10 %.
public actor ProgressReporter {
    struct Upload {
        var total: Int64
        /// Only the final line (a one-part upload has no progress worth a line per 10 %).
        var quiet = false
        var sent: Int64 = 0
        var started: Date
        var lastDecile = -1
        var lastDraw = Date.distantPast
    }

    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private var uploads: [String: Upload] = [:]

    /// - Parameters:
    ///   - interactive: whether the output is a terminal.
    ///   - write: where lines go (stderr in the CLI).
    public init(interactive: Bool, write: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.write = write
    }

    /// `quiet`: outside a terminal, print only the line of the finished upload.
    public func start(_ address: String, total: Int64, quiet: Bool = false) {
        uploads[address] = Upload(total: total, quiet: quiet, started: Date())
    }

    public func update(_ address: String, sent: Int64) {
        guard var upload = uploads[address] else { return }
        upload.sent = sent
        let fraction = upload.total > 0 ? Double(sent) / Double(upload.total) : 1
        let now = Date()
        if interactive {
            if now.timeIntervalSince(upload.lastDraw) >= 0.2 || sent >= upload.total {
                upload.lastDraw = now
                write("\r\u{1B}[2K" + line(address, upload, fraction: fraction, now: now) + (sent >= upload.total ? "\n" : ""))
            }
        } else {
            let decile = min(10, Int(fraction * 10))
            if decile > upload.lastDecile && (!upload.quiet || decile == 10) {
                upload.lastDecile = decile
                write(line(address, upload, fraction: fraction, now: now) + "\n")
            }
        }
        uploads[address] = upload
    }

    public func note(_ text: String) {
        write(text + "\n")
    }

    private func line(_ address: String, _ upload: Upload, fraction: Double, now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(upload.started), 0.001)
        let rate = Double(upload.sent) / elapsed
        var text =
            "\(address): uploaded \(ByteCount.format(upload.sent)) of \(ByteCount.format(upload.total))"
            + " (\(Int(fraction * 100)) %)"
        if upload.sent > 0 && upload.sent < upload.total && rate > 0 {
            let eta = Double(upload.total - upload.sent) / rate
            text += ", \(ByteCount.format(Int64(rate)))/s, about \(Int(eta.rounded(.up))) s left"
        }
        return text
    }
}
