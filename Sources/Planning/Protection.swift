/// `protect: true` (docs/design.md, "Moves and protection"): a protected object is never deleted or
/// replaced, even with `--allow-delete`. An object removed from the manifests is no longer described
/// there, so the protection is recorded on the service, in the project's registry: the entry
/// `protect.ADDRESS` holds the object's id (an odd number of dot-separated parts, so no kind reads it
/// as an address). The id is what a delete is checked against; the key follows the object's moves.
public enum Protection {
    public static let keyPrefix = "protect."

    /// The registry key recording that the object at `address` is protected.
    public static func key(_ address: Address) -> String { keyPrefix + address.description }

    /// The protected ids the registry records, with the address each was recorded under.
    public static func recorded(_ registry: RegistryEntries) -> [String: String] {
        var ids: [String: String] = [:]
        for (key, value) in registry.entries where key.hasPrefix(keyPrefix) && !value.isEmpty {
            ids[value] = String(key.dropFirst(keyPrefix.count))
        }
        return ids
    }

    /// Blocks every delete and replace of a protected object, saying why.
    public static func block(_ changes: inout [ResourceChange], _ desired: DesiredState, _ observed: Observation) {
        let recorded = recorded(observed.registry)
        for index in changes.indices where changes[index].isDestructive && changes[index].blocked == nil {
            let change = changes[index]
            let verb = change.action == .replace ? "replaced" : "deleted"
            if desired.protected.contains(change.address) {
                changes[index].blocked =
                    "\(change.address) has protect: true, so it is never \(verb), even with --allow-delete; "
                    + "remove protect: true from the manifests first if this is really wanted"
            } else if let id = change.remoteID, let address = recorded[id] {
                changes[index].blocked =
                    "protected: \(address) had protect: true when it was last applied (recorded on the service), so it is "
                    + "never \(verb), even with --allow-delete; to let it go, put it back in the manifests with "
                    + "protect: false, apply, then remove it"
            }
        }
    }

    /// The changes that bring the registry's protection records in line with the manifests: record
    /// each `protect: true` object, and forget the record of an object the manifests still define
    /// without it. A record whose object left the manifests stays: that is what it is for.
    public static func changes(_ desired: DesiredState, _ observed: Observation) -> [ResourceChange] {
        var result: [ResourceChange] = []
        for address in desired.protected.sorted() {
            let id = MovePlanner.managedID(address, desired.project, observed)
            if let id, observed.registry.entries[key(address)] == id { continue }
            result.append(
                ResourceChange(
                    address: address, action: .protect, remoteID: id,
                    reasons: [
                        "protect: true; recorded on the service (the project's registry) so that it stays protected "
                            + "even once it leaves the manifests"
                    ]))
        }
        let defined = desired.definedAddresses
        for (key, id) in observed.registry.entries.sorted(by: { $0.key < $1.key }) where key.hasPrefix(keyPrefix) {
            guard let address = Address(parsing: String(key.dropFirst(keyPrefix.count))),
                defined.contains(address), !desired.protected.contains(address)
            else { continue }
            result.append(
                ResourceChange(
                    address: address, action: .unprotect, remoteID: id,
                    reasons: ["protect: true was removed from the manifests; deletes and replaces are allowed again"]))
        }
        return result
    }
}
