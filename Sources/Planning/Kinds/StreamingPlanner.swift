import Foundation
import Providers

/// Streamings under a live stream key, owned through the registry like keys.
///
/// `title`/`save` differ → update in place (the update names the streaming: `stream_id`); `qualities`
/// differ → update in place while the streaming is live, since the service changes them only then
/// (docs/aioz-api.md [inferred]), otherwise a replace (create, then delete the old one once the new
/// one is proven: issue 26), with that reason; left the manifests → delete. Deleting or replacing one
/// that is broadcasting is blocked unless `--force-live`.
public struct StreamingPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .streaming }
    public var desiredType: any DesiredObject.Type { DesiredStreaming.self }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for key in desired.liveKeys.sorted(by: { $0.address < $1.address }) {
            let wanted = desired.streamings.filter { $0.address.parent == key.address }.sorted { $0.address < $1.address }
            guard let keyID = registry.id(key.address), let have = observed.liveKeys[keyID] else {
                // A key this plan imports: its streamings may be imported with it.
                if let imported = desired.imports[key.address], let have = observed.liveKeys[imported],
                    registry.address(of: imported) == nil
                {
                    entries += wanted.map { want in
                        guard let id = desired.imports[want.address] else { return .change(Self.create(want, parentID: nil)) }
                        return .change(Self.importChange(want, id: id, under: have, registry: registry, options))
                    }
                    continue
                }
                // The key is created by this plan: so are its streamings.
                entries += wanted.map { want in
                    var change = Self.create(want, parentID: nil)
                    if desired.imports[want.address] != nil {
                        change.action = .import
                        change.blocked =
                            "its key \(key.address) is not managed yet (this plan creates it): a streaming is imported "
                            + "only under a managed or imported key; import the key too, or remove the import block"
                    }
                    return .change(change)
                }
                continue
            }
            entries += changes(wanted, under: have, registry: registry, imports: desired.imports, options: options)
            // Streamings of a managed key titled like a managed one that the registry does not claim
            // (and that no import block adopts).
            let titles = Set(wanted.map(\.title))
            let claimed = registry.claimedIDs.union(desired.imports.values)
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

    func changes(
        _ wanted: [DesiredStreaming], under key: ObservedLiveKey, registry: RegistryEntries, imports: [Address: String],
        options: PlanOptions
    ) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let byID = Dictionary(key.streamings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for want in wanted {
            guard let id = registry.id(want.address), let have = byID[id] else {
                if let imported = imports[want.address] {
                    entries.append(.change(Self.importChange(want, id: imported, under: key, registry: registry, options)))
                    continue
                }
                var change = Self.create(want, parentID: key.id)
                if let lost = registry.id(want.address) {
                    change.reasons = ["its streaming \(lost) no longer exists on \(options.serviceName)"]
                }
                entries.append(.change(change))
                continue
            }
            var reasons: [String] = []
            var attributes: [AttributeChange] = []
            var changes = FieldChanges()
            // Omitted qualities mean the server's defaults, which are not known here: never a change.
            if !want.qualities.isEmpty && !Self.sameQualities(have.qualities, want.qualities) {
                if have.isBroadcasting {
                    changes.record(.qualities, before: Self.list(have.qualities), after: Self.list(want.qualities))
                } else {
                    reasons.append(Self.notLiveReason(have, options))
                    attributes.append(
                        AttributeChange(name: "qualities", before: Self.list(have.qualities), after: Self.list(want.qualities)))
                }
            }
            changes.compare(.title, have.title, want.title)
            changes.compare(.save, String(have.save), String(want.save))
            let fields = changes.fields
            let fieldAttributes = changes.attributes
            attributes += fieldAttributes
            if reasons.isEmpty && fields.isEmpty {
                entries.append(.unchanged(want.address))
                continue
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

    /// Why a qualities change of `have` is a replace: the service changes qualities in place only
    /// while the streaming is live.
    static func notLiveReason(_ have: RemoteStreaming, _ options: PlanOptions) -> String {
        "\(options.serviceName) changes a streaming's qualities in place only while it is live streaming, and this one is "
            + "not (status \(have.state.rawValue)); a new streaming is made (new id and URLs), then the old one deleted"
    }

    /// Adopting streaming `id` of `key` (an `import:` block) as `want`: recorded in the registry,
    /// its title and save flag updated in place when they differ. Blocked when the key has no such
    /// streaming, when it is managed already, and when its qualities differ (an import never replaces).
    static func importChange(
        _ want: DesiredStreaming, id: String, under key: ObservedLiveKey, registry: RegistryEntries, _ options: PlanOptions
    ) -> ResourceChange {
        var change = ResourceChange(
            address: want.address, action: .import, remoteID: id, parentID: key.id, desired: .streaming(want))
        if let managed = ImportRules.alreadyRegistered(id: id, registry) {
            change.blocked = managed
            return change
        }
        guard let have = key.streamings.first(where: { $0.id == id }) else {
            let parent = want.address.parent.map(\.description) ?? "its key"
            change.blocked =
                "no streaming with id \(id) under \(parent) (key \(key.id)) on \(options.serviceName); "
                + "check the id in the import block (a key's streamings are listed by `streamplan show \(parent)`)"
            return change
        }
        change.reasons = [ImportRules.registryReason(id: id)]
        if !want.qualities.isEmpty && !sameQualities(have.qualities, want.qualities) {
            change.blocked =
                "its qualities are \(list(have.qualities)), the manifests' \(list(want.qualities)), and a streaming's "
                + "qualities are never changed by an import; write qualities: \(list(have.qualities)) or remove the import block"
            return change
        }
        var changes = FieldChanges()
        changes.compare(.title, have.title, want.title)
        changes.compare(.save, String(have.save), String(want.save))
        change.fields = changes.fields
        change.attributes = changes.attributes
        return change
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
    /// not); an update of its qualities also `status` (they change in place only while it is live).
    /// A create holds while the registry names no existing streaming for the address.
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
        if change.action == .delete || change.action == .replace || change.fields.contains(.qualities) {
            fields["status"] = streaming.state.rawValue
        }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
