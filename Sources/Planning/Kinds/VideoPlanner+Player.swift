import Providers

/// A video's player theme, planned as one of its fields (`player: (none) → brand`).
///
/// Managed only when it matters to the manifests: a video that names a player gets it; a video that
/// names none loses its player only when that player is one of the project's (registered) players,
/// which streamplan assigned. A player set by hand (one the registry does not name) is left alone.
extension VideoPlanner {
    /// `change` with the video's player difference added (an update made when `change` is nil).
    static func withPlayer(_ change: ResourceChange?, _ want: DesiredVideo, _ have: RemoteVideo, _ observed: Observation)
        -> ResourceChange?
    {
        guard let attribute = playerDifference(want, have, observed) else { return change }
        guard var change else {
            return ResourceChange(
                address: want.address, action: .update, remoteID: have.id, attributes: [attribute], fields: [.player],
                desired: .video(want))
        }
        change.attributes.append(attribute)
        // A replacement is a new video: it gets its player after its create, whatever the fields say.
        if change.action != .replace { change.fields.insert(.player) }
        return change
    }

    /// `observed` with the players this plan imports counted as registered, so a video naming one
    /// that already uses it plans no `player` change (apply records them before the videos' stage).
    static func withImportedPlayers(_ desired: DesiredState, _ observed: Observation) -> Observation {
        var result = observed
        for (address, id) in desired.imports where address.kind == .player {
            guard observed.registry.entry(address) == nil, observed.registry.address(of: id) == nil,
                observed.players[id] != nil
            else { continue }
            result.registry.entries[address.description] = id
        }
        return result
    }

    /// An import (`importChange`) that also gives the adopted video the manifests' player.
    static func importWithPlayer(
        _ want: DesiredVideo, id: String, project: String, _ observed: Observation, _ options: PlanOptions
    ) -> ResourceChange {
        let change = importChange(want, id: id, project: project, observed, options)
        guard change.blocked == nil, let have = observed.videos.first(where: { $0.id == id }) else { return change }
        return withPlayer(change, want, have, observed) ?? change
    }

    /// The `player` line of a video whose player is not what the manifests want, or nil.
    static func playerDifference(_ want: DesiredVideo, _ have: RemoteVideo, _ observed: Observation) -> AttributeChange? {
        let registry = observed.registry
        let current = have.playerID.flatMap { $0.isEmpty ? nil : $0 }
        let before =
            current.map { id in
                registry.address(of: id).flatMap { $0.kind == .player ? $0.name : nil } ?? "\(id) (not managed)"
            } ?? "(none)"
        if let player = want.player {
            let wanted = registry.id(player).flatMap { observed.players[$0] == nil ? nil : $0 }
            if let wanted, wanted == current { return nil }
            return AttributeChange(name: "player", before: before, after: player.name)
        }
        guard let current else { return nil }
        let managed = Set(registry.addresses(of: .player).compactMap { registry.id($0) })
        guard managed.contains(current) else { return nil }
        return AttributeChange(name: "player", before: before, after: "(none)")
    }
}
