/// Builds node trees from libyaml events: resolves aliases and merge keys, refuses non-core tags,
/// reports duplicate keys, and enforces the depth and alias-expansion limits.
struct Composer {
    private let events: EventParser
    private let file: String
    private let limits: YAMLLimits
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var nodeCount = 0
    /// Nodes counted for aliases (what they expand to), so the limit's message names the right cause.
    private var aliasedCount = 0
    private(set) var diagnostics: [YAMLDiagnostic] = []

    /// A problem that stops reading the file.
    struct Fatal: Error {
        var diagnostic: YAMLDiagnostic
    }

    init(events: EventParser, file: String, limits: YAMLLimits) {
        self.events = events
        self.file = file
        self.limits = limits
    }

    static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq", "!",
    ]

    mutating func documents() throws(Fatal) -> [YAMLDocument] {
        var documents: [YAMLDocument] = []
        while true {
            let (event, mark) = try pull()
            switch event {
            case .streamStart, .documentEnd: continue
            case .streamEnd: return documents
            case .documentStart:
                anchors.removeAll()
                let (first, firstMark) = try pull()
                if case .documentEnd = first {
                    documents.append(YAMLDocument(file: file, root: nil, mark: mark))
                    continue
                }
                let root = try node(first, at: firstMark, depth: 1)
                var document = YAMLDocument(file: file, root: root, mark: mark)
                if let s = root.scalar, s.style.isPlain, root.tag == nil, CoreSchema.resolve(s.value) == .null {
                    document.root = nil
                }
                documents.append(document)
            default:
                throw Fatal(diagnostic: diagnostic("unexpected YAML event", at: mark))
            }
        }
    }

    private func pull() throws(Fatal) -> (YAMLEvent, Mark) {
        do {
            return try events.next()
        } catch {
            throw Fatal(
                diagnostic: YAMLDiagnostic(
                    error.message, at: SourceLocation(file: file, mark: error.mark ?? Mark(line: 1, column: 1))))
        }
    }

    private func diagnostic(_ message: String, at mark: Mark) -> YAMLDiagnostic {
        YAMLDiagnostic(message, at: SourceLocation(file: file, mark: mark))
    }

    private mutating func count(_ n: Int, at mark: Mark, alias: Bool = false) throws(Fatal) {
        nodeCount += n
        if alias { aliasedCount += n }
        if nodeCount > limits.maxNodes {
            // Only a document whose aliases did the expanding is called an alias bomb: a plain list of
            // millions of items is just too large.
            let message =
                aliasedCount > 0
                ? "the document expands to more than \(limits.maxNodes) nodes once aliases are copied "
                    + "(\(aliasedCount) of them from aliases); "
                    + "streamplan stops here to guard against alias bombs (\"billion laughs\")"
                : "the document has more than \(limits.maxNodes) nodes (scalars, sequences and mappings); "
                    + "a manifest never needs that many: split it into several files"
            throw Fatal(diagnostic: diagnostic(message, at: mark))
        }
    }

    private mutating func checkTag(_ tag: String?, at mark: Mark) {
        guard let tag, !Self.coreTags.contains(tag) else { return }
        diagnostics.append(
            diagnostic(
                "tag \(tag) is not allowed; only YAML core tags are accepted (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)",
                at: mark))
    }

    private mutating func node(_ event: YAMLEvent, at mark: Mark, depth: Int) throws(Fatal) -> YAMLNode {
        switch event {
        case .scalar(let scalar, let anchor, let tag):
            try count(1, at: mark)
            checkTag(tag, at: mark)
            let n = YAMLNode(.scalar(scalar), mark: mark, tag: tag)
            if let anchor { anchors[anchor] = (n, 1) }
            return n
        case .alias(let anchor):
            guard let target = anchors[anchor] else {
                diagnostics.append(diagnostic("alias *\(anchor) refers to no anchor &\(anchor) defined before it", at: mark))
                try count(1, at: mark)
                return YAMLNode(.scalar(YAMLScalar("")), mark: mark)
            }
            try count(target.size, at: mark, alias: true)
            return target.node
        case .sequenceStart(let anchor, let tag):
            try enter(depth, at: mark)
            checkTag(tag, at: mark)
            let start = nodeCount
            try count(1, at: mark)
            var items: [YAMLNode] = []
            while true {
                let (next, nextMark) = try pull()
                if case .sequenceEnd = next { break }
                items.append(try node(next, at: nextMark, depth: depth + 1))
            }
            let n = YAMLNode(.sequence(items), mark: mark, tag: tag)
            if let anchor { anchors[anchor] = (n, nodeCount - start) }
            return n
        case .mappingStart(let anchor, let tag):
            try enter(depth, at: mark)
            checkTag(tag, at: mark)
            let start = nodeCount
            try count(1, at: mark)
            let pairs = try mappingPairs(depth: depth)
            let n = YAMLNode(.mapping(pairs), mark: mark, tag: tag)
            if let anchor { anchors[anchor] = (n, nodeCount - start) }
            return n
        default:
            throw Fatal(diagnostic: diagnostic("unexpected YAML event", at: mark))
        }
    }

    private func enter(_ depth: Int, at mark: Mark) throws(Fatal) {
        if depth > limits.maxDepth {
            throw Fatal(
                diagnostic: diagnostic(
                    "nesting is deeper than \(limits.maxDepth) levels; manifests never need that much", at: mark))
        }
    }

    /// Reads a mapping's entries, splicing merge keys (`<<`) in after the explicit keys.
    private mutating func mappingPairs(depth: Int) throws(Fatal) -> [YAMLPair] {
        var pairs: [YAMLPair] = []
        var seen: [String: Mark] = [:]
        var merged: [YAMLPair] = []
        while true {
            let (next, nextMark) = try pull()
            if case .mappingEnd = next { break }
            let key = try node(next, at: nextMark, depth: depth + 1)
            let (valueEvent, valueMark) = try pull()
            let value = try node(valueEvent, at: valueMark, depth: depth + 1)
            if let k = key.scalar, k.style.isPlain, k.value == "<<", key.tag == nil || key.tag == "tag:yaml.org,2002:merge" {
                merged.append(contentsOf: mergeSources(value))
                continue
            }
            if let k = key.scalar {
                if let first = seen[k.value] {
                    diagnostics.append(
                        diagnostic(
                            "duplicate key \"\(k.value)\" (first defined at line \(first.line), column \(first.column)); "
                                + "a key may appear once in a mapping",
                            at: key.mark))
                    continue
                }
                seen[k.value] = key.mark
            }
            pairs.append(YAMLPair(key: key, value: value))
        }
        for pair in merged {
            guard let k = pair.key.scalar else { continue }
            if seen[k.value] == nil {
                seen[k.value] = pair.key.mark
                pairs.append(pair)
            }
        }
        return pairs
    }

    private mutating func mergeSources(_ value: YAMLNode) -> [YAMLPair] {
        switch value.content {
        case .mapping(let pairs):
            return pairs
        case .sequence(let items):
            var result: [YAMLPair] = []
            for item in items {
                if let pairs = item.mapping {
                    result.append(contentsOf: pairs)
                } else {
                    diagnostics.append(
                        diagnostic(
                            "a merge key (<<) takes a mapping or a list of mappings, not \(item.kindDescription)", at: item.mark))
                }
            }
            return result
        case .scalar:
            diagnostics.append(
                diagnostic("a merge key (<<) takes a mapping or a list of mappings, not \(value.kindDescription)", at: value.mark)
            )
            return []
        }
    }
}
