import Foundation
import Providers
import Testing

@testable import Planning

private func brand(isDefault: Bool?) -> DesiredPlayer {
    DesiredPlayer(address: "player.brand", name: "Brand", theme: ["main_color": "#ff6600"], isDefault: isDefault)
}

/// Player p1 registered as `player.brand` (default or not), and `other` as the account's default when given.
private func observed(brandIsDefault: Bool = false, other: RemotePlayer? = nil, registered: Bool = true) -> Observation {
    var observation = Observation(registry: RegistryEntries(registered ? ["player.brand": "p1"] : [:]))
    if registered {
        observation.players["p1"] = RemotePlayer(
            id: "p1", name: "Brand", theme: ["main_color": "#ff6600"], isDefault: brandIsDefault)
    }
    observation.defaultPlayer = other ?? (brandIsDefault ? observation.players["p1"] : nil)
    return observation
}

private let dashboard = RemotePlayer(id: "p9", name: "Dashboard", isDefault: true)

private func plan(_ players: [DesiredPlayer], _ observation: Observation) -> Plan {
    var desired = DesiredState(project: "demo", videos: [])
    desired.players = players
    return Planner.plan(desired, observation)
}

@Suite("player planner: the account's default player")
struct PlayerDefaultPlannerTests {
    @Test("default: true on a player that is not the default: an update that names the player that stops being it")
    func becomesDefault() throws {
        let result = plan([brand(isDefault: true)], observed(other: dashboard))
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .update && change.fields == [.isDefault] && change.remoteID == "p1")
        #expect(
            change.attributes == [
                AttributeChange(name: "default", before: "false", after: "true"),
                AttributeChange(name: "previous default", before: nil, after: "Dashboard (p9) stops being the default"),
            ])
        #expect(change.reasons == ["player theme \"Dashboard\" (p9) stops being the account's default player theme"])
        #expect(change.fingerprint?.fields["is_default"] == "false")
        let text = PlanTextRenderer().render(result)
        #expect(text.contains("previous default: \"Dashboard (p9) stops being the default\""), "\(text)")
    }

    @Test("default: true on the account's default already: no changes")
    func alreadyDefault() {
        let result = plan([brand(isDefault: true)], observed(brandIsDefault: true))
        #expect(!result.hasChanges, "\(result.changes)")
    }

    @Test("default left out: a default player the project does not manage is not fought, and neither is brand's own")
    func notManaged() {
        #expect(!plan([brand(isDefault: nil)], observed(other: dashboard)).hasChanges)
        #expect(!plan([brand(isDefault: nil)], observed(brandIsDefault: true)).hasChanges)
        // Not managed, the field stays out of the fingerprint: plans saved before `default:` still hold.
        let renamed = DesiredPlayer(address: "player.brand", name: "Renamed", theme: ["main_color": "#ff6600"])
        let change = plan([renamed], observed()).changes.first
        #expect(change?.fields == [.name])
        #expect(change?.fingerprint?.fields["is_default"] == nil)
    }

    @Test("default: false on the account's default: an update that makes it not the default, and names nobody else")
    func stopsBeingDefault() throws {
        let result = plan([brand(isDefault: false)], observed(brandIsDefault: true))
        let change = try #require(result.changes.first)
        #expect(change.fields == [.isDefault])
        #expect(change.attributes == [AttributeChange(name: "default", before: "true", after: "false")])
        #expect(change.reasons.isEmpty)
        // False on a player that is not the default: nothing to do.
        #expect(!plan([brand(isDefault: false)], observed(other: dashboard)).hasChanges)
    }

    @Test("a new player made the default: created with default true, naming the current default")
    func createDefault() throws {
        let result = plan([brand(isDefault: true)], observed(other: dashboard, registered: false))
        let change = try #require(result.changes.first)
        #expect(change.action == .create)
        #expect(change.attributes.suffix(2).map(\.name) == ["default", "previous default"])
        #expect(change.reasons == ["player theme \"Dashboard\" (p9) stops being the account's default player theme"])
        // An account without a default: nobody to name.
        #expect(plan([brand(isDefault: true)], observed(registered: false)).changes.first?.reasons == [])
    }

    @Test("the current default managed by the project is named by its address")
    func managedDefaultNamedByAddress() throws {
        var observation = observed(other: RemotePlayer(id: "p2", name: "Old", isDefault: true))
        observation.registry = RegistryEntries(["player.brand": "p1", "player.old": "p2"])
        observation.players["p2"] = RemotePlayer(id: "p2", name: "Old", isDefault: true)
        let old = DesiredPlayer(address: "player.old", name: "Old")
        let result = plan([brand(isDefault: true), old], observation)
        let change = try #require(result.changes.first { $0.address == "player.brand" })
        #expect(change.reasons == ["player.old (player theme p2) stops being the account's default player theme"])
        #expect(!result.changes.contains { $0.address == "player.old" })
    }

    @Test("a saved plan keeps the default change: its field and desired value survive the file")
    func savedPlanCarriesDefault() throws {
        let result = plan([brand(isDefault: true)], observed(other: dashboard))
        let saved = SavedPlan(plan: result, partial: nil, manifestsDigest: "x", directory: "/tmp")
        let decoded = try JSONDecoder().decode(SavedPlan.self, from: try saved.encoded())
        let change = try #require(try decoded.resolvedPlan(directory: "/tmp").changes.first)
        #expect(change.fields == [.isDefault])
        #expect(change.desired?.player?.isDefault == true)
        #expect(change.fingerprint?.fields["is_default"] == "false")
    }
}
