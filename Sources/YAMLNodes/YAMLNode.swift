/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct Mark: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A file and a position in it, printed as `file:line:column`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var mark: Mark

    public init(file: String, mark: Mark) {
        self.file = file
        self.mark = mark
    }

    public init(file: String, line: Int, column: Int) {
        self.init(file: file, mark: Mark(line: line, column: column))
    }

    public var line: Int { mark.line }
    public var column: Int { mark.column }
    public var description: String { "\(file):\(mark.line):\(mark.column)" }
}

/// How a scalar was written; quoting decides whether `true` is a boolean or a string.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// Whether the scalar was written without quotes or block indicators.
    public var isPlain: Bool { self == .plain }
}

/// A YAML scalar's text and the way it was written.
public struct YAMLScalar: Sendable, Hashable {
    public var value: String
    public var style: ScalarStyle

    public init(_ value: String, style: ScalarStyle = .plain) {
        self.value = value
        self.style = style
    }
}

/// One key/value entry of a mapping, in document order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A node of a YAML document; every node keeps the position where it starts.
///
/// Aliases are resolved while composing, so the tree holds no alias nodes; the copies share
/// storage (value semantics), and an expansion budget guards against alias bombs.
public struct YAMLNode: Sendable {
    /// The node's content.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var mark: Mark
    /// The resolved tag, e.g. `tag:yaml.org,2002:str`, or nil when none was written.
    public var tag: String?

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The mapping's entries, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The sequence's items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// A word for the node's kind, for messages ("a mapping", "a list", "a string").
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if tag == nil && s.style.isPlain {
                switch CoreSchema.resolve(s.value) {
                case .null: return "null"
                case .bool(let b): return "the boolean \(b)"
                case .int(let i): return "the number \(i)"
                case .float: return "the number \(s.value)"
                case .string: return "the string \"\(s.value)\""
                }
            }
            return "the string \"\(s.value)\""
        }
    }
}

/// A parsed YAML document of one file.
public struct YAMLDocument: Sendable {
    public var file: String
    /// The document's root; nil for an empty document.
    public var root: YAMLNode?
    /// Where the document starts (for messages about an empty or whole document).
    public var mark: Mark

    public init(file: String, root: YAMLNode?, mark: Mark) {
        self.file = file
        self.root = root
        self.mark = mark
    }
}
