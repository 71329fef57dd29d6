import YAMLNodes

/// `moved: [{from: video.intro, to: video.welcome}]`: the object managed as `from` is the one the
/// manifests now call `to`. Apply rewrites its ownership (the address mark, or the registry entry)
/// and touches nothing else, as Terraform's `moved` blocks do.
public struct MoveSpec: Sendable, Hashable {
    public var from: String
    public var to: String
    public var location: SourceLocation

    public init(from: String, to: String, location: SourceLocation) {
        self.from = from
        self.to = to
        self.location = location
    }
}

/// An object's `protect:` and `ignore:` keys (every kind).
public struct LifecycleSpec: Sendable, Hashable {
    /// Never delete or replace the object, even with `--allow-delete` (remembered on the service).
    public var protect = false
    /// Fields left to the dashboard: never changed, never reported as drift.
    public var ignore: [String] = []
    public var location: SourceLocation

    public init(protect: Bool = false, ignore: [String] = [], location: SourceLocation) {
        self.protect = protect
        self.ignore = ignore
        self.location = location
    }
}

/// The keys every object may carry, and the fields `ignore:` may name per kind.
public enum Lifecycle {
    public static let keys = ["protect", "ignore"]

    /// The fields of each kind that `ignore:` may name (those an update can change).
    public static let ignorable: [String: [String]] = [
        "video": ["title", "description", "is_public", "tags", "metadata", "thumbnail", "player"],
        "live_stream": ["name", "save"],
        "streaming": ["title", "save"],
        "webhook": ["name", "events"],
        "playlist": ["name", "tags", "metadata"],
        "player": ["name", "theme", "controls"],
    ]

    /// The kinds a `moved:` block may name, as written in addresses.
    public static let movableKinds = ["video", "live_stream", "streaming", "webhook", "playlist", "player"]

    /// Whether `text` is an address: `kind.NAME`, or `live_stream.NAME.streaming.NAME`.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 { return movableKinds.contains(parts[0]) && parts[0] != "streaming" && Names.isValidName(parts[1]) }
        if parts.count == 4 {
            return parts[0] == "live_stream" && parts[2] == "streaming" && Names.isValidName(parts[1])
                && Names.isValidName(parts[3])
        }
        return false
    }

    /// The kind of an address (`streaming` for a key's streaming).
    static func kind(of address: String) -> String {
        let parts = address.split(separator: ".")
        return parts.count == 4 ? "streaming" : String(parts.first ?? "")
    }
}

extension FragmentDecoder {
    /// Reads `protect` and `ignore` of the object at `address` (its other keys are read by its kind).
    mutating func lifecycle(_ address: String, kind: String, node: YAMLNode) -> (String, LifecycleSpec)? {
        guard let pairs = node.mapping else { return nil }
        var spec = LifecycleSpec(location: reader.location(node))
        var written = false
        for pair in pairs {
            guard let key = pair.key.scalar?.value, Lifecycle.keys.contains(key) else { continue }
            written = true
            if key == "protect" {
                spec.protect = reader.bool(pair.value, what: "protect") ?? false
                continue
            }
            guard let items = reader.list(pair.value, what: "ignore") else { continue }
            let allowed = Lifecycle.ignorable[kind] ?? []
            for item in items {
                guard let field = reader.string(item, what: "a field to ignore") else { continue }
                guard allowed.contains(field) else {
                    var message = "\(address) cannot ignore \"\(field)\""
                    if let guess = Suggest.closest(to: field, in: allowed) { message += "; did you mean \"\(guess)\"?" }
                    reader.error(
                        message + " Fields a \(kind) can leave to the dashboard: \(allowed.joined(separator: ", ")).", at: item)
                    continue
                }
                if spec.ignore.contains(field) {
                    reader.warning("\(address) ignores \"\(field)\" twice", at: item)
                    continue
                }
                spec.ignore.append(field)
            }
        }
        return written ? (address, spec) : nil
    }

    /// `moved:` — a list of `{from: ADDRESS, to: ADDRESS}`; checked against the manifests once every
    /// file is read (`MoveRules`).
    mutating func movedBlocks(_ node: YAMLNode) -> [MoveSpec] {
        guard let items = node.sequence else {
            if node.scalar.map({ $0.style.isPlain && CoreSchema.resolve($0.value) == .null }) == true { return [] }
            reader.error(
                "moved must be a list of {from: ADDRESS, to: ADDRESS}, e.g. `moved: [{from: video.intro, to: video.welcome}]`, "
                    + "not \(node.kindDescription)", at: node)
            return []
        }
        var result: [MoveSpec] = []
        for item in items {
            guard let f = reader.mapping(item, allowed: ["from", "to"], what: "a moved block") else { continue }
            var ends: [String] = []
            for key in ["from", "to"] {
                guard let n = f[key] else {
                    reader.error(
                        "a moved block is missing \(key) (the \(key == "from" ? "old" : "new") address, e.g. video.\(key == "from" ? "intro" : "welcome"))",
                        at: f.firstKeyNode)
                    continue
                }
                guard let text = reader.string(n, what: key) else { continue }
                guard Lifecycle.isAddress(text) else {
                    reader.error(
                        "moved \(key) \"\(text)\" is not an address: KIND.NAME with KIND one of video, live_stream, webhook, "
                            + "playlist, player, or live_stream.NAME.streaming.NAME", at: n)
                    continue
                }
                ends.append(text)
            }
            guard ends.count == 2 else { continue }
            result.append(MoveSpec(from: ends[0], to: ends[1], location: reader.location(item)))
        }
        return result
    }
}

/// The checks on `moved:` blocks that need every file: `to` is defined, `from` is not (the object
/// cannot be at both), kinds match, no address moves twice, no chain or cycle.
enum MoveRules {
    static func check(_ moves: [MoveSpec], defined: Set<String>, into diagnostics: inout DiagnosticCollector) -> [MoveSpec] {
        var valid: [MoveSpec] = []
        var fromSeen: [String: SourceLocation] = [:]
        var toSeen: [String: SourceLocation] = [:]
        let froms = Set(moves.map(\.from))
        let tos = Set(moves.map(\.to))
        for move in moves {
            let here = move.location
            if move.from == move.to {
                diagnostics.error("moved from \(move.from) to itself; remove the block", at: here)
                continue
            }
            let fromKind = Lifecycle.kind(of: move.from)
            let toKind = Lifecycle.kind(of: move.to)
            guard fromKind == toKind else {
                diagnostics.error(
                    "moved from \(move.from) (a \(fromKind)) to \(move.to) (a \(toKind)): a move keeps the object, so both "
                        + "addresses must be of one kind", at: here)
                continue
            }
            guard defined.contains(move.to) else {
                var message = "moved to \(move.to): no such \(toKind) in the manifests"
                let names = defined.filter { Lifecycle.kind(of: $0) == toKind }.sorted()
                if let guess = Suggest.closest(to: move.to, in: names) { message += "; did you mean \(guess)?" }
                diagnostics.error(message + " A move renames an object the manifests define: define \(move.to) too.", at: here)
                continue
            }
            if defined.contains(move.from) {
                diagnostics.error(
                    "moved from \(move.from), which the manifests still define: one object cannot be at both addresses; "
                        + "remove \(move.from) from the manifests or remove this block", at: here)
                continue
            }
            if let first = fromSeen[move.from] {
                diagnostics.error("\(move.from) is moved twice: here and at \(first); keep one block", at: here)
                continue
            }
            if let first = toSeen[move.to] {
                diagnostics.error(
                    "two objects are moved to \(move.to): here and at \(first); one address holds one object", at: here)
                continue
            }
            if froms.contains(move.to) || tos.contains(move.from) {
                diagnostics.error(
                    "moved \(move.from) → \(move.to) is part of a chain or cycle of moves; write one block from each old "
                        + "address straight to its final address", at: here)
                continue
            }
            fromSeen[move.from] = here
            toSeen[move.to] = here
            valid.append(move)
        }
        return valid
    }
}

extension FragmentDecoder {
    /// Records the object's `protect:`/`ignore:` when it writes either.
    mutating func readLifecycle(_ address: String, kind: String, node: YAMLNode) {
        if let found = lifecycle(address, kind: kind, node: node) { lifecycles.append(found) }
    }
}
