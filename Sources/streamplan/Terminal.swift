import AIOZ
import Foundation

/// Where the commands print: results to stdout, diagnostics and progress to stderr.
enum Terminal {
    /// Every line passes `Redaction`: no credential can leave through the terminal.
    static func stdout(_ line: String, newline: Bool = true) {
        write(FileHandle.standardOutput, line, newline: newline)
    }

    static func stderr(_ line: String, newline: Bool = true) {
        write(FileHandle.standardError, line, newline: newline)
    }

    /// A reader that went away (`streamplan plan | head`) is not streamplan's failure: what it would
    /// have read is dropped and the command goes on to its end (SIGPIPE is ignored, see `main`).
    /// `FileHandle.write(_: Data)` stopped the process with a backtrace there.
    private static func write(_ handle: FileHandle, _ line: String, newline: Bool) {
        try? handle.write(contentsOf: Data(Redaction.redact(newline ? line + "\n" : line).utf8))
    }

    /// Whether a stream is a terminal (colour and live progress only then).
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
