public import Manifest
import Providers

/// Moves (docs/design.md, "Moves and protection"): an object managed at one address that the
/// manifests now call by another keeps its id; only streamplan's record of its address changes.
///
/// The planner resolves the moves first (`moved:` blocks, then videos found under a new name by
/// their source's hash), then plans every kind against the observation as it will be once the moves
/// are applied (`rewritten`), so children (captions, chapters, streamings) and references
/// (playlists, players named by videos) follow without a change of their own.
public enum MovePlanner {
    /// One resolved move.
    public struct Move: Sendable, Hashable {
        public var from: Address
        public var to: Address
        public var id: String

        public init(from: Address, to: Address, id: String) {
            self.from = from
            self.to = to
            self.id = id
        }
    }

    /// The moves to make, their changes, and notes about blocks that move nothing or cases not guessed.
    public static func resolve(_ desired: DesiredState, _ observed: Observation) -> (
        moves: [Move], changes: [ResourceChange], notes: [PlanNote]
    ) {
        var moves: [Move] = []
        var changes: [ResourceChange] = []
        var notes: [PlanNote] = []
        for block in desired.moves {
            guard let id = managedID(block.from, desired.project, observed) else {
                notes.append(
                    PlanNote(
                        address: block.from,
                        text: "moved to \(block.to): nothing is managed at \(block.from) any more, so nothing moves "
                            + "(the block can stay in the manifests)"))
                continue
            }
            if let other = managedID(block.to, desired.project, observed) {
                notes.append(
                    PlanNote(
                        address: block.from,
                        text: "not moved to \(block.to): \(block.to) is managed already (id \(other)); "
                            + "\(block.from) (id \(id)) is planned as it would be without the block"))
                continue
            }
            moves.append(Move(from: block.from, to: block.to, id: id))
            changes.append(
                ResourceChange(
                    address: block.to, action: .move, remoteID: id, reasons: ["moved: block"], movedFrom: block.from))
        }
        let detected = detectVideoMoves(desired, observed, explicit: moves)
        moves += detected.moves
        changes += detected.changes
        notes += detected.notes
        return (moves, changes, notes)
    }

    /// The id of the object managed at `address`, if any.
    static func managedID(_ address: Address, _ project: String, _ observed: Observation) -> String? {
        switch address.kind.ownership {
        case .registry: return observed.registry.id(address)
        case .registryUnderParent, .parent: return nil
        case .marks: break
        }
        switch address.kind {
        case .video:
            return observed.videos.first { video in
                video.state != .deleted && video.mark(OwnershipMark.project) == project
                    && video.mark(OwnershipMark.address) == address.description
            }?.id
        case .playlist:
            return observed.playlists.first { playlist in
                playlist.mark(OwnershipMark.project) == project && playlist.mark(OwnershipMark.address) == address.description
            }?.id
        default:
            // A marked kind is managed where its own marks say; only videos and playlists have marks.
            return nil
        }
    }

    /// Videos: a managed video whose address left the manifests, and exactly one new address whose
    /// source has the same SHA-256 (in the same project: the observation holds no other) → a move.
    /// Anything else with a shared hash is not guessed: a note says why and which blocks settle it. No
    /// move is proposed when the video would then be replaced anyway (other qualities, failed transcode).
    static func detectVideoMoves(_ desired: DesiredState, _ observed: Observation, explicit: [Move]) -> (
        moves: [Move], changes: [ResourceChange], notes: [PlanNote]
    ) {
        let wanted = Set(desired.videos.map(\.address))
        let explicitFrom = Set(desired.moves.map(\.from))
        let explicitTo = Set(desired.moves.map(\.to)).union(explicit.map(\.to))
        var managed = Set<String>()
        var orphans: [String: [(address: Address, id: String, video: RemoteVideo)]] = [:]
        for video in observed.videos
        where video.state != .deleted && video.mark(OwnershipMark.project) == desired.project {
            guard let text = video.mark(OwnershipMark.address), let address = Address(parsing: text), address.kind == .video
            else { continue }
            managed.insert(text)
            guard !wanted.contains(address), !explicitFrom.contains(address),
                let hash = video.mark(OwnershipMark.sourceSHA256), !OwnershipMark.isPendingSource(hash)
            else { continue }
            orphans[hash, default: []].append((address, video.id, video))
        }
        guard !orphans.isEmpty else { return ([], [], []) }
        var newcomers: [String: [DesiredVideo]] = [:]
        for want in desired.videos
        where !managed.contains(want.address.description) && desired.imports[want.address] == nil
            && !explicitTo.contains(want.address)
        {
            guard let hash = want.sourceSHA256 else { continue }
            newcomers[hash, default: []].append(want)
        }
        var moves: [Move] = []
        var changes: [ResourceChange] = []
        var notes: [PlanNote] = []
        for hash in orphans.keys.sorted() {
            let old = orphans[hash]!.sorted { $0.address < $1.address }
            let new = (newcomers[hash] ?? []).sorted { $0.address < $1.address }
            guard !new.isEmpty else { continue }
            if old.count == 1, new.count == 1 {
                let (from, id, video) = old[0]
                let to = new[0].address
                // A move keeps the id only if the video is not then replaced: qualities are fixed at
                // creation, and a failed transcode is replaced. Otherwise the plan stays a delete and a
                // create (an explicit `moved:` block still moves it).
                guard video.mark(OwnershipMark.qualitiesSHA256) == new[0].qualitiesSHA256, video.state != .failed,
                    VideoPlanner.createTimeDifferences(new[0], video).isEmpty
                else { continue }
                moves.append(Move(from: from, to: to, id: id))
                changes.append(
                    ResourceChange(
                        address: to, action: .move, remoteID: id,
                        reasons: [
                            "\(from) left the manifests and \(to) wants the same source (\(new[0].source.written), "
                                + "sha256 \(String(hash.prefix(12)))): the video keeps its id instead of being deleted and "
                                + "uploaded again; to make it explicit, add `moved: [{from: \(from), to: \(to)}]`"
                        ], movedFrom: from))
                continue
            }
            let pairs = zip(old, new).map { "{from: \($0.address), to: \($1.address)}" }.joined(separator: ", ")
            notes.append(
                PlanNote(
                    address: old[0].address,
                    text: "not moved automatically: \(old.count) video\(old.count == 1 ? "" : "s") that left the manifests ("
                        + old.map(\.address.description).joined(separator: ", ") + ") and \(new.count) new address"
                        + "\(new.count == 1 ? "" : "es") (" + new.map(\.address.description).joined(separator: ", ")
                        + ") share the source sha256 \(String(hash.prefix(12))), so which is which cannot be told; "
                        + "streamplan never guesses. To keep the videos (same ids, no upload), add the moves you mean, "
                        + "e.g. `moved: [\(pairs)]`"))
        }
        return (moves, changes, notes)
    }

    /// The observation as it will be once `moves` are applied: address marks and registry entries
    /// (with everything under them: streamings, a player's logo entry, protection records) renamed.
    public static func rewritten(_ observed: Observation, _ moves: [Move]) -> Observation {
        guard !moves.isEmpty else { return observed }
        var result = observed
        for move in moves {
            switch move.from.kind {
            case .video:
                for index in result.videos.indices where result.videos[index].id == move.id {
                    result.videos[index].metadata = renamed(result.videos[index].metadata, move)
                }
            case .playlist:
                for index in result.playlists.indices where result.playlists[index].id == move.id {
                    result.playlists[index].metadata = renamed(result.playlists[index].metadata, move)
                }
            default: break
            }
            result.registry = RegistryEntries(renamedEntries(result.registry.entries, move))
        }
        return result
    }

    /// Metadata with the address mark set to the move's new address.
    public static func renamed(_ metadata: [MetadataEntry], _ move: Move) -> [MetadataEntry] {
        metadata.map { entry in
            entry.key == OwnershipMark.address && entry.value == move.from.description
                ? MetadataEntry(key: entry.key, value: move.to.description) : entry
        }
    }

    /// Registry entries with `from` (and every key under it, and its protection record) renamed.
    public static func renamedEntries(_ entries: [String: String], _ move: Move) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in entries { result[renamedKey(key, move) ?? key] = value }
        return result
    }

    /// The key's new name when the move renames it, nil otherwise.
    public static func renamedKey(_ key: String, _ move: Move) -> String? {
        let from = move.from.description
        let to = move.to.description
        for prefix in ["", Protection.keyPrefix] {
            if key == prefix + from { return prefix + to }
            if key.hasPrefix(prefix + from + ".") { return prefix + to + key.dropFirst((prefix + from).count) }
        }
        return nil
    }
}
