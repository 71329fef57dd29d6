public import YAMLNodes

/// A finding about the manifests, printed as `file:line:column: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a finding is: errors make `validate` fail, warnings do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = Self.readable(message)
        self.location = location
    }

    /// The longest quoted value a message repeats, in characters; longer ones are cut with `…`.
    public static let maxQuoted = 80
    /// The longest message, in characters.
    public static let maxMessage = 600

    /// One line of bounded length: control characters are escaped, every quoted value longer than
    /// `maxQuoted` is cut (a 15 MiB scalar must not become a 31 MB error line), and so is the whole.
    static func readable(_ message: String) -> String {
        var out = ""
        var length = 0
        var quoted = 0
        var inQuote = false
        var cut = false
        for character in message {
            if character == "\"" {
                inQuote.toggle()
                quoted = 0
                cut = false
                out.append(character)
                continue
            }
            if inQuote {
                quoted += 1
                if quoted > maxQuoted {
                    if !cut {
                        out.append("…")
                        length += 1
                    }
                    cut = true
                    continue
                }
            }
            switch character {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.append(character)
                }
            }
            length += 1
            if length > maxMessage { return out + "…" }
        }
        return out
    }

    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// Collects findings so that one run reports all of them.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    public mutating func warning(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Findings ordered by file, line and column, so output is stable.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let la = a.element.location
            let lb = b.element.location
            switch (la, lb) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x.file != y.file { return x.file < y.file }
                if x.mark != y.mark { return x.mark < y.mark }
                return a.offset < b.offset
            }
        }.map(\.element)
    }
}
