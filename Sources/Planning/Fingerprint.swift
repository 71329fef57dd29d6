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
            if before != after {
                out.append(
                    "\(what): \(key) changed from \(before.map { "\"\($0)\"" } ?? "nothing") to \(after.map { "\"\($0)\"" } ?? "nothing")"
                )
            }
        }
        if !out.isEmpty, let before = fields["updated_at"], let after = now.fields["updated_at"], before != after {
            out.append("\(what): updated_at moved from \(before) to \(after)")
        }
        return out
    }
}
