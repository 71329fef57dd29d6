import Synchronization

/// The credentials of this process, kept so that no text streamplan prints can carry them.
///
/// Every error path is covered at the one place output leaves the process (the CLI's terminal):
/// whatever a library put in an error description (an HTTP client echoing a header value, say),
/// each registered secret, in its raw form and as Swift, JSON or percent escaping would show it, is
/// replaced by `********`.
public enum Redaction {
    private static let secrets = Mutex<Set<String>>([])

    /// Remembers `secret` (ignored when shorter than 4 characters: too common to replace safely).
    public static func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        let forms = [
            secret, escaped(secret), String(reflecting: secret).dropFirst().dropLast().description,
            secret.addingPercentEncodingIfPossible,
        ]
        secrets.withLock { set in
            for form in forms where form.count >= 4 { set.insert(form) }
        }
    }

    /// `text` with every registered secret replaced by `********`.
    public static func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var out = text
        // Longest first, so a secret that contains another is replaced whole.
        for secret in known.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "********")
        }
        return out
    }

    /// JSON's escaping of a string's content.
    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension String {
    fileprivate var addingPercentEncodingIfPossible: String {
        var out = ""
        for byte in utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }
}
