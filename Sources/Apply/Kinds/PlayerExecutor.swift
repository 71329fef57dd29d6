import Planning
import Providers

/// Player themes: read by the ids the registry names, created with a pending registry entry (see
/// `RegisteredCreate`), patched field group by field group, given (or relieved of) their logo, and
/// deleted after the videos stop using them (`ResourceKind.dependencies`).
public struct PlayerExecutor: KindExecutor {
    public init() {}

    public var kind: ResourceKind { .player }

    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        try await RegisteredObjects.observe(kind, into: &observation, store: \.players, desired: desired, context) {
            try await context.provider.player(id: $0)
        }
        // The account's default is read only when the manifests ask for one (to name the player that
        // stops being it); otherwise whichever player is the default is never looked at.
        if desired.players.contains(where: { $0.isDefault == true }) {
            observation.defaultPlayer = try await context.provider.defaultPlayer()
        }
    }

    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        try await RegisteredObjects.reobserve(changes, into: &observation, store: \.players, context) {
            try await context.provider.player(id: $0)
        }
    }

    /// One at a time, in plan order.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        await RegisteredObjects.execute(
            changes, context, noun: "player theme", create: { try await create($0, context) },
            update: { try await update($0, context) },
            adopt: { change in try await RegisteredObjects.adopt(change, context) { try await update($0, context) } },
            delete: { try await delete($0, context) })
    }

    func create(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let want = change.desired?.player else { throw ApplyError("not in the manifests") }
        let provider = context.provider
        let write = PlayerWrite(name: want.name, theme: want.theme, controls: want.controls, isDefault: want.isDefault)
        let id = try await RegisteredCreate(address: change.address, context: context, afterCreate: .playerAfterCreate).run(
            candidates: { try await provider.players(named: want.name).map { ($0.id, $0.createdAt) } },
            create: { try await provider.createPlayer(write) },
            lostAnswer: "the answer to creating the player theme of \(change.address) was lost and no such player is "
                + "visible yet; run apply again: it adopts the player if \(provider.serviceName) made it, and creates it otherwise",
            adopted: { id in try await provider.updatePlayer(id: id, write) })
        if let logo = want.logo { try await uploadLogo(id, logo, address: change.address, context) }
        return id
    }

    func update(_ change: ResourceChange, _ context: ApplyContext) async throws -> String {
        guard let id = change.remoteID, let want = change.desired?.player else { throw ApplyError("no player id to update") }
        // Only the groups that changed; each with the fields the manifests write (docs/design.md).
        var write = PlayerWrite()
        if change.fields.contains(.name) { write.name = want.name }
        if change.fields.contains(.theme) { write.theme = want.theme }
        if change.fields.contains(.controls) { write.controls = want.controls }
        if change.fields.contains(.isDefault) { write.isDefault = want.isDefault }
        if write != PlayerWrite() { try await context.provider.updatePlayer(id: id, write) }
        if change.fields.contains(.logo) {
            if let logo = want.logo {
                try await uploadLogo(id, logo, address: change.address, context)
            } else {
                do {
                    try await context.provider.deletePlayerLogo(playerID: id)
                } catch  where error.remoteFailure == .notFound {}
                try await context.registry.registry().set(DesiredPlayer.logoEntry(change.address), nil)
            }
        }
        return id
    }

    /// Uploads the logo (checking the image is still what the plan hashed), then records its hash.
    func uploadLogo(_ id: String, _ logo: DesiredLogo, address: Address, _ context: ApplyContext) async throws {
        let image = try await LFSFetcher.materialized(logo.image, hashes: context.hashes)
        let sha = try await context.hashes.sha256(of: image.path)
        if let planned = logo.image.sha256, planned != sha {
            throw ApplyError(
                "the logo \(logo.image.written) changed since the plan (sha256 \(planned.prefix(12)) then, "
                    + "\(sha.prefix(12)) now); plan again")
        }
        try await context.provider.uploadPlayerLogo(playerID: id, file: image.path, link: logo.link)
        await CrashPoint.playerAfterLogo.reach()
        try await context.registry.registry().set(DesiredPlayer.logoEntry(address), DesiredPlayer.logoMark(sha))
    }

    func delete(_ change: ResourceChange, _ context: ApplyContext) async throws {
        // A mark-only delete (no id: the player is gone) removes the registry's entries only.
        if let id = change.remoteID {
            do {
                try await context.provider.deletePlayer(id: id)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.playerAfterDelete.reach()
        }
        let registry = try await context.registry.registry()
        try await registry.set(DesiredPlayer.logoEntry(change.address), nil)
        try await registry.set(change.address, nil)
    }
}
