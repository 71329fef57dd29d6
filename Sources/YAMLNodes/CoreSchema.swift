/// YAML 1.2 core schema resolution of plain scalars.
///
/// Only `true`/`false` (any case form the spec lists) are booleans; `yes`, `on`, `no` stay strings,
/// which avoids YAML 1.1's "Norway problem".
public enum CoreSchema {
    /// The type a plain, untagged scalar resolves to.
    public enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
    }

    /// Resolves a plain scalar's text according to the YAML 1.2 core schema.
    public static func resolve(_ text: String) -> Value {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        guard let first = text.utf8.first else { return .string(text) }
        // Fast path: most strings cannot be numbers.
        let maybeNumber =
            (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
            || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        guard maybeNumber else { return .string(text) }
        if let i = parseInt(text) { return .int(i) }
        if isFloat(text), let d = Double(text) { return .float(d) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: return .string(text)
        }
    }

    private static func parseInt(_ text: String) -> Int? {
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == 43 || f == 45 { bytes = bytes.dropFirst() }
        var digits = 0
        while let b = bytes.first, b >= 48 && b <= 57 {
            digits += 1
            bytes = bytes.dropFirst()
        }
        if bytes.first == 46 {
            bytes = bytes.dropFirst()
            while let b = bytes.first, b >= 48 && b <= 57 {
                digits += 1
                bytes = bytes.dropFirst()
            }
        }
        guard digits > 0 else { return false }
        if let e = bytes.first, e == 101 || e == 69 {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == 43 || s == 45 { bytes = bytes.dropFirst() }
            var exp = 0
            while let b = bytes.first, b >= 48 && b <= 57 {
                exp += 1
                bytes = bytes.dropFirst()
            }
            guard exp > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
