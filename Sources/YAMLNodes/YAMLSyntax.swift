/// A node as it is written, for tools that rewrite text (the formatter): aliases stay aliases,
/// merge keys stay keys, and every node knows where it starts and ends.
///
/// ``YAMLLoader`` gives the tree that manifests are decoded from; this one gives the layout.
public struct SyntaxNode: Sendable {
    /// The node's content.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case alias(String)
        case mapping([SyntaxPair])
        case sequence([SyntaxNode])
    }

    public var content: Content
    /// Where the node starts (its anchor or tag when it has one), 1-based.
    public var start: Mark
    /// Where the node ends, 1-based: just past its last character, or for a block scalar the start
    /// of the line after it.
    public var end: Mark
    /// Whether a mapping or sequence is written in flow style (`{...}`, `[...]`).
    public var flow: Bool
    public var anchor: String?
    public var tag: String?

    /// Whether the node is a mapping or sequence written in block style.
    public var isBlockCollection: Bool {
        switch content {
        case .mapping, .sequence: return !flow
        case .scalar, .alias: return false
        }
    }
}

/// One key/value entry of a ``SyntaxNode`` mapping, in the order written.
public struct SyntaxPair: Sendable {
    public var key: SyntaxNode
    public var value: SyntaxNode
}

/// One document of a file, as written.
public struct SyntaxDocument: Sendable {
    public var start: Mark
    /// The root node; nil for an empty document.
    public var root: SyntaxNode?
}

/// Reads YAML text into ``SyntaxDocument``s.
enum YAMLSyntax {
    /// The documents of `text`, or libyaml's reason for stopping.
    static func parse(_ text: String) -> Result<[SyntaxDocument], LibYAMLFailure> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            let events = EventParser(buffer: UnsafeBufferPointer(buffer))
            do throws(LibYAMLFailure) {
                return .success(try documents(events))
            } catch {
                return .failure(error)
            }
        }
    }

    private static func documents(_ events: EventParser) throws(LibYAMLFailure) -> [SyntaxDocument] {
        var documents: [SyntaxDocument] = []
        while true {
            let next = try events.nextSpanned()
            switch next.event {
            case .streamEnd: return documents
            case .documentStart:
                let first = try events.nextSpanned()
                if case .documentEnd = first.event {
                    documents.append(SyntaxDocument(start: next.start, root: nil))
                    continue
                }
                documents.append(SyntaxDocument(start: next.start, root: try node(first, events)))
            default: continue
            }
        }
    }

    private static func node(_ first: SpannedEvent, _ events: EventParser) throws(LibYAMLFailure) -> SyntaxNode {
        switch first.event {
        case .scalar(let scalar, let anchor, let tag):
            return SyntaxNode(
                content: .scalar(scalar), start: first.start, end: first.end, flow: false, anchor: anchor, tag: tag)
        case .alias(let anchor):
            return SyntaxNode(content: .alias(anchor), start: first.start, end: first.end, flow: false)
        case .sequenceStart(let anchor, let tag):
            var items: [SyntaxNode] = []
            while true {
                let next = try events.nextSpanned()
                if case .sequenceEnd = next.event {
                    return SyntaxNode(
                        content: .sequence(items), start: first.start, end: next.end, flow: first.flow, anchor: anchor,
                        tag: tag)
                }
                items.append(try node(next, events))
            }
        case .mappingStart(let anchor, let tag):
            var pairs: [SyntaxPair] = []
            while true {
                let next = try events.nextSpanned()
                if case .mappingEnd = next.event {
                    return SyntaxNode(
                        content: .mapping(pairs), start: first.start, end: next.end, flow: first.flow, anchor: anchor,
                        tag: tag)
                }
                let key = try node(next, events)
                let value = try node(try events.nextSpanned(), events)
                pairs.append(SyntaxPair(key: key, value: value))
            }
        default:
            throw LibYAMLFailure(message: "unexpected YAML event", mark: first.start, offset: nil)
        }
    }
}
