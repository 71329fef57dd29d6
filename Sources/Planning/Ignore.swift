import Providers

/// `ignore: [FIELD, …]`: fields left to the dashboard. Before planning, each ignored field of an
/// object that exists takes the value the service holds, so no kind plans a change of it or reports
/// it as drift, and every write (which sends the desired value) keeps what the dashboard set. An
/// object still to be created gets the manifests' values: there is nothing to keep yet.
public enum IgnoredFields {
    /// `desired` with every ignored field of an existing object set to what `observed` holds.
    public static func applied(_ desired: DesiredState, _ observed: Observation) -> DesiredState {
        guard !desired.ignored.isEmpty else { return desired }
        var state = desired
        let project = desired.project
        for index in state.videos.indices {
            guard let fields = desired.ignored[state.videos[index].address] else { continue }
            let address = state.videos[index].address.description
            guard
                let have = observed.videos.first(where: {
                    $0.state != .deleted && $0.mark(OwnershipMark.project) == project && $0.mark(OwnershipMark.address) == address
                })
            else { continue }
            var want = state.videos[index]
            if fields.contains("title") { want.title = have.title }
            if fields.contains("description") { want.description = have.description }
            if fields.contains("is_public") { want.isPublic = have.isPublic }
            if fields.contains("tags") { want.tags = have.tags }
            if fields.contains("metadata") { want.metadata = have.userMetadata }
            if fields.contains("thumbnail") {
                // Only a thumbnail streamplan uploaded carries a mark; one set on the dashboard has none.
                if let mark = have.mark(OwnershipMark.thumbnailSHA256) {
                    if want.thumbnail != nil { want.thumbnail?.sha256 = mark }
                } else {
                    want.thumbnail = nil
                }
            }
            if fields.contains("player") {
                want.player = have.playerID.flatMap { observed.registry.address(of: $0) }.flatMap {
                    $0.kind == .player ? $0 : nil
                }
            }
            state.videos[index] = want
        }
        for index in state.liveKeys.indices {
            guard let fields = desired.ignored[state.liveKeys[index].address],
                let id = observed.registry.id(state.liveKeys[index].address), let have = observed.liveKeys[id]
            else { continue }
            if fields.contains("name") { state.liveKeys[index].name = have.name }
            if fields.contains("save") { state.liveKeys[index].save = have.save }
        }
        for index in state.streamings.indices {
            let address = state.streamings[index].address
            guard let fields = desired.ignored[address], let id = observed.registry.id(address),
                let have = observed.liveKeys.values.lazy.flatMap(\.streamings).first(where: { $0.id == id })
            else { continue }
            if fields.contains("title") { state.streamings[index].title = have.title }
            if fields.contains("save") { state.streamings[index].save = have.save }
        }
        for index in state.webhooks.indices {
            guard let fields = desired.ignored[state.webhooks[index].address],
                let id = observed.registry.id(state.webhooks[index].address), let have = observed.webhooks[id]
            else { continue }
            if fields.contains("name") { state.webhooks[index].name = have.name }
            if fields.contains("events") { state.webhooks[index].events = have.events.sorted() }
        }
        for index in state.playlists.indices {
            let address = state.playlists[index].address.description
            guard let fields = desired.ignored[state.playlists[index].address],
                let have = observed.playlists.first(where: {
                    $0.mark(OwnershipMark.project) == project && $0.mark(OwnershipMark.address) == address
                })
            else { continue }
            if fields.contains("name") { state.playlists[index].name = have.name }
            if fields.contains("tags") { state.playlists[index].tags = have.tags }
            if fields.contains("metadata") {
                state.playlists[index].metadata = have.metadata.filter { !$0.key.hasPrefix("streamplan.") }
            }
        }
        for index in state.players.indices {
            guard let fields = desired.ignored[state.players[index].address],
                let id = observed.registry.id(state.players[index].address), let have = observed.players[id]
            else { continue }
            if fields.contains("name") { state.players[index].name = have.name }
            // Only the fields the manifests write are compared: writing none leaves the group alone.
            if fields.contains("theme") { state.players[index].theme = [:] }
            if fields.contains("controls") { state.players[index].controls = [:] }
        }
        return state
    }
}
