import Foundation
import Providers

/// Live stream keys: owned through the project's registry (keys carry no metadata).
///
/// Not registered (or its id is gone) → create (then its thumbnail); `name`/`save`/the thumbnail
/// differ → update (the stream key is kept); registered but no longer in the manifests → delete,
/// blocked while broadcasting unless `--force-live`. A key is never replaced: a different `type`
/// (fixed at creation) is a replace shown blocked, with what to do (LiveKeyThumbnail.swift).
public struct LiveKeyPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .liveStream }
    public var desiredType: any DesiredObject.Type { DesiredLiveKey.self }

    /// The sentence every plan that ends a key's life carries.
    public static func keyStopsWorking(_ address: Address) -> String {
        "the stream key of \(address) will stop working; every encoder using it must be reconfigured"
    }

    /// Why a delete or replace of something broadcasting is not performed (nil: it is).
    static func blocked(_ broadcasting: Bool, _ options: PlanOptions, what: String) -> String? {
        guard broadcasting, !options.forceLive else { return nil }
        return "\(what) is broadcasting now (a streaming is in status `streaming`); run with --force-live to do it anyway"
    }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for want in desired.liveKeys.sorted(by: { $0.address < $1.address }) {
            guard let id = registry.id(want.address), let have = observed.liveKeys[id] else {
                if let imported = desired.imports[want.address] {
                    entries.append(.change(Self.importChange(want, id: imported, observed, options)))
                    continue
                }
                var reasons: [String] = []
                var attributes = [
                    AttributeChange(name: "name", before: nil, after: want.name),
                    AttributeChange(name: "save", before: nil, after: String(want.save)),
                ]
                if let type = want.type { attributes.append(AttributeChange(name: "type", before: nil, after: type)) }
                if let image = want.thumbnail {
                    attributes.append(AttributeChange(name: "thumbnail", before: nil, after: Self.describe(image)))
                }
                if let lost = registry.id(want.address) {
                    reasons.append("its key \(lost) no longer exists on \(options.serviceName)")
                } else if registry.pendingSince(want.address) != nil {
                    reasons.append("an earlier apply started creating it but never recorded the key")
                }
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .create, reasons: reasons, attributes: attributes,
                            thumbnail: want.thumbnail == nil ? nil : .set, desired: .liveKey(want))))
                entries += untracked(want, observed, options)
                continue
            }
            if let typeChange = Self.typeChange(want, have, options) {
                entries.append(.change(typeChange))
                entries += untracked(want, observed, options)
                continue
            }
            var changes = FieldChanges()
            changes.compare(.name, have.name, want.name)
            changes.compare(.save, String(have.save), String(want.save))
            var fields = changes.fields
            var attributes = changes.attributes
            let thumbnail = Self.thumbnailChange(want, registry)
            if let (_, shown) = thumbnail {
                fields.insert(.thumbnail)
                attributes.append(shown)
            }
            if fields.isEmpty {
                entries.append(.unchanged(want.address))
            } else {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .update, remoteID: id,
                            attributes: attributes, fields: fields, thumbnail: thumbnail?.0,
                            desired: .liveKey(want))))
            }
            entries += untracked(want, observed, options)
        }
        let wanted = Set(desired.liveKeys.map(\.address))
        for address in registry.addresses(of: .liveStream) where !wanted.contains(address) {
            guard let id = registry.id(address) else { continue }
            guard let have = observed.liveKeys[id] else {
                entries.append(.change(.forgetEntry(address, id: id)))
                continue
            }
            var attributes = [AttributeChange(name: "name", before: have.name, after: nil)]
            if !have.streamings.isEmpty {
                attributes.append(
                    AttributeChange(
                        name: "streamings", before: "\(have.streamings.count), deleted with the key",
                        after: nil))
            }
            entries.append(
                .change(
                    ResourceChange(
                        address: address, action: .delete, remoteID: id,
                        reasons: ["it is no longer in the manifests", Self.keyStopsWorking(address)],
                        attributes: attributes, blocked: Self.blocked(have.isBroadcasting, options, what: "the key"))))
        }
        return entries
    }

    /// Adopting key `id` (an `import:` block) as `want`: recorded in the registry, renamed or
    /// re-flagged when the manifests differ; blocked when it does not exist or is managed already.
    static func importChange(_ want: DesiredLiveKey, id: String, _ observed: Observation, _ options: PlanOptions)
        -> ResourceChange
    {
        var change = ResourceChange(address: want.address, action: .import, remoteID: id, desired: .liveKey(want))
        let registry = observed.registry
        if let owner = registry.addresses(of: .liveStream).first(where: { registry.id($0) == id }) {
            change.blocked = "it is already managed as \(owner); remove the import block"
            return change
        }
        guard let have = observed.liveKeys[id] else {
            change.blocked = ImportRules.notFound(.liveStream, id: id, observed, options)
            return change
        }
        var changes = FieldChanges()
        changes.compare(.name, have.name, want.name)
        changes.compare(.save, String(have.save), String(want.save))
        change.attributes = changes.attributes
        change.fields = changes.fields
        if let (thumbnail, shown) = thumbnailChange(want, registry) {
            change.fields.insert(.thumbnail)
            change.attributes.append(shown)
            change.thumbnail = thumbnail
        }
        if let typeChange = typeChange(want, have, options) {
            change.blocked =
                "its type is \(have.key.type ?? DesiredLiveKey.defaultType), the manifests' \(want.type ?? ""), and a key's type "
                + "is fixed when it is created; write type: \(have.key.type ?? DesiredLiveKey.defaultType) or remove the import block"
            change.attributes += typeChange.attributes
        }
        change.reasons = [
            "made outside streamplan (id \(id)); apply records it in the project's registry, keeping its stream key"
        ]
        return change
    }

    /// How long around the managed key's creation (or before a pending mark) a key of the same name
    /// counts as left by an interrupted or concurrent apply of streamplan, not made by hand.
    public static let untrackedWindow: TimeInterval = 600

    /// How far before a pending mark an adopted create may appear (clock skew); as RegisteredCreate.
    public static let adoptionSlack: TimeInterval = 300

    /// Whether `createdAt` lies within `window` seconds of `reference`.
    static func created(_ createdAt: String?, within window: TimeInterval, of reference: Date) -> Bool {
        guard let made = createdAt.flatMap(Timestamps.date) else { return false }
        return abs(made.timeIntervalSince(reference)) <= window
    }

    /// The sentence every untracked object's delete carries.
    public static let untrackedReason =
        "untracked, possibly left by an interrupted or concurrent apply (the registry does not claim it); "
        + "`streamplan apply --allow-delete` deletes it"

    /// Keys that carry a desired key's name, that the registry does not claim, and that appeared
    /// within `untrackedWindow` of the managed key (or since its pending mark): shown as deletes, so
    /// nothing with a working stream key stays invisible. Older same-named keys are someone else's.
    func untracked(_ want: DesiredLiveKey, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        let registry = observed.registry
        let claimed = registry.claimedIDs
        var entries: [PlanEntry] = []
        let candidates = observed.liveKeys.values.filter { !claimed.contains($0.id) && $0.name == want.name }
        let managed = registry.id(want.address).flatMap { observed.liveKeys[$0] }
        let orphans: [ObservedLiveKey]
        if let made = managed?.key.createdAt.flatMap(Timestamps.date) {
            orphans = candidates.filter { Self.created($0.key.createdAt, within: Self.untrackedWindow, of: made) }
        } else if let pending = registry.pendingSince(want.address) {
            // Exactly one is adopted by the next create (RegisteredCreate); more cannot be told apart.
            let since = Date(timeIntervalSince1970: TimeInterval(pending) - Self.adoptionSlack)
            let recent = candidates.filter { ($0.key.createdAt.flatMap(Timestamps.date) ?? .distantPast) >= since }
            orphans = recent.count == 1 ? [] : recent
        } else {
            orphans = []
        }
        for orphan in orphans.sorted(by: { $0.id < $1.id }) {
            entries.append(
                .change(
                    ResourceChange(
                        address: want.address, action: .delete, remoteID: orphan.id, reasons: [Self.untrackedReason],
                        attributes: [AttributeChange(name: "name", before: orphan.name, after: nil)],
                        blocked: Self.blocked(orphan.isBroadcasting, options, what: "the key"), untracked: true)))
        }
        return entries
    }

    /// Every live fingerprint holds `registry_entry`, what the registry records for the address (an
    /// id, `pending:<time>`, or nothing). A key holds `name` and `save`; a delete also `broadcasting`
    /// and `streamings` (the ids deleted with it). A create holds while the registry names no
    /// existing key for the address. No secrets: observed keys carry none.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        let registry = observed.registry
        var fields: [String: String] = [:]
        if let entry = registry.entry(change.address) { fields["registry_entry"] = entry }
        if let entry = registry.entry(DesiredLiveKey.thumbnailEntry(change.address)) { fields["thumbnail_entry"] = entry }
        guard change.action != .create, let id = change.remoteID else {
            if let id = registry.id(change.address), observed.liveKeys[id] != nil {
                return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
            }
            return RemoteFingerprint(address: change.address, remoteID: nil, exists: false, fields: fields)
        }
        guard let key = observed.liveKeys[id] else {
            return RemoteFingerprint(address: change.address, remoteID: id, exists: false, fields: fields)
        }
        fields["name"] = key.name
        fields["save"] = String(key.save)
        if change.desired?.liveKey?.type != nil { fields["type"] = key.key.type ?? DesiredLiveKey.defaultType }
        if change.action == .delete {
            fields["broadcasting"] = String(key.isBroadcasting)
            fields["streamings"] = key.streamings.map(\.id).sorted().joined(separator: ", ")
        }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
