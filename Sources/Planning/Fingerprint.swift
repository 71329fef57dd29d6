/// What a plan saw of one remote object it touches.
///
/// For a change on an existing object, `fields` holds the values its action depends on (each kind
/// says which in its planner's `fingerprint`) plus `updated_at`, which is recorded and shown but
/// not compared on its own: AIOZ moves it for things no action depends on. For a create, `remoteID`
/// is nil and `exists` is false: it holds while no object with the address exists.
public struct RemoteFingerprint: Sendable, Hashable, Codable {
    public var kind: ResourceKind
    public var address: Address
    public var remoteID: String?
    public var exists: Bool
    public var fields: [String: String]

    /// Recorded, not compared on its own.
    public static let informational: Set<String> = ["updated_at"]

    enum CodingKeys: String, CodingKey {
        case kind, address, exists, fields
        case remoteID = "remote_id"
    }

    public init(address: Address, remoteID: String?, exists: Bool, fields: [String: String] = [:]) {
        self.kind = address.kind
        self.address = address
        self.remoteID = remoteID
        self.exists = exists
        self.fields = fields
    }

    /// How `now` differs from what the plan saw, one sentence each; empty when the fingerprint holds.
    public func differences(_ now: RemoteFingerprint) -> [String] {
        let what = remoteID.map { "\(address) (id \($0))" } ?? address.description
        if exists != now.exists {
            if exists { return ["\(what) was deleted since the plan"] }
            return ["\(address) was created since the plan (now id \(now.remoteID ?? "?")); the plan would create a second one"]
        }
        var out: [String] = []
        for key in Set(fields.keys).union(now.fields.keys).sorted() where !Self.informational.contains(key) {
            let before = fields[key]
            let after = now.fields[key]
            if before != after { out.append("\(what): " + Self.change(key, from: before, to: after)) }
        }
        if !out.isEmpty, let before = fields["updated_at"], let after = now.fields["updated_at"], before != after {
            out.append("\(what): updated_at moved from \(before) to \(after)")
        }
        return out
    }

    /// Values longer than this are not quoted in a difference: it names what changed instead.
    static let quotedLength = 60

    /// One field's change as a person reads it: both values when they are short; for metadata (`k=v`
    /// pairs), the keys whose values differ; otherwise only that the field changed.
    static func change(_ key: String, from before: String?, to after: String?) -> String {
        func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "nothing" }
        // A caption's or chapter's `mark`: what streamplan recorded of the file it uploaded for it.
        if key == "mark" {
            return "the file uploaded for it changed since the plan (streamplan's mark \(quoted(before)) then, "
                + "\(quoted(after)) now)"
        }
        if (before?.count ?? 0) <= quotedLength, (after?.count ?? 0) <= quotedLength {
            return "\(key) changed from \(quoted(before)) to \(quoted(after))"
        }
        guard key == "metadata" else { return "\(key) changed since the plan" }
        func pairs(_ text: String?) -> [String: String] {
            var pairs: [String: String] = [:]
            for pair in (text ?? "").components(separatedBy: ", ") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                pairs[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return pairs
        }
        let old = pairs(before)
        let new = pairs(after)
        let keys = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
        // streamplan's own marks (`streamplan.…`) are named as such, not key by key.
        let others = keys.filter { !$0.hasPrefix("streamplan.") }
        var parts: [String] = []
        if !others.isEmpty {
            parts.append(
                (others.count == 1 ? "key " : "keys ") + others.prefix(4).joined(separator: ", ")
                    + (others.count > 4 ? " and \(others.count - 4) more" : ""))
        }
        if others.count < keys.count { parts.append("streamplan's own marks, which an apply writes") }
        return "metadata changed since the plan (\(parts.joined(separator: "; ")))"
    }
}
