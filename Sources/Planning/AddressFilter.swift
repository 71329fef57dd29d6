/// What `--target` and `--exclude` left out of a plan; recorded in JSON and saved plans.
public struct PartialPlan: Sendable, Hashable, Codable {
    public var targets: [String]
    public var excludes: [String]
    /// Addresses with changes that the filter left out, sorted.
    public var omitted: [String]

    public init(targets: [String], excludes: [String], omitted: [String]) {
        self.targets = targets
        self.excludes = excludes
        self.omitted = omitted
    }

    /// The warning printed on stderr.
    public var warning: String {
        var parts: [String] = []
        if !targets.isEmpty { parts.append("--target " + targets.joined(separator: ", ")) }
        if !excludes.isEmpty { parts.append("--exclude " + excludes.joined(separator: ", ")) }
        let left =
            omitted.isEmpty
            ? "no other change is pending"
            : "\(omitted.count) change\(omitted.count == 1 ? "" : "s") left out (\(omitted.joined(separator: ", ")))"
        return "warning: this plan is partial: \(parts.joined(separator: "; ")); \(left). "
            + "The account will not fully match the manifests until a plan without them is applied."
    }
}

/// `--target` and `--exclude` patterns over addresses.
///
/// A pattern is an address where `*` matches any run of characters (dots included) and `?` one
/// character. A pattern also selects what lives under the address it matches, so
/// `live_stream.townhall` selects `live_stream.townhall.streaming.main` too. A change is kept
/// when it matches some target (or there are no targets) and matches no exclude.
public struct AddressFilter: Sendable, Hashable {
    public var targets: [String]
    public var excludes: [String]

    public init(targets: [String] = [], excludes: [String] = []) {
        self.targets = targets
        self.excludes = excludes
    }

    public var isEmpty: Bool { targets.isEmpty && excludes.isEmpty }

    public func selects(_ address: String) -> Bool {
        if !targets.isEmpty && !targets.contains(where: { Self.matches($0, address) }) { return false }
        return !excludes.contains { Self.matches($0, address) }
    }

    /// The plan restricted to the selected changes, and what was left out (nil when nothing was filtered).
    public func apply(to plan: Plan) -> (plan: Plan, partial: PartialPlan?) {
        guard !isEmpty else { return (plan, nil) }
        var kept = plan
        kept.changes = plan.changes.filter { selects($0.address.description) }
        kept.unchanged = plan.unchanged.filter { selects($0.description) }
        let omitted = Set(plan.changes.map(\.address.description).filter { !selects($0) }).sorted()
        return (kept, PartialPlan(targets: targets, excludes: excludes, omitted: omitted))
    }

    /// Whether `pattern` matches `address` or an ancestor of it (`a.b` is an ancestor of `a.b.c`).
    public static func matches(_ pattern: String, _ address: String) -> Bool {
        let p = Array(pattern)
        let a = Array(address)
        if glob(p[...], a[...]) { return true }
        for (i, c) in a.enumerated() where c == "." && glob(p[...], a[..<i]) { return true }
        return false
    }

    private static func glob(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        // Iterative wildcard matching with backtracking to the last `*`.
        var pi = p.startIndex
        var si = s.startIndex
        var star: Int?
        var mark = s.startIndex
        while si < s.endIndex {
            if pi < p.endIndex && (p[pi] == "?" || p[pi] == s[si]) {
                pi += 1
                si += 1
            } else if pi < p.endIndex && p[pi] == "*" {
                star = pi
                mark = si
                pi += 1
            } else if let st = star {
                pi = st + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.endIndex && p[pi] == "*" { pi += 1 }
        return pi == p.endIndex
    }
}
