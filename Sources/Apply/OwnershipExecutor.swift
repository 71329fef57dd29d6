import Foundation
import Planning
import Providers

/// Moves and protection records (docs/design.md, "Moves and protection"): they rewrite streamplan's
/// own records of an object (its address mark, its registry entries) and never the object itself.
/// Moves run before every kind's changes (those were planned at the new addresses); protection
/// records after them (a protected object created by this apply has its id only then).
enum OwnershipExecutor {
    static func moves(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes where change.action == .move {
            outcomes.append(await context.outcome(change) { try await move(change, context) })
        }
        return outcomes
    }

    static func protections(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        for change in changes where change.action == .protect || change.action == .unprotect {
            outcomes.append(
                await context.outcome(change) {
                    let registry = try await context.registry.registry()
                    if change.action == .unprotect {
                        try await registry.set(key: Protection.key(change.address), nil)
                        return change.remoteID
                    }
                    if await context.results.hasFailed(change.address) {
                        throw ApplyError("its \(change.kind.noun) was not created or changed; nothing to protect")
                    }
                    let known = change.remoteID
                    guard let id = await context.results.id(of: change.address) ?? known else {
                        throw ApplyError("no id for \(change.address): it was not created by this apply")
                    }
                    try await registry.set(key: Protection.key(change.address), id)
                    return id
                })
        }
        return outcomes
    }

    /// Rewrites the address mark (videos, playlists) and renames the registry entries at the old
    /// address (the object's own for registered kinds, those under it, its protection record).
    private static func move(_ change: ResourceChange, _ context: ApplyContext) async throws -> String? {
        guard let from = change.movedFrom, let id = change.remoteID else {
            throw ApplyError("\(change.address): the move names no old address or id (the plan is damaged)")
        }
        let move = MovePlanner.Move(from: from, to: change.address, id: id)
        switch from.kind.ownership {
        case .marks: try await rewriteMarks(move, context)
        case .registry:
            let entries = await (try context.registry.registry()).entries
            let recorded = entries.id(from) ?? entries.id(move.to)
            guard recorded == id else {
                throw ApplyError(
                    "the registry records \(recorded ?? "nothing") for \(from), not \(id); plan again")
            }
        case .registryUnderParent, .parent:
            let parent = from.kind.parent?.noun ?? "parent"
            throw ApplyError("\(change.address): a \(from.kind.noun) is never moved on its own, only with its \(parent)")
        }
        try await context.registry.registry().rename { MovePlanner.renamedKey($0, move) }
        return id
    }

    /// Rewrites the address mark of a video or playlist from `move.from` to `move.to`.
    private static func rewriteMarks(_ move: MovePlanner.Move, _ context: ApplyContext) async throws {
        let (from, id) = (move.from, move.id)
        let provider = context.provider
        switch from.kind {
        case .video:
            guard let video = try await provider.video(id: id), video.state != .deleted else {
                throw ApplyError("video \(id) (\(from)) no longer exists; plan again")
            }
            let mark = video.mark(OwnershipMark.address)
            if mark != move.to.description {
                guard mark == from.description, video.mark(OwnershipMark.project) == context.project else {
                    throw ApplyError(
                        "video \(id) is no longer managed as \(from) (it carries \(mark ?? "no address")); plan again")
                }
                try await provider.updateVideo(id: id, VideoPatch(metadata: MovePlanner.renamed(video.metadata, move)))
            }
        case .playlist:
            let playlists = try PlaylistProviding.of(provider)
            guard let playlist = try await playlists.playlist(id: id) else {
                throw ApplyError("playlist \(id) (\(from)) no longer exists; plan again")
            }
            let mark = playlist.mark(OwnershipMark.address)
            if mark != move.to.description {
                guard mark == from.description, playlist.mark(OwnershipMark.project) == context.project else {
                    throw ApplyError(
                        "playlist \(id) is no longer managed as \(from) (it carries \(mark ?? "no address")); plan again")
                }
                try await playlists.updatePlaylist(id: id, PlaylistPatch(metadata: MovePlanner.renamed(playlist.metadata, move)))
            }
        default:
            throw ApplyError("\(move.to): a \(from.kind.noun) has no marks to rewrite")
        }
    }
}
