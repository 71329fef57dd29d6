import Foundation
import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let project = "demo"

private func video(_ name: String, id: String) -> RemoteVideo {
    RemoteVideo(
        id: id, title: name,
        metadata: [
            MetadataEntry(key: OwnershipMark.project, value: project),
            MetadataEntry(key: OwnershipMark.address, value: "video.\(name)"),
            MetadataEntry(key: OwnershipMark.sourceSHA256, value: "sha-\(name)"),
            MetadataEntry(key: OwnershipMark.qualitiesSHA256, value: OwnershipMark.serverDefaultQualities),
        ])
}

private func desiredVideo(_ name: String) -> DesiredVideo {
    let file = DesiredFile(written: "\(name).mp4", path: "/m/\(name).mp4", size: 1, format: .mp4, sha256: "sha-\(name)")
    let spec = VideoSpec(
        name: name, title: name, description: nil,
        source: LocalFile(written: file.written, path: file.path, size: 1, format: .mp4),
        thumbnail: nil, isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil,
        location: YAMLNodes.SourceLocation(file: "m.yaml", line: 1, column: 1))
    return DesiredVideo(spec: spec, sourceSHA256: "sha-\(name)", thumbnailSHA256: nil)
}

private func remotePlaylist(id: String = "p1", items: [String], name: String = "Course", extra: [MetadataEntry] = [])
    -> RemotePlaylist
{
    RemotePlaylist(
        id: id, name: name,
        metadata: [
            MetadataEntry(key: OwnershipMark.project, value: project),
            MetadataEntry(key: OwnershipMark.address, value: "playlist.course"),
        ] + extra,
        items: items.enumerated().map { RemotePlaylistItem(id: "i\($0.offset)", videoID: $0.element) })
}

private func state(_ videos: [String], playlist: [String]?) -> DesiredState {
    var desired = DesiredState(project: project, videos: videos.map(desiredVideo))
    if let playlist {
        desired.playlists = [
            DesiredPlaylist(address: "playlist.course", name: "Course", videos: playlist.map { Address(.video, $0) })
        ]
    }
    return desired
}

private func observed(_ videos: [String], playlists: [RemotePlaylist]) -> Observation {
    var observation = Observation(videos: videos.map { video($0, id: "id-\($0)") })
    observation.playlists = playlists
    return observation
}

private func playlistChanges(_ plan: Plan) -> [ResourceChange] { plan.changes.filter { $0.kind == .playlist } }

@Suite("playlist order: removals, additions, fewest moves")
struct PlaylistOrderTests {
    private func items(_ ids: [String]) -> [RemotePlaylistItem] { ids.map { RemotePlaylistItem(id: "item-\($0)", videoID: $0) } }

    @Test("moves keep the longest increasing run and put the rest in place, each with its neighbours")
    func moves() {
        let wanted = ["a", "b", "c", "d", "e"]
        let current = items(["b", "c", "a", "e", "d"])
        let moves = PlaylistOrder.moves(current, wanted: wanted)
        #expect(moves.count == 2)
        var list = current.map(\.id)
        for move in moves { PlaylistOrder.apply(move, to: &list) }
        #expect(list == wanted.map { "item-\($0)" })
        #expect(moves[0] == PlaylistOrder.Move(itemID: "item-a", videoID: "a", previousID: nil, nextID: "item-b"))
    }

    @Test("an order already right needs no move; a reversed one all but one")
    func extremes() {
        let wanted = (0..<30).map { "v\($0)" }
        #expect(PlaylistOrder.moves(items(wanted), wanted: wanted).isEmpty)
        #expect(PlaylistOrder.moves(items(wanted.reversed()), wanted: wanted).count == 29)
    }

    @Test("removals: videos not wanted and second copies; additions: wanted videos missing, in order")
    func removalsAndAdditions() {
        let current = items(["a", "x", "b", "a"])
        #expect(PlaylistOrder.removals(current, wanted: ["b", "a", "c"]).map(\.videoID) == ["x", "a"])
        #expect(PlaylistOrder.additions(current, wanted: ["c", "b", "d"]) == ["c", "d"])
    }
}

@Suite("the playlist planner, with values")
struct PlaylistPlannerTests {
    @Test("a new playlist is created with its videos in order; videos created by the same plan have no id yet")
    func create() throws {
        let plan = Planner.plan(state(["a", "b"], playlist: ["b", "a"]), observed(["a"], playlists: []))
        let change = try #require(playlistChanges(plan).first)
        #expect(change.action == .create && change.fields == [.items])
        #expect(change.desired?.playlist?.videoIDs == [nil, "id-a"])
        #expect(change.attributes.map(\.name) == ["name", "videos"])
        #expect(change.attributes.last?.after == "[b, a]")
        #expect(change.fingerprint == RemoteFingerprint(address: "playlist.course", remoteID: nil, exists: false))
    }

    @Test("the same videos in the same order: no change")
    func unchanged() {
        let plan = Planner.plan(
            state(["a", "b"], playlist: ["a", "b"]), observed(["a", "b"], playlists: [remotePlaylist(items: ["id-a", "id-b"])]))
        #expect(playlistChanges(plan).isEmpty)
        #expect(plan.unchanged.contains("playlist.course"))
    }

    @Test("a reorder is an update showing each moved, added and removed video with its old and new position")
    func reorder() throws {
        let plan = Planner.plan(
            state(["a", "b", "c", "d"], playlist: ["c", "a", "b", "d"]),
            observed(["a", "b", "c"], playlists: [remotePlaylist(items: ["id-a", "id-b", "id-c", "hand"])]))
        let change = try #require(playlistChanges(plan).first)
        #expect(change.action == .update && change.fields == [.items])
        let lines = change.attributes.map { "\($0.name): \($0.before ?? "-") -> \($0.after ?? "-")" }
        #expect(
            lines == [
                "videos: [a, b, c, id hand] -> [c, a, b, d]",
                "removed video id hand (not in the manifests): position 4 -> -",
                "added video.d: - -> position 4",
                "moved video.c: position 3 -> position 1",
            ])
        let text = PlanTextRenderer().render(plan)
        #expect(text.contains("moved video.c:"), "\(text)")
    }

    @Test("name, tags and metadata changes are an update of those fields; marks are not user metadata")
    func fields() throws {
        var desired = state(["a"], playlist: ["a"])
        desired.playlists[0].tags = ["x"]
        desired.playlists[0].metadata = [MetadataEntry(key: "level", value: "1")]
        desired.playlists[0].name = "New"
        let plan = Planner.plan(desired, observed(["a"], playlists: [remotePlaylist(items: ["id-a"])]))
        let change = try #require(playlistChanges(plan).first)
        #expect(change.fields == [.name, .tags, .metadata])
        #expect(change.remoteID == "p1")
    }

    @Test("a type that differs is a replace (the type is fixed at creation); no type read back is no difference")
    func type() throws {
        var desired = state(["a"], playlist: ["a"])
        desired.playlists[0].type = "series"
        var remote = remotePlaylist(items: ["id-a"])
        #expect(playlistChanges(Planner.plan(desired, observed(["a"], playlists: [remote]))).isEmpty)
        remote.type = "course"
        let change = try #require(playlistChanges(Planner.plan(desired, observed(["a"], playlists: [remote]))).first)
        #expect(change.action == .replace && change.replaceOrder == .createThenDelete)
        #expect(change.reasons == ["a playlist's type is fixed when it is created"])
    }

    @Test("a playlist that left the manifests is deleted; one without this project's mark is never read")
    func deleteAndOwnership() {
        var foreign = remotePlaylist(id: "p9", items: [])
        foreign.metadata = [MetadataEntry(key: OwnershipMark.project, value: "other")]
        let plan = Planner.plan(
            state(["a"], playlist: nil), observed(["a"], playlists: [remotePlaylist(items: ["id-a"]), foreign]))
        #expect(playlistChanges(plan).map { "\($0.action) \($0.remoteID ?? "")" } == ["delete p1"])
    }

    @Test("a replaced video has no id yet: the playlist waits for the new one")
    func replacedVideo() throws {
        var desired = state(["a"], playlist: ["a"])
        desired.videos[0].source.sha256 = "changed"
        let plan = Planner.plan(desired, observed(["a"], playlists: [remotePlaylist(items: ["id-a"])]))
        #expect(plan.changes.first { $0.kind == .video }?.action == .replace)
        let change = try #require(playlistChanges(plan).first)
        #expect(change.desired?.playlist?.videoIDs == [nil])
        #expect(change.fields == [.items])
    }

    @Test("the fingerprint holds name, tags, metadata and the items' order; a reorder since the plan is a difference")
    func fingerprint() throws {
        let plan = Planner.plan(
            state(["a", "b"], playlist: ["b", "a"]), observed(["a", "b"], playlists: [remotePlaylist(items: ["id-a", "id-b"])]))
        let change = try #require(playlistChanges(plan).first)
        let saw = try #require(change.fingerprint)
        #expect(saw.fields["items"] == "id-a, id-b")
        let now = PlaylistPlanner().fingerprint(
            change, observed(["a", "b"], playlists: [remotePlaylist(items: ["id-b", "id-a"])]))
        #expect(saw.differences(now) == ["playlist.course (id p1): items changed from \"id-a, id-b\" to \"id-b, id-a\""])
    }

    @Test("a playlist change survives a saved plan's encoding, with its resolved video ids")
    func savedPlanRoundTrip() throws {
        let plan = Planner.plan(state(["a", "b"], playlist: ["b", "a"]), observed(["a"], playlists: []))
        let change = try #require(playlistChanges(plan).first)
        let data = try JSONEncoder().encode(change.desired?.playlist)
        let back = try JSONDecoder().decode(DesiredPlaylist.self, from: data)
        #expect(back == change.desired?.playlist)
        #expect(String(decoding: data, as: UTF8.self).contains("\"video_ids\":[null,\"id-a\"]"))
    }
}
