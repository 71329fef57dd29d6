import AIOZ
import Foundation

/// Where the commands print: results to stdout, diagnostics and progress to stderr.
enum Terminal {
    /// Every line passes `Redaction`: no credential can leave through the terminal.
    static func stdout(_ line: String, newline: Bool = true) {
        FileHandle.standardOutput.write(Data(Redaction.redact(newline ? line + "\n" : line).utf8))
    }

    static func stderr(_ line: String, newline: Bool = true) {
        FileHandle.standardError.write(Data(Redaction.redact(newline ? line + "\n" : line).utf8))
    }

    /// Whether a stream is a terminal (colour and live progress only then).
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
