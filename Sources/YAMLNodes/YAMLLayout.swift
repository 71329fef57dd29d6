/// A construct the formatter does not lay out; the file is left as it is.
struct Unsupported: Error {
    var reason: String
}

/// One pass of the formatter over one text: re-indents and reorders the lines of block collections
/// (YAMLFormatter checks the result).
final class Layout {
    typealias Line = [Unicode.Scalar]

    /// One entry of a block collection: a mapping's key and value, or a list item.
    struct Entry {
        /// The line of the key, or of the item's dash (0-based).
        var head: Int
        /// The column of the key, or of the item's dash (0-based).
        var column: Int
        var key: String?
        var isItem: Bool
        var value: SyntaxNode
        /// The last line holding the entry's content (0-based).
        var last: Int
        /// Where a mapping entry's key ends.
        var keyEnd: Mark? = nil
    }

    let lines: [Line]
    let documents: [SyntaxDocument]
    let keyOrder: YAMLFormatter.KeyOrder
    let width: Int
    let comments: [Int?]
    var out: [String] = []

    init(text: String, documents: [SyntaxDocument], keyOrder: @escaping YAMLFormatter.KeyOrder, indentWidth: Int) {
        lines = Self.split(text)
        self.documents = documents
        self.keyOrder = keyOrder
        width = indentWidth
        comments = Self.commentColumns(lines: lines, documents: documents)
    }

    static func split(_ text: String) -> [Line] {
        var result: [Line] = [[]]
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                result.append([])
            } else {
                result[result.count - 1].append(scalar)
            }
        }
        return result
    }

    /// For each line, the column where its comment starts, if it has one.
    static func commentColumns(lines: [Line], documents: [SyntaxDocument]) -> [Int?] {
        var masks = [[Range<Int>]](repeating: [], count: lines.count)
        func mask(_ node: SyntaxNode) {
            switch node.content {
            case .scalar(let scalar):
                let (sl, sc, el, ec) = (node.start.line - 1, node.start.column - 1, node.end.line - 1, node.end.column - 1)
                guard sl < lines.count else { return }
                if scalar.style == .literal || scalar.style == .folded {
                    // The header line may carry a comment after the indicators; the lines below are content.
                    masks[sl].append(sc..<(sc + 1))
                    if el > sl {
                        for l in (sl + 1)..<min(el, lines.count) { masks[l].append(0..<Int.max) }
                        if el < lines.count { masks[el].append(0..<ec) }
                    }
                } else if el == sl {
                    masks[sl].append(sc..<ec)
                } else {
                    masks[sl].append(sc..<Int.max)
                    for l in (sl + 1)..<min(el, lines.count) { masks[l].append(0..<Int.max) }
                    if el < lines.count { masks[el].append(0..<ec) }
                }
            case .alias: return
            case .sequence(let items): items.forEach(mask)
            case .mapping(let pairs):
                for pair in pairs {
                    mask(pair.key)
                    mask(pair.value)
                }
            }
        }
        for document in documents {
            if let root = document.root { mask(root) }
        }
        return lines.indices.map { l in
            let line = lines[l]
            for c in line.indices where line[c] == "#" {
                guard c == 0 || line[c - 1] == " " || line[c - 1] == "\t" else { continue }
                if masks[l].contains(where: { $0.contains(c) }) { continue }
                return c
            }
            return nil
        }
    }

    // MARK: Lines

    func isBlank(_ l: Int) -> Bool { lines[l].allSatisfy { $0 == " " || $0 == "\t" } }

    func firstNonBlank(_ l: Int) -> Int? { lines[l].firstIndex { $0 != " " && $0 != "\t" } }

    func isCommentLine(_ l: Int) -> Bool { comments[l] != nil && comments[l] == firstNonBlank(l) }

    func text(_ l: Int, from column: Int = 0) -> String {
        column >= lines[l].count ? "" : String(String.UnicodeScalarView(lines[l][column...]))
    }

    static func spaces(_ n: Int) -> String { String(repeating: " ", count: max(0, n)) }

    /// Line `l` from `column` on, for a line that will start at `newStart`: trailing blanks removed
    /// when `trim`, and a trailing comment kept at its column when there is room.
    func body(_ l: Int, from column: Int, newStart: Int, trim: Bool) -> String {
        let line = lines[l]
        var content = Array(line[min(column, line.count)...])
        if let c = comments[l], c >= column {
            content = Array(line[column..<c])
            while let last = content.last, last == " " || last == "\t" { content.removeLast() }
            let end = newStart + content.count
            let pad = c > end ? c - end : 1
            return String(String.UnicodeScalarView(content)) + Self.spaces(pad) + text(l, from: c)
        }
        if trim {
            while let last = content.last, last == " " || last == "\t" { content.removeLast() }
        }
        return String(String.UnicodeScalarView(content))
    }

    // MARK: Structure

    /// The last line holding `node`'s content (0-based).
    func lastLine(_ node: SyntaxNode) -> Int {
        let (sl, el, ec) = (node.start.line - 1, node.end.line - 1, node.end.column - 1)
        switch node.content {
        case .scalar(let scalar):
            if scalar.style == .literal || scalar.style == .folded {
                // The end is at the start of the line after the content, or at the end of the text.
                var l = min(el, lines.count - 1)
                if l == el && lines[l].prefix(max(0, ec)).allSatisfy({ $0 == " " || $0 == "\t" }) { l -= 1 }
                while l > sl && isBlank(l) { l -= 1 }
                return max(l, sl)
            }
            if node.start == node.end { return sl }
            return max(sl, ec == 0 ? el - 1 : el)
        case .alias:
            return el
        case .mapping(let pairs):
            if node.flow || pairs.isEmpty { return max(sl, el) }
            let last = pairs[pairs.count - 1]
            return max(last.key.end.line - 1, lastLine(last.value))
        case .sequence(let items):
            if node.flow || items.isEmpty { return max(sl, el) }
            return lastLine(items[items.count - 1])
        }
    }

    /// The entries of a block collection, with where each one is written.
    func entries(of node: SyntaxNode) throws(Unsupported) -> [Entry] {
        switch node.content {
        case .mapping(let pairs):
            return try pairs.map { pair throws(Unsupported) in
                let head = pair.key.start.line - 1
                guard !pair.key.isBlockCollection && !pair.key.flow else {
                    throw Unsupported(reason: "line \(head + 1): a key that is a mapping or a list")
                }
                guard pair.key.end.line == pair.key.start.line || pair.key.start == pair.key.end else {
                    throw Unsupported(reason: "line \(head + 1): a key written over several lines")
                }
                return Entry(
                    head: head, column: pair.key.start.column - 1, key: pair.key.scalarValue, isItem: false,
                    value: pair.value, last: max(head, pair.key.end.line - 1, lastLine(pair.value)), keyEnd: pair.key.end)
            }
        case .sequence(let items):
            return try items.map { item throws(Unsupported) in
                let head = item.start.line - 1
                let line = lines[head]
                var c = item.start.column - 2
                while c >= 0 && line[c] == " " { c -= 1 }
                guard c >= 0, line[c] == "-" else {
                    throw Unsupported(reason: "line \(head + 1): a list item that starts on the line after its dash")
                }
                return Entry(head: head, column: c, key: nil, isItem: true, value: item, last: max(head, lastLine(item)))
            }
        case .scalar, .alias:
            return []
        }
    }

    /// The line of the first entry of a block collection.
    func firstHead(_ node: SyntaxNode) -> Int? {
        switch node.content {
        case .mapping(let pairs): return pairs.first.map { $0.key.start.line - 1 }
        case .sequence(let items): return items.first.map { $0.start.line - 1 }
        case .scalar, .alias: return nil
        }
    }

    // MARK: Output

    func run() throws(Unsupported) -> String {
        var cursor = 0
        for document in documents {
            guard let root = document.root, root.isBlockCollection, let head = firstHead(root), head >= cursor else {
                continue
            }
            // Document markers, directives and other documents stay as written.
            var regionStart = cursor
            for l in cursor..<head where !isBlank(l) && !isCommentLine(l) { regionStart = l + 1 }
            for l in cursor..<regionStart { out.append(text(l)) }
            try collection(root, indent: 0, prefix: nil, regionStart: regionStart, path: [])
            cursor = lastLine(root) + 1
        }
        for l in cursor..<lines.count { out.append(text(l)) }
        return out.joined(separator: "\n")
    }

    /// Lays out a block collection whose entries start at column `indent`; `prefix`, when given,
    /// replaces the indentation of the first entry's line (`- ` of a list item holding it).
    func collection(_ node: SyntaxNode, indent: Int, prefix: String?, regionStart: Int, path: [String]) throws(Unsupported) {
        let entries = try entries(of: node)
        guard !entries.isEmpty else { return }
        var order = Array(entries.indices)
        if case .mapping = node.content, let canonical = keyOrder(path), entries.allSatisfy({ $0.key != nil }) {
            func rank(_ i: Int) -> Int {
                let key = entries[i].key ?? ""
                return key == "<<" ? -1 : canonical.firstIndex(of: key) ?? canonical.count
            }
            order = order.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        }
        func lead(_ i: Int) -> Range<Int> {
            let start = i == 0 ? regionStart : entries[i - 1].last + 1
            return start..<max(start, entries[i].head)
        }
        for i in entries.indices {
            let start = i == 0 ? regionStart : entries[i - 1].last + 1
            guard start <= entries[i].head else {
                throw Unsupported(reason: "line \(entries[i].head + 1): an entry that shares lines with the one before it")
            }
            for l in lead(i) where !isBlank(l) && !isCommentLine(l) {
                throw Unsupported(reason: "line \(l + 1): text between entries that fmt does not lay out")
            }
        }
        // Comments separated from the first entry by a blank line stay at the top of the collection;
        // the ones right above an entry move with it.
        var firstLead = lead(0)
        if prefix == nil, let blank = firstLead.last(where: isBlank) {
            leadLines(firstLead.lowerBound..<(blank + 1), entry: entries[0], indent: indent)
            firstLead = (blank + 1)..<firstLead.upperBound
        }
        for (n, i) in order.enumerated() {
            leadLines(i == 0 ? firstLead : lead(i), entry: entries[i], indent: indent)
            try entry(entries[i], indent: indent, prefix: n == 0 ? prefix : nil, path: path)
        }
    }

    /// Blank lines and comment lines above an entry: a comment at the entry's column goes to its
    /// new column, others move by as much as the entry does.
    func leadLines(_ range: Range<Int>, entry: Entry, indent: Int) {
        for l in range {
            guard let c = comments[l], !isBlank(l) else {
                out.append("")
                continue
            }
            let column = c == entry.column ? indent : max(0, c + indent - entry.column)
            out.append(Self.spaces(column) + text(l, from: c))
        }
    }

    func entry(_ e: Entry, indent: Int, prefix: String?, path: [String]) throws(Unsupported) {
        let childPath = path + [e.isItem ? "-" : (e.key ?? "?")]
        let first = prefix ?? Self.spaces(indent)
        if e.value.isBlockCollection, let childHead = firstHead(e.value) {
            if childHead == e.head {
                guard e.isItem, e.value.anchor == nil, e.value.tag == nil else {
                    throw Unsupported(reason: "line \(e.head + 1): an anchor or tag on a list item's own line")
                }
                try collection(
                    e.value, indent: indent + width, prefix: first + "-" + Self.spaces(width - 1), regionStart: e.head,
                    path: childPath)
                return
            }
            try headLine(e, prefix: first)
            try collection(e.value, indent: indent + width, prefix: nil, regionStart: e.head + 1, path: childPath)
            return
        }
        try headLine(e, prefix: first)
        guard e.last > e.head else { return }
        let delta = blockScalarShift(e, indent: indent) ?? (indent - e.column)
        for l in (e.head + 1)...e.last { out.append(try shifted(l, by: delta)) }
    }

    /// For a block scalar (`|`, `>`) starting on the entry's line without an indentation indicator:
    /// the shift that puts its content one level below the entry. Its value does not depend on
    /// where the content starts, only on the indentation of each line relative to the first one.
    func blockScalarShift(_ e: Entry, indent: Int) -> Int? {
        guard case .scalar(let scalar) = e.value.content, scalar.style == .literal || scalar.style == .folded,
            e.value.start.line - 1 == e.head
        else { return nil }
        let line = lines[e.head]
        var c = e.value.start.column - 1
        while c < line.count && line[c] != "|" && line[c] != ">" { c += 1 }
        c += 1
        while c < line.count && (line[c] == "+" || line[c] == "-" || ("1"..."9").contains(line[c])) {
            if ("1"..."9").contains(line[c]) { return nil }
            c += 1
        }
        guard let content = ((e.head + 1)...e.last).first(where: { !isBlank($0) }) else { return nil }
        return indent + width - lines[content].prefix { $0 == " " }.count
    }

    func headLine(_ e: Entry, prefix: String) throws(Unsupported) {
        guard Self.isIndentation(lines[e.head][..<min(e.column, lines[e.head].count)]) else {
            throw Unsupported(
                reason:
                    "line \(e.head + 1): something fmt does not lay out before the entry (an explicit key, an anchor or a tag)")
        }
        let valueColumn = e.value.start.column - 1
        if e.isItem && e.value.start.line - 1 == e.head && valueColumn > e.column + 1 {
            // A list item's value follows its dash after one space (width - 1 spaces).
            let dash = prefix + "-" + Self.spaces(width - 1)
            out.append(dash + body(e.head, from: valueColumn, newStart: dash.unicodeScalars.count, trim: true))
            return
        }
        let line = lines[e.head]
        if let keyEnd = e.keyEnd, keyEnd.line - 1 == e.head, e.value.start.line - 1 == e.head, e.value.start != e.value.end {
            // `key:   value` and `key : value` become `key: value`.
            let k = keyEnd.column - 1
            if e.column <= k, k < valueColumn, valueColumn <= line.count,
                line[k..<valueColumn].filter({ $0 != " " && $0 != "\t" }) == [":"]
            {
                let key = prefix + String(String.UnicodeScalarView(line[e.column..<k])) + ": "
                out.append(key + body(e.head, from: valueColumn, newStart: key.unicodeScalars.count, trim: true))
                return
            }
        }
        out.append(prefix + body(e.head, from: e.column, newStart: prefix.unicodeScalars.count, trim: true))
    }

    /// Whether `text` is spaces and list dashes only (`    - - `): what may stand before an entry.
    static func isIndentation(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var rest = text.drop { $0 == " " }
        while rest.first == "-" {
            rest = rest.dropFirst()
            guard rest.isEmpty || rest.first == " " else { return false }
            rest = rest.drop { $0 == " " }
        }
        return rest.isEmpty
    }

    /// A continuation line of a scalar or flow collection, moved by `delta` columns.
    func shifted(_ l: Int, by delta: Int) throws(Unsupported) -> String {
        let line = lines[l]
        if line.isEmpty { return "" }
        if let c = comments[l], c == firstNonBlank(l) {
            return Self.spaces(c + delta) + text(l, from: c)
        }
        if delta >= 0 { return Self.spaces(delta) + body(l, from: 0, newStart: delta, trim: false) }
        let leading = line.prefix { $0 == " " }.count
        if leading >= -delta { return body(l, from: -delta, newStart: 0, trim: false) }
        if isBlank(l) { return "" }
        throw Unsupported(reason: "line \(l + 1) is indented less than the entry it continues")
    }
}

extension SyntaxNode {
    /// The text of a scalar key, or nil for any other node.
    var scalarValue: String? {
        if case .scalar(let scalar) = content { return scalar.value }
        return nil
    }
}
