/// Re-lays out block YAML without losing a comment or changing a value.
///
/// The formatter works on the text, driven by the node tree with exact positions (see
/// docs/design.md, "Formatting manifests"): block mappings and sequences are re-indented to two
/// spaces a level (a list under a key is indented), a block mapping's entries may be put in a
/// canonical order (each entry moves with the comment lines just above it; a flow mapping written
/// on one line has its entries swapped in place), and everything else — scalars of every style,
/// flow collections, anchors, tags, comments — is kept character for character, only shifted as a
/// whole. Trailing comments keep their column when there is room.
///
/// Every result is checked before it is returned: the new text must parse to the same documents
/// (same values, same types; mappings with a canonical order compared by key) and hold the same
/// comments. A layout the formatter does not understand, or a result that fails the check, leaves
/// the text as it is, with the reason.
public struct YAMLFormatter: Sendable {
    /// The canonical key order of the block mapping at `path` (the keys from the root, `-` for a
    /// list item, `<<` for a merged mapping), or nil to keep the written order. Keys not named
    /// come after the named ones in their written order; merge keys (`<<`) always come first.
    public typealias KeyOrder = @Sendable (_ path: [String]) -> [String]?

    public var keyOrder: KeyOrder
    /// Spaces per level of nesting, at least 2 (streamplan uses 2).
    public var indentWidth: Int

    public init(keyOrder: @escaping KeyOrder = { _ in nil }, indentWidth: Int = 2) {
        self.keyOrder = keyOrder
        self.indentWidth = max(2, indentWidth)
    }

    /// What formatting one text gave.
    public enum Outcome: Sendable {
        /// The formatted text (equal to the input when it was already formatted).
        case formatted(String)
        /// The text is valid YAML but is left as it is, for the reason given.
        case leftAsIs(reason: String)
        /// The text is not valid YAML (or breaks streamplan's YAML rules); nothing was done.
        case invalid([YAMLDiagnostic])
    }

    /// Formats `text`; `file` names it in diagnostics.
    public func format(_ text: String, file: String) -> Outcome {
        let parsed = YAMLLoader.parse(text, file: file)
        if !parsed.diagnostics.isEmpty { return .invalid(parsed.diagnostics) }
        if text.unicodeScalars.contains("\r") {
            return .leftAsIs(reason: "it has carriage returns (CRLF line endings); fmt lays out files with LF line endings only")
        }
        if text.unicodeScalars.contains(where: { $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return .leftAsIs(reason: "it has Unicode line separators (NEL, LS or PS), which libyaml counts as line breaks")
        }
        let bom = text.unicodeScalars.first == "\u{FEFF}"
        let body = bom ? String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())) : text
        let documents: [SyntaxDocument]
        switch YAMLSyntax.parse(body) {
        case .success(let found): documents = found
        case .failure(let failure): return .leftAsIs(reason: "libyaml stopped reading it: \(failure.message)")
        }
        // First with the keys in order (flow mappings on one line reordered in place), then with
        // the indentation alone.
        var attempts: [(text: String, documents: [SyntaxDocument], order: KeyOrder)] = [
            (body, documents, keyOrder), (body, documents, { _ in nil }),
        ]
        let flowOrdered = Self.reorderFlowMappings(body, documents, keyOrder)
        if flowOrdered != body, case .success(let reparsed) = YAMLSyntax.parse(flowOrdered) {
            attempts[0] = (flowOrdered, reparsed, keyOrder)
        }
        var firstFailure: String?
        for attempt in attempts {
            let layout = Layout(
                text: attempt.text, documents: attempt.documents, keyOrder: attempt.order, indentWidth: indentWidth)
            let output: String
            do {
                output = try layout.run()
            } catch {
                return .leftAsIs(reason: error.reason)
            }
            if output == body { return .formatted(text) }
            if let problem = Self.difference(between: body, and: output, originals: parsed.documents, keyOrder: keyOrder) {
                firstFailure = firstFailure ?? problem
                continue
            }
            return .formatted(bom ? "\u{FEFF}" + output : output)
        }
        return .leftAsIs(
            reason: "formatting it would change it (\(firstFailure ?? "unknown difference")), so it is left as it is")
    }

    /// `text` with the entries of each flow mapping written on one line (`{bitrate: 1, codec: h264}`)
    /// in the canonical order. Entries swap places and the separators stay, so every line keeps its
    /// length and nothing else on it moves.
    static func reorderFlowMappings(_ text: String, _ documents: [SyntaxDocument], _ keyOrder: KeyOrder) -> String {
        var lines = Layout.split(text)
        func visit(_ node: SyntaxNode, path: [String]) {
            switch node.content {
            case .sequence(let items):
                for item in items { visit(item, path: path + ["-"]) }
            case .mapping(let pairs):
                for pair in pairs { visit(pair.value, path: path + [pair.key.scalarValue ?? "?"]) }
                let l = node.start.line - 1
                guard node.flow, pairs.count > 1, node.end.line - 1 == l, l < lines.count, let canonical = keyOrder(path)
                else { return }
                var segments: [Range<Int>] = []
                var keys: [String] = []
                for pair in pairs {
                    guard let key = pair.key.scalarValue, pair.key.start.line - 1 == l, pair.value.end.line - 1 == l,
                        pair.value.start != pair.value.end
                    else { return }
                    let start = pair.key.start.column - 1
                    let end = pair.value.end.column - 1
                    guard start < end, end <= lines[l].count, segments.last.map({ $0.upperBound <= start }) ?? true else {
                        return
                    }
                    segments.append(start..<end)
                    keys.append(key)
                }
                func rank(_ i: Int) -> Int { keys[i] == "<<" ? -1 : canonical.firstIndex(of: keys[i]) ?? canonical.count }
                let order = keys.indices.sorted { (rank($0), $0) < (rank($1), $1) }
                guard order != Array(keys.indices) else { return }
                var replacement: [Unicode.Scalar] = []
                for (k, i) in order.enumerated() {
                    replacement += lines[l][segments[i]]
                    if k + 1 < segments.count { replacement += lines[l][segments[k].upperBound..<segments[k + 1].lowerBound] }
                }
                lines[l].replaceSubrange(segments[0].lowerBound..<segments[segments.count - 1].upperBound, with: replacement)
            case .scalar, .alias:
                return
            }
        }
        for document in documents {
            if let root = document.root { visit(root, path: []) }
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    /// Every comment in `text` (from its `#` to the end of its line), in order; nil when the text
    /// is not valid YAML (by streamplan's rules and limits, which also bound the syntax tree's
    /// depth). Text inside scalars that looks like a comment is not one.
    public static func comments(in text: String) -> [String]? {
        guard YAMLLoader.parse(text, file: "text").diagnostics.isEmpty else { return nil }
        let body =
            text.unicodeScalars.first == "\u{FEFF}" ? String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())) : text
        guard case .success(let documents) = YAMLSyntax.parse(body) else { return nil }
        let lines = Layout.split(body)
        let columns = Layout.commentColumns(lines: lines, documents: documents)
        return lines.indices.compactMap { l in
            columns[l].map { String(String.UnicodeScalarView(lines[l][$0...])) }
        }
    }

    /// Why `output` does not mean what `input` means, or nil when it does.
    static func difference(between input: String, and output: String, originals: [YAMLDocument], keyOrder: KeyOrder)
        -> String?
    {
        let again = YAMLLoader.parse(output, file: "formatted")
        if let first = again.diagnostics.first { return "the new text would not read back: \(first.message)" }
        guard again.documents.count == originals.count else { return "the number of documents would change" }
        for (a, b) in zip(originals, again.documents) {
            switch (a.root, b.root) {
            case (nil, nil): continue
            case (let x?, let y?):
                if let path = mismatch(x, y, path: [], keyOrder: keyOrder) {
                    return "the value at \(path.isEmpty ? "the top" : path.joined(separator: ".")) would change"
                }
            default: return "a document would become empty or stop being empty"
            }
        }
        guard let before = comments(in: input), let after = comments(in: output) else {
            return "the new text would not read back"
        }
        if before.sorted() != after.sorted() { return "a comment would be lost or changed" }
        return nil
    }

    /// The path of the first place where `a` and `b` differ, or nil when they are equivalent.
    private static func mismatch(_ a: YAMLNode, _ b: YAMLNode, path: [String], keyOrder: KeyOrder) -> [String]? {
        guard a.tag == b.tag else { return path }
        switch (a.content, b.content) {
        case (.scalar(let x), .scalar(let y)):
            return x.value == y.value && x.style.isPlain == y.style.isPlain ? nil : path
        case (.sequence(let xs), .sequence(let ys)):
            guard xs.count == ys.count else { return path }
            for (x, y) in zip(xs, ys) {
                if let found = mismatch(x, y, path: path + ["-"], keyOrder: keyOrder) { return found }
            }
            return nil
        case (.mapping(var xs), .mapping(var ys)):
            guard xs.count == ys.count else { return path }
            if keyOrder(path) != nil, xs.allSatisfy({ $0.key.scalar != nil }), ys.allSatisfy({ $0.key.scalar != nil }) {
                xs.sort { $0.key.scalar!.value < $1.key.scalar!.value }
                ys.sort { $0.key.scalar!.value < $1.key.scalar!.value }
            }
            for (x, y) in zip(xs, ys) {
                let name = x.key.scalar?.value ?? "?"
                if let found = mismatch(x.key, y.key, path: path + [name], keyOrder: keyOrder) { return found }
                if let found = mismatch(x.value, y.value, path: path + [name], keyOrder: keyOrder) { return found }
            }
            return nil
        default:
            return path
        }
    }
}
