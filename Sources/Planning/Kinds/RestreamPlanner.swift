import Foundation
import Providers

/// Restream (multicast) destinations of live stream keys, owned through the registry, which records
/// each address's URL hash (the service gives a destination no id: it is its URL).
///
/// Not on the key → create (a URL already on the key but not recorded, left by an interrupted apply
/// or added by hand, is simply recorded: it is exactly what the manifests want); the URL changed
/// (a new stream key) → replace (add the new one, then remove the old one); recorded but no longer in
/// the manifests → delete. Destinations the registry does not name are never read into a plan,
/// changed or deleted. Removing a destination rewrites the key's list (the API deletes them all at
/// once), which would interrupt the others during a broadcast: blocked then, unless `--force-live`.
public struct RestreamPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .restream }
    public var desiredType: any DesiredObject.Type { DesiredRestream.self }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for key in desired.liveKeys.sorted(by: { $0.address < $1.address }) {
            let wanted = desired.restreams.filter { $0.address.parent == key.address }.sorted { $0.address < $1.address }
            guard let keyID = registry.id(key.address), let observedKey = observed.liveKeys[keyID] else {
                // The key is created by this plan (or imported): so are its destinations.
                entries += wanted.map { .change(Self.create($0, parentID: nil, reasons: [])) }
                continue
            }
            let have = observedKey.restreams ?? []
            let present = Set(have.map(\.urlHash))
            let masked = Dictionary(have.map { ($0.urlHash, $0.maskedURL) }, uniquingKeysWith: { a, _ in a })
            for want in wanted {
                let recorded = registry.id(want.address)
                if recorded == want.urlHash && present.contains(want.urlHash) {
                    entries.append(.unchanged(want.address))
                    continue
                }
                if let old = recorded, old != want.urlHash, present.contains(old) {
                    let before = masked[old] ?? "***"
                    let after = want.maskedURL
                    entries.append(
                        .change(
                            ResourceChange(
                                address: want.address, action: .replace, remoteID: old,
                                reasons: ["a destination is its url on \(options.serviceName): a new url is a new destination"],
                                attributes: [
                                    AttributeChange(
                                        name: "url", before: before,
                                        after: before == after ? "\(after) (stream key changed)" : after)
                                ],
                                blocked: LiveKeyPlanner.blocked(
                                    observedKey.isBroadcasting, options, what: "the key's restream destinations"),
                                parentID: keyID, replaceOrder: .createThenDelete, desired: .restream(want))))
                    continue
                }
                var reasons: [String] = []
                if present.contains(want.urlHash) {
                    reasons.append("the key already restreams to this url, but the registry does not record it: it is recorded")
                } else if recorded != nil {
                    reasons.append("its destination no longer exists on \(options.serviceName)")
                }
                entries.append(.change(Self.create(want, parentID: keyID, reasons: reasons)))
            }
            let names = Set(wanted.map(\.address))
            for address in registry.addresses(of: .restream, under: key.address) where !names.contains(address) {
                guard let hash = registry.id(address) else { continue }
                guard present.contains(hash) else {
                    entries.append(.change(.forgetEntry(address, id: hash, parentID: keyID)))
                    continue
                }
                entries.append(
                    .change(
                        ResourceChange(
                            address: address, action: .delete, remoteID: hash, reasons: ["it is no longer in the manifests"],
                            attributes: [AttributeChange(name: "url", before: masked[hash] ?? "***", after: nil)],
                            blocked: LiveKeyPlanner.blocked(
                                observedKey.isBroadcasting, options, what: "the key's restream destinations"),
                            parentID: keyID)))
            }
        }
        return entries
    }

    static func create(_ want: DesiredRestream, parentID: String?, reasons: [String]) -> ResourceChange {
        ResourceChange(
            address: want.address, action: .create, reasons: reasons,
            attributes: [AttributeChange(name: "url", before: nil, after: want.maskedURL)], parentID: parentID,
            desired: .restream(want))
    }

    /// `registry_entry`, `key_id` (the key's registered id), and `destinations`: the sorted hashes of
    /// the key's destinations (a delete or replace rewrites the key's whole list). Never a URL.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        let registry = observed.registry
        var fields: [String: String] = [:]
        if let entry = registry.entry(change.address) { fields["registry_entry"] = entry }
        let key = change.address.parent.flatMap { registry.id($0) }.flatMap { observed.liveKeys[$0] }
        guard let key else {
            return RemoteFingerprint(address: change.address, remoteID: change.remoteID, exists: false, fields: fields)
        }
        fields["key_id"] = key.id
        let hashes = (key.restreams ?? []).map(\.urlHash)
        if change.action == .delete || change.action == .replace {
            fields["destinations"] = hashes.sorted().joined(separator: ",")
        }
        let id = change.remoteID ?? change.desired?.restream?.urlHash
        let exists = id.map(hashes.contains) ?? false
        return RemoteFingerprint(address: change.address, remoteID: change.remoteID, exists: exists, fields: fields)
    }
}
