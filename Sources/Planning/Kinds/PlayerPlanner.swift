import Foundation
import Providers

/// Player themes: owned through the project's registry (players carry no metadata).
///
/// Not registered (or its id is gone) → create (then its logo); the name, a theme or control field
/// the manifests write, or the logo differ → update (PATCH of what changed, shown field by field);
/// registered but no longer in the manifests → delete. The logo's hash is kept in the registry entry
/// `player.NAME.logo`: a logo is uploaded when the image's hash (or its link) changes, and removed
/// when the manifests drop it, only if streamplan uploaded it. `default:` (when written) makes it the
/// account's default player theme or not; the plan names the player that stops being the default.
/// Nothing is fixed at creation: a player is never replaced.
public struct PlayerPlanner: KindPlanner {
    public init() {}

    public var kind: ResourceKind { .player }
    public var desiredType: any DesiredObject.Type { DesiredPlayer.self }

    public func plan(_ desired: DesiredState, _ observed: Observation, _ options: PlanOptions) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        let registry = observed.registry
        for want in desired.players.sorted(by: { $0.address < $1.address }) {
            guard let id = registry.id(want.address), let have = observed.players[id] else {
                if let imported = desired.imports[want.address] {
                    entries.append(.change(Self.importChange(want, id: imported, observed, options)))
                    continue
                }
                var reasons: [String] = []
                if let lost = registry.id(want.address) {
                    reasons.append("its player theme \(lost) no longer exists on \(options.serviceName)")
                } else if registry.pendingSince(want.address) != nil {
                    reasons.append("an earlier apply started creating it but never recorded the player theme")
                }
                var attributes = [AttributeChange(name: "name", before: nil, after: want.name)]
                for key in want.theme.keys.sorted() {
                    attributes.append(AttributeChange(name: "theme.\(key)", before: nil, after: want.theme[key]))
                }
                for key in want.controls.keys.sorted() {
                    attributes.append(
                        AttributeChange(name: "controls.\(key)", before: nil, after: want.controls[key].map { String($0) }))
                }
                if let logo = want.logo {
                    attributes.append(AttributeChange(name: "logo", before: nil, after: Self.describe(logo)))
                    attributes.append(AttributeChange(name: "logo.link", before: nil, after: logo.link))
                }
                if let isDefault = want.isDefault {
                    attributes.append(AttributeChange(name: "default", before: nil, after: String(isDefault)))
                }
                let previous = Self.previousDefault(want, id: nil, observed)
                reasons += previous.reasons
                attributes += previous.attributes
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .create, reasons: reasons, attributes: attributes,
                            desired: .player(want))))
                continue
            }
            let (fields, changed) = Self.differences(want, have, registry: registry)
            let previous = Self.previousDefault(want, id: id, observed)
            let attributes = changed + previous.attributes
            if fields.isEmpty {
                entries.append(.unchanged(want.address))
            } else {
                entries.append(
                    .change(
                        ResourceChange(
                            address: want.address, action: .update, remoteID: id,
                            reasons: previous.reasons, attributes: attributes, fields: fields,
                            desired: .player(want))))
            }
        }
        let wanted = Set(desired.players.map(\.address))
        for address in registry.addresses(of: .player) where !wanted.contains(address) {
            guard let id = registry.id(address) else { continue }
            guard let have = observed.players[id] else {
                entries.append(.change(.forgetEntry(address, id: id)))
                continue
            }
            entries.append(
                .change(
                    ResourceChange(
                        address: address, action: .delete, remoteID: id, reasons: ["it is no longer in the manifests"],
                        attributes: [AttributeChange(name: "name", before: have.name, after: nil)])))
        }
        return entries
    }

    /// Adopting player theme `id` (an `import:` block) as `want`: recorded in the registry, with the
    /// fields the manifests write patched when they differ; blocked when it does not exist or is
    /// managed already. Its logo is uploaded when the manifests give one (the service keeps no hash
    /// of the image, so it cannot be compared).
    static func importChange(_ want: DesiredPlayer, id: String, _ observed: Observation, _ options: PlanOptions)
        -> ResourceChange
    {
        var change = ResourceChange(address: want.address, action: .import, remoteID: id, desired: .player(want))
        if let managed = ImportRules.alreadyRegistered(id: id, observed.registry) {
            change.blocked = managed
            return change
        }
        guard let have = observed.players[id] else {
            change.blocked = ImportRules.notFound(.player, id: id, observed, options)
            return change
        }
        (change.fields, change.attributes) = differences(want, have, registry: observed.registry)
        change.reasons = [ImportRules.registryReason(id: id)]
        if change.fields.contains(.isDefault) {
            let previous = previousDefault(want, id: id, observed)
            change.reasons += previous.reasons
            change.attributes += previous.attributes
        }
        return change
    }

    /// What an update writes: the name, the theme and controls fields the manifests write (a field
    /// left out is not managed), and the logo.
    static func differences(_ want: DesiredPlayer, _ have: RemotePlayer, registry: RegistryEntries)
        -> (Set<ChangedField>, [AttributeChange])
    {
        var fields = Set<ChangedField>()
        var attributes: [AttributeChange] = []
        if have.name != want.name {
            fields.insert(.name)
            attributes.append(AttributeChange(name: "name", before: have.name, after: want.name))
        }
        for key in want.theme.keys.sorted() where (have.theme[key] ?? "") != want.theme[key] {
            fields.insert(.theme)
            attributes.append(
                AttributeChange(name: "theme.\(key)", before: Self.shown(have.theme[key]), after: want.theme[key]))
        }
        for key in want.controls.keys.sorted() where have.controls[key] != want.controls[key] {
            fields.insert(.controls)
            attributes.append(
                AttributeChange(
                    name: "controls.\(key)", before: have.controls[key].map { String($0) } ?? "(none)",
                    after: want.controls[key].map { String($0) }))
        }
        if let isDefault = want.isDefault, isDefault != have.isDefault {
            fields.insert(.isDefault)
            attributes.append(AttributeChange(name: "default", before: String(have.isDefault), after: String(isDefault)))
        }
        let recorded = registry.entry(DesiredPlayer.logoEntry(want.address))
        let recordedHash = recorded.flatMap { $0.hasPrefix("sha256:") ? String($0.dropFirst(7)) : nil }
        let before =
            recordedHash.map { "sha256 \($0.prefix(12))" } ?? (have.hasLogo ? "a logo not uploaded by streamplan" : "(none)")
        if let logo = want.logo {
            let sameImage = recordedHash != nil && recordedHash == logo.image.sha256 && have.hasLogo
            if !sameImage {
                fields.insert(.logo)
                attributes.append(AttributeChange(name: "logo", before: have.hasLogo ? before : "(none)", after: describe(logo)))
            }
            if (have.logoLink ?? "") != logo.link {
                fields.insert(.logo)
                attributes.append(AttributeChange(name: "logo.link", before: Self.shown(have.logoLink), after: logo.link))
            }
        } else if recorded != nil {
            // Only a logo streamplan uploaded is removed; one set by hand is left alone.
            fields.insert(.logo)
            attributes.append(AttributeChange(name: "logo", before: have.hasLogo ? before : "(none)", after: "(none)"))
        }
        return (fields, attributes)
    }

    /// A player made the account's default takes that from the one that is (whoever made it, which
    /// streamplan does not otherwise touch): the plan says so, as a reason (JSON, Markdown) and as the
    /// line `previous default` (text). Nothing when it is the default already or the account has none.
    static func previousDefault(_ want: DesiredPlayer, id: String?, _ observed: Observation)
        -> (reasons: [String], attributes: [AttributeChange])
    {
        guard want.isDefault == true, let current = observed.defaultPlayer, current.id != id else { return ([], []) }
        let managed = observed.registry.addresses(of: .player).first { observed.registry.id($0) == current.id }
        let who = managed.map { "\($0) (player theme \(current.id))" } ?? "player theme \"\(current.name)\" (\(current.id))"
        let line = managed.map { "\($0) (\(current.id))" } ?? "\(current.name) (\(current.id))"
        return (
            ["\(who) stops being the account's default player theme"],
            [AttributeChange(name: "previous default", before: nil, after: "\(line) stops being the default")]
        )
    }

    static func shown(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "(none)" }
        return value
    }

    static func describe(_ logo: DesiredLogo) -> String {
        logo.image.sha256.map { "\(logo.image.written) (sha256 \($0.prefix(12)))" } ?? logo.image.written
    }

    /// A player holds `registry_entry`, `logo_entry` (the recorded logo hash), `name`, every theme
    /// and control field, `logo_image_link`, `logo_link` and, when the manifests write `default:`, `is_default`. A create holds while the registry names
    /// no existing player for the address.
    public func fingerprint(_ change: ResourceChange, _ observed: Observation) -> RemoteFingerprint {
        let registry = observed.registry
        var fields: [String: String] = [:]
        if let entry = registry.entry(change.address) { fields["registry_entry"] = entry }
        if let entry = registry.entry(DesiredPlayer.logoEntry(change.address)) { fields["logo_entry"] = entry }
        guard change.action != .create, let id = change.remoteID else {
            if let id = registry.id(change.address), observed.players[id] != nil {
                return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
            }
            return RemoteFingerprint(address: change.address, remoteID: nil, exists: false, fields: fields)
        }
        guard let player = observed.players[id] else {
            return RemoteFingerprint(address: change.address, remoteID: id, exists: false, fields: fields)
        }
        fields["name"] = player.name
        for (key, value) in player.theme { fields["theme.\(key)"] = value }
        for (key, value) in player.controls { fields["controls.\(key)"] = String(value) }
        fields["logo_image_link"] = player.logoImageLink ?? ""
        fields["logo_link"] = player.logoLink ?? ""
        // Only when the manifests manage it (a plan saved before `default:` existed has no such field).
        if change.desired?.player?.isDefault != nil { fields["is_default"] = String(player.isDefault) }
        return RemoteFingerprint(address: change.address, remoteID: id, exists: true, fields: fields)
    }
}
