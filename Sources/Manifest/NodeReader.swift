import YAMLNodes

/// Typed access to YAML nodes that reports every problem into a collector instead of throwing,
/// so decoding goes on and one run shows all findings.
struct NodeReader {
    let file: String
    var diagnostics = DiagnosticCollector()

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, mark: node.mark)
    }

    mutating func error(_ message: String, at node: YAMLNode) {
        diagnostics.error(message, at: location(node))
    }

    mutating func warning(_ message: String, at node: YAMLNode) {
        diagnostics.warning(message, at: location(node))
    }

    /// A mapping's entries keyed by name, after reporting unknown keys (with a did-you-mean)
    /// and non-string keys. Returns nil (and reports) when the node is not a mapping.
    mutating func mapping(_ node: YAMLNode, allowed: [String], what: String) -> Fields? {
        guard let pairs = node.mapping else {
            error("\(what) must be a mapping, not \(node.kindDescription)", at: node)
            return nil
        }
        var fields = Fields(node: node)
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("keys must be plain names, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            if !allowed.contains(key.value) {
                var message = "unknown key \"\(key.value)\" in \(what)"
                if let guess = Suggest.closest(to: key.value, in: allowed) { message += "; did you mean \"\(guess)\"?" }
                message += " Allowed: \(allowed.joined(separator: ", "))."
                error(message, at: pair.key)
                continue
            }
            fields.values[key.value] = (pair.key, pair.value)
        }
        return fields
    }

    /// `namedEntries`, setting `incomplete` when the section could not be read whole (then a name
    /// that seems undefined may be defined in it).
    mutating func namedEntries(_ node: YAMLNode, what: String, incomplete: inout Bool) -> [(
        name: String, key: YAMLNode, value: YAMLNode
    )] {
        let before = diagnostics.diagnostics.count
        let entries = namedEntries(node, what: what)
        if diagnostics.diagnostics.count > before { incomplete = true }
        return entries
    }

    /// A mapping whose keys are user-chosen names (videos, profiles, ...), in document order.
    mutating func namedEntries(_ node: YAMLNode, what: String) -> [(name: String, key: YAMLNode, value: YAMLNode)] {
        guard let pairs = node.mapping else {
            if node.scalar.map({ $0.style.isPlain && CoreSchema.resolve($0.value) == .null }) == true { return [] }
            error("\(what) must be a mapping of names to definitions, not \(node.kindDescription)", at: node)
            return []
        }
        var result: [(String, YAMLNode, YAMLNode)] = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("names must be plain strings, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            guard Names.isValidName(key.value) else {
                error(
                    "invalid name \"\(key.value)\": names are 1 to 64 characters, letters, digits, '_' and '-', starting with a letter or digit",
                    at: pair.key)
                continue
            }
            result.append((key.value, pair.key, pair.value))
        }
        return result
    }

    /// A string: quoted or plain text; plain `true`, `null` or numbers are refused with a hint.
    mutating func string(_ node: YAMLNode, what: String) -> String? {
        guard let s = node.scalar else {
            error("\(what) must be a string, not \(node.kindDescription)", at: node)
            return nil
        }
        if node.tag == "tag:yaml.org,2002:str" || !s.style.isPlain { return s.value }
        if node.tag != nil && node.tag != "!" {
            error("\(what) must be a string, not a value tagged \(node.tag ?? "")", at: node)
            return nil
        }
        switch CoreSchema.resolve(s.value) {
        case .string(let text): return text
        case .null:
            error("\(what) must be a string, not null (an empty value)", at: node)
        default:
            error(
                "\(what) must be a string, not \(node.kindDescription); quote it (\"\(s.value)\") if you mean the text", at: node)
        }
        return nil
    }

    /// An integer written as a plain number.
    mutating func integer(_ node: YAMLNode, what: String) -> Int? {
        if let s = node.scalar, s.style.isPlain || node.tag == "tag:yaml.org,2002:int",
            case .int(let i) = CoreSchema.resolve(s.value)
        {
            return i
        }
        error("\(what) must be a whole number, not \(node.kindDescription)", at: node)
        return nil
    }

    /// A boolean: plain `true` or `false`.
    mutating func bool(_ node: YAMLNode, what: String) -> Bool? {
        if let s = node.scalar, s.style.isPlain || node.tag == "tag:yaml.org,2002:bool",
            case .bool(let b) = CoreSchema.resolve(s.value)
        {
            return b
        }
        error("\(what) must be true or false, not \(node.kindDescription)", at: node)
        return nil
    }

    /// Any scalar as text (metadata values may be strings, numbers or booleans).
    mutating func scalarText(_ node: YAMLNode, what: String) -> String? {
        guard let s = node.scalar else {
            error("\(what) must be a string, number or boolean, not \(node.kindDescription)", at: node)
            return nil
        }
        if s.style.isPlain && node.tag == nil && CoreSchema.resolve(s.value) == .null {
            error("\(what) must not be empty (null)", at: node)
            return nil
        }
        return s.value
    }

    /// A list's items; reports (and returns nil for) anything else.
    mutating func list(_ node: YAMLNode, what: String) -> [YAMLNode]? {
        guard let items = node.sequence else {
            error("\(what) must be a list, not \(node.kindDescription)", at: node)
            return nil
        }
        return items
    }

    /// Checks a string's length in characters.
    mutating func checkLength(_ text: String, _ range: ClosedRange<Int>, what: String, at node: YAMLNode) {
        let n = text.count
        if n < range.lowerBound {
            error(
                range.lowerBound == 1 ? "\(what) must not be empty" : "\(what) must be at least \(range.lowerBound) characters",
                at: node)
        } else if n > range.upperBound {
            error("\(what) is \(n) characters; at most \(range.upperBound) are allowed", at: node)
        }
    }
}

/// A mapping's known keys, each with its key node (for "missing" and position) and value node.
struct Fields {
    let node: YAMLNode
    var values: [String: (key: YAMLNode, value: YAMLNode)] = [:]

    init(node: YAMLNode) {
        self.node = node
    }

    subscript(_ key: String) -> YAMLNode? { values[key]?.value }

    func keyNode(_ key: String) -> YAMLNode? { values[key]?.key }

    /// Where to report a missing required key: the mapping's first key, or the mapping itself.
    var firstKeyNode: YAMLNode { node.mapping?.first?.key ?? node }
}

/// Naming rules shared by every kind of name in a manifest.
public enum Names {
    /// Names of videos, profiles, live streams and streamings: `[A-Za-z0-9][A-Za-z0-9_-]{0,63}`.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), isAlnum(bytes[0]) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Project names: `[a-z][a-z0-9-]{0,62}`.
    public static func isValidProject(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), (97...122).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b)
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    /// Words longer than this get no suggestion: every name and file name streamplan suggests is
    /// shorter, and the distance costs the product of the lengths.
    static let longestWord = 255

    static func closest(to word: String, in candidates: [String]) -> String? {
        guard word.utf8.count <= longestWord * 4 else { return nil }
        let w = Array(word.lowercased())
        guard w.count <= longestWord else { return nil }
        let limit = max(2, w.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let candidate = Array(c.lowercased())
            // The distance is at least the difference of the lengths: skip what cannot qualify.
            guard candidate.count <= longestWord, abs(candidate.count - w.count) <= limit else { continue }
            let d = distance(w, candidate)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
