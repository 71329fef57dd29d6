import Manifest
import Providers

/// Webhooks: owned through the project's registry (webhooks carry no metadata).
///
/// Not registered (or its id is gone) → create; `name`, `url` or `events` differ → update (a PATCH
/// of the changed fields); registered but no longer in the manifests → delete. A webhook the registry
/// does not name is never read, changed or deleted. URLs are shown masked; a change of a credential
/// only is still a change, shown as `(credentials changed)`.
public struct WebhookPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .webhook }
    public var desiredType: any DesiredObject.Type { DesiredWebhook.self }

    /// The events as plans show them.
    static func eventList(_ events: [WebhookEvent]) -> String {
        events.sorted().map(\.rawValue).joined(separator: ", ")
    }

    /// The field changes between what the service has and what the manifests want.
    static func fieldChanges(_ have: RemoteWebhook, _ want: DesiredWebhook) -> FieldChanges {
        var changes = FieldChanges()
        changes.compare(.name, have.name, want.name)
        if have.url != want.url {
            let before = WebhookURL.masked(have.url)
            let after = want.maskedURL
            changes.record(.url, before: before, after: before == after ? "\(after) (credentials changed)" : after)
        }
        changes.compare(.events, eventList(have.events), eventList(want.events))
        return changes
    }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for want in desired.webhooks.sorted(by: { $0.address < $1.address }) {
            guard let id = registry.id(want.address), let have = observed.webhooks[id] else {
                if let imported = desired.imports[want.address] {
                    entries.append(.change(Self.importChange(want, id: imported, observed, options)))
                    continue
                }
                var reasons: [String] = []
                if let lost = registry.id(want.address) {
                    reasons.append("its webhook \(lost) no longer exists on \(options.serviceName)")
                } else if registry.pendingSince(want.address) != nil {
                    reasons.append("an earlier apply started creating it but never recorded the webhook")
                }
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .create, reasons: reasons,
                            attributes: [
                                AttributeChange(name: "name", before: nil, after: want.name),
                                AttributeChange(name: "url", before: nil, after: want.maskedURL),
                                AttributeChange(name: "events", before: nil, after: Self.eventList(want.events)),
                            ],
                            desired: .webhook(want))))
                continue
            }
            let changes = Self.fieldChanges(have, want)
            if changes.isEmpty {
                entries.append(.unchanged(want.address))
            } else {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .update, remoteID: id, attributes: changes.attributes,
                            fields: changes.fields, desired: .webhook(want))))
            }
        }
        let wanted = Set(desired.webhooks.map(\.address))
        for address in registry.addresses(of: .webhook) where !wanted.contains(address) {
            guard let id = registry.id(address) else { continue }
            guard let have = observed.webhooks[id] else {
                entries.append(.change(.forgetEntry(address, id: id)))
                continue
            }
            entries.append(
                .change(
                    ResourceChange(
                        address: address, action: .delete, remoteID: id, reasons: ["it is no longer in the manifests"],
                        attributes: [
                            AttributeChange(name: "name", before: have.name, after: nil),
                            AttributeChange(name: "url", before: WebhookURL.masked(have.url), after: nil),
                        ])))
        }
        return entries
    }

    /// Adopting webhook `id` (an `import:` block) as `want`: recorded in the registry, with the
    /// fields that differ patched; blocked when it does not exist or is managed already.
    static func importChange(_ want: DesiredWebhook, id: String, _ observed: Observation, _ options: PlanOptions)
        -> ResourceChange
    {
        var change = ResourceChange(address: want.address, action: .import, remoteID: id, desired: .webhook(want))
        if let managed = ImportRules.alreadyRegistered(id: id, observed.registry) {
            change.blocked = managed
            return change
        }
        guard let have = observed.webhooks[id] else {
            change.blocked = ImportRules.notFound(.webhook, id: id, observed, options)
            return change
        }
        let changes = fieldChanges(have, want)
        change.fields = changes.fields
        change.attributes = changes.attributes
        change.reasons = [ImportRules.registryReason(id: id)]
        return change
    }

    /// `registry_entry` (what the registry records for the address), and of an existing webhook its
    /// `name`, `events` and `url_sha256` (a hash: a URL may carry a credential).
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        let registry = observed.registry
        var fields: [String: String] = [:]
        if let entry = registry.entry(change.address) { fields["registry_entry"] = entry }
        let id = change.action == .create ? registry.id(change.address) : change.remoteID
        guard let id, let hook = observed.webhooks[id] else {
            return RemoteFingerprint(
                address: change.address, remoteID: change.action == .create ? nil : id, exists: false, fields: fields)
        }
        if change.action != .create {
            fields["name"] = hook.name
            fields["events"] = Self.eventList(hook.events)
            fields["url_sha256"] = DesiredWebhook.urlHash(hook.url)
        }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
