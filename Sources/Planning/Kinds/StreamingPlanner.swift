import Foundation
import Providers

/// Streamings under a live stream key, owned through the registry like keys.
///
/// `qualities` are fixed when a streaming is created, so a change is a replace (create, then delete
/// the old one once the new one is proven: issue 26); `title`/`save` differ → update, but only of
/// the newest streaming (an older one is replaced); left the manifests → delete. Deleting or
/// replacing one that is broadcasting is blocked unless `--force-live`.
public struct StreamingPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .streaming }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for key in desired.liveKeys.sorted(by: { $0.address < $1.address }) {
            let wanted = desired.streamings.filter { $0.address.parent == key.address }.sorted { $0.address < $1.address }
            guard let keyID = registry.id(key.address), let have = observed.liveKeys[keyID] else {
                // The key is created by this plan: so are its streamings.
                entries += wanted.map { .change(Self.create($0, parentID: nil)) }
                continue
            }
            entries += changes(wanted, under: have, registry: registry, options: options)
            // Streamings of a managed key titled like a managed one that the registry does not claim.
            let titles = Set(wanted.map(\.title))
            let claimed = registry.claimedIDs
            for orphan in have.streamings where !claimed.contains(orphan.id) && titles.contains(orphan.title) {
                guard let owner = wanted.first(where: { $0.title == orphan.title }) else { continue }
                // A create in flight (pending) with exactly one candidate adopts it (RegisteredCreate).
                if let pending = registry.pendingSince(owner.address) {
                    let since = Date(timeIntervalSince1970: TimeInterval(pending) - LiveKeyPlanner.adoptionSlack)
                    let recent = have.streamings.filter {
                        !claimed.contains($0.id) && $0.title == owner.title
                            && ($0.createdAt.flatMap(Timestamps.date) ?? .distantPast) >= since
                    }
                    if recent.count == 1 && recent[0].id == orphan.id { continue }
                }
                entries.append(
                    .change(
                        ResourceChange(
                            address: owner.address, action: .delete, remoteID: orphan.id,
                            reasons: [LiveKeyPlanner.untrackedReason],
                            attributes: [AttributeChange(name: "title", before: orphan.title, after: nil)],
                            blocked: LiveKeyPlanner.blocked(orphan.isBroadcasting, options, what: "the streaming"),
                            parentID: keyID,
                            untracked: true)))
            }
            let names = Set(wanted.map(\.address))
            let byID = Dictionary(have.streamings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for address in registry.addresses(of: .streaming, under: key.address) where !names.contains(address) {
                guard let id = registry.id(address) else { continue }
                guard let gone = byID[id] else {
                    entries.append(.change(.forgetEntry(address, id: id, parentID: keyID)))
                    continue
                }
                entries.append(
                    .change(
                        ResourceChange(
                            address: address, action: .delete, remoteID: id, reasons: ["it is no longer in the manifests"],
                            attributes: [AttributeChange(name: "title", before: gone.title, after: nil)],
                            blocked: LiveKeyPlanner.blocked(gone.isBroadcasting, options, what: "the streaming"), parentID: keyID)
                    ))
            }
        }
        return entries
    }

    func changes(_ wanted: [DesiredStreaming], under key: ObservedLiveKey, registry: RegistryEntries, options: PlanOptions)
        -> [PlanEntry]
    {
        var entries: [PlanEntry] = []
        let byID = Dictionary(key.streamings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for want in wanted {
            guard let id = registry.id(want.address), let have = byID[id] else {
                var change = Self.create(want, parentID: key.id)
                if let lost = registry.id(want.address) {
                    change.reasons = ["its streaming \(lost) no longer exists on \(options.serviceName)"]
                }
                entries.append(.change(change))
                continue
            }
            var reasons: [String] = []
            var attributes: [AttributeChange] = []
            // Omitted qualities mean the server's defaults, which are not known here: never a replace.
            if !want.qualities.isEmpty && !Self.sameQualities(have.qualities, want.qualities) {
                reasons.append("qualities are fixed when a streaming is created")
                attributes.append(
                    AttributeChange(name: "qualities", before: Self.list(have.qualities), after: Self.list(want.qualities)))
            }
            var changes = FieldChanges()
            changes.compare(.title, have.title, want.title)
            changes.compare(.save, String(have.save), String(want.save))
            let fields = changes.fields
            let fieldAttributes = changes.attributes
            attributes += fieldAttributes
            if reasons.isEmpty && fields.isEmpty {
                entries.append(.unchanged(want.address))
                continue
            }
            if reasons.isEmpty && key.latestStreamingID != id {
                reasons.append("\(options.serviceName) updates only a key's newest streaming, and this one is not the newest")
            }
            if reasons.isEmpty {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .update, remoteID: id,
                            attributes: fieldAttributes, fields: fields, parentID: key.id,
                            desired: .streaming(want))))
            } else {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .replace, remoteID: id, reasons: reasons, attributes: attributes,
                            blocked: LiveKeyPlanner.blocked(have.isBroadcasting, options, what: "the streaming"),
                            parentID: key.id,
                            replaceOrder: .createThenDelete, desired: .streaming(want))))
            }
        }
        return entries
    }

    static func create(_ want: DesiredStreaming, parentID: String?) -> ResourceChange {
        ResourceChange(
            address: want.address, action: .create,
            attributes: [
                AttributeChange(name: "title", before: nil, after: want.title),
                AttributeChange(name: "save", before: nil, after: String(want.save)),
                AttributeChange(
                    name: "qualities", before: nil,
                    after: want.qualities.isEmpty ? "server defaults" : list(want.qualities)),
            ],
            parentID: parentID, desired: .streaming(want))
    }

    static func list(_ qualities: [String]) -> String { "[" + qualities.joined(separator: ", ") + "]" }

    /// Resolutions compared as a set: the service may return them in another order.
    static func sameQualities(_ a: [String], _ b: [String]) -> Bool { Set(a) == Set(b) && a.count == b.count }

    /// A streaming holds `registry_entry`, `key_id` (its key's registered id, when the key exists),
    /// `title`, `save`, `qualities` (as a set); a delete or replace also `status` (broadcasting or
    /// not); an update also `newest` (the service updates only the newest). A create holds while the
    /// registry names no existing streaming for the address.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        let registry = observed.registry
        var fields: [String: String] = [:]
        if let entry = registry.entry(change.address) { fields["registry_entry"] = entry }
        let registeredKey = change.address.parent.flatMap { registry.id($0) }.flatMap { observed.liveKeys[$0] }
        if let key = registeredKey { fields["key_id"] = key.id }
        guard change.action != .create, let id = change.remoteID else {
            if let id = registry.id(change.address), let key = registeredKey, key.streamings.contains(where: { $0.id == id }) {
                return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
            }
            return RemoteFingerprint(address: change.address, remoteID: nil, exists: false, fields: fields)
        }
        let parent = change.parentID.flatMap { observed.liveKeys[$0] } ?? registeredKey
        guard let parent, let streaming = parent.streamings.first(where: { $0.id == id }) else {
            return RemoteFingerprint(address: change.address, remoteID: id, exists: false, fields: fields)
        }
        fields["title"] = streaming.title
        fields["save"] = String(streaming.save)
        fields["qualities"] = streaming.qualities.sorted().joined(separator: ", ")
        if change.action == .delete || change.action == .replace { fields["status"] = streaming.state.rawValue }
        if change.action == .update { fields["newest"] = String(parent.latestStreamingID == id) }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
