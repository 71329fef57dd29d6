/// A problem found while reading YAML, with the place it was found.
public struct YAMLDiagnostic: Error, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message)" }
}

/// Limits that keep hostile or accidental input from exhausting time or memory.
public struct YAMLLimits: Sendable {
    /// Largest file read, in bytes; larger files are refused before they are read.
    public var maxFileBytes: Int
    /// Deepest nesting of collections; libyaml's own time grows quadratically with depth.
    public var maxDepth: Int
    /// Most nodes a file may hold once aliases are counted as copies (alias-bomb guard).
    public var maxNodes: Int

    public init(maxFileBytes: Int = 16 << 20, maxDepth: Int = 64, maxNodes: Int = 1_000_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let standard = YAMLLimits()
}

/// What reading one YAML file produced: its documents and any problems.
///
/// A syntax error stops the file (no documents); other problems (duplicate keys, refused tags,
/// undefined aliases) are reported and reading goes on, so one run shows them all.
public struct YAMLParseResult: Sendable {
    public var documents: [YAMLDocument]
    public var diagnostics: [YAMLDiagnostic]

    public init(documents: [YAMLDocument] = [], diagnostics: [YAMLDiagnostic] = []) {
        self.documents = documents
        self.diagnostics = diagnostics
    }
}
