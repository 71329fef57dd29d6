import Foundation
import Manifest
import Providers
import TestSupport
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

/// A key `townhall` (registered as k1) with streaming `kickoff` (s1) and the entries given.
private func manifest(_ recordings: [RecordingSpec], playlist: [String]? = nil) -> Manifest {
    var manifest = Manifest(project: "demo")
    var key = LiveStreamSpec(
        name: "townhall", displayName: "Town Hall", save: true,
        streamings: [
            StreamingSpec(name: "kickoff", liveStream: "townhall", title: "Kickoff", save: true, qualities: [], location: here)
        ], location: here)
    key.recordings = recordings
    manifest.liveStreams = [key]
    if let playlist {
        manifest.playlists = [PlaylistSpec(name: "replays", displayName: "Replays", videos: playlist, location: here)]
    }
    return manifest
}

private func entry(
    _ name: String, _ selector: RecordingSpec.Selector, title: String? = nil, isPublic: Bool? = nil,
    player: String? = nil
) -> RecordingSpec {
    RecordingSpec(
        name: name, liveStream: "townhall", selector: selector, title: title, isPublic: isPublic, player: player,
        location: here)
}

private func media(_ id: String, title: String = "Kickoff", isPublic: Bool = true, player: String? = nil) -> RemoteVideo {
    var video = RemoteVideo(
        id: id, title: title, isPublic: isPublic, metadata: [MetadataEntry(key: "live_stream_id", value: "k1")])
    video.playerID = player
    video.updatedAt = "2026-12-05T10:00:00Z"
    return video
}

private func observed(_ recordings: [RemoteRecording], streamingState: StreamingState = .ended) -> Observation {
    var observation = Observation(
        registry: RegistryEntries([
            "live_stream.townhall": "k1", "live_stream.townhall.streaming.kickoff": "s1", "player.brand": "p1",
        ]))
    observation.liveKeys["k1"] = ObservedLiveKey(
        RemoteLiveKey(id: "k1", name: "Town Hall", save: true),
        streamings: [
            RemoteStreaming(id: "s0", title: "Earlier", save: true, state: .ended),
            RemoteStreaming(id: "s1", title: "Kickoff", save: true, state: streamingState),
        ], recordings: recordings)
    observation.players["p1"] = RemotePlayer(id: "p1", name: "Brand")
    return observation
}

private let kickoff = RemoteRecording(streamingID: "s1", title: "Kickoff", status: "ended", video: media("m1"))
private let earlier = RemoteRecording(
    streamingID: "s0", title: "Earlier", status: "ended", video: media("m0", title: "Earlier"))

private func plan(_ manifest: Manifest, _ observation: Observation) -> Plan {
    var desired = DesiredState(manifest, videos: [])
    desired.playlists = manifest.playlists.map { DesiredPlaylist(spec: $0, thumbnailSHA256: nil) }
    desired.players = []
    var plan = Planner.plan(desired, observation)
    // The fixture's registry names player.brand without a `players:` entry: its delete is not the subject.
    plan.changes.removeAll { $0.kind == .player }
    return plan
}

@Suite("recording planner")
struct RecordingPlannerTests {
    @Test("selected by its streaming: the fields written that differ are one update of the media; the rest is left alone")
    func updateByStreaming() throws {
        let result = plan(
            manifest([entry("replay", .streaming("kickoff"), title: "Kickoff (replay)", isPublic: false, player: "brand")]),
            observed([kickoff, earlier]))
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.address == "live_stream.townhall.recording.replay")
        #expect(change.action == .update && change.blocked == nil)
        #expect(change.remoteID == "m1" && change.parentID == "k1")
        #expect(change.fields == [.title, .isPublic, .player])
        #expect(change.attributes.map(\.name) == ["title", "is_public", "player"])
        #expect(change.attributes.last?.after == "brand")
        #expect(change.fingerprint?.fields["title"] == "Kickoff")
        let text = PlanTextRenderer().render(result)
        #expect(text.contains("live_stream.townhall.recording.replay"), "\(text)")
    }

    @Test("selected by media id; nothing differs → up to date")
    func upToDateByID() {
        let result = plan(
            manifest([entry("earlier", .mediaID("m0"), title: "Earlier")]), observed([kickoff, earlier]))
        #expect(result.changes.isEmpty)
        #expect(result.unchanged.contains("live_stream.townhall.recording.earlier"))
    }

    @Test("the player the media already uses is no change; a field not written is never compared")
    func playerKept() {
        var have = kickoff
        have.video = media("m1", title: "Set by hand", player: "p1")
        let result = plan(manifest([entry("replay", .streaming("kickoff"), player: "brand")]), observed([have]))
        #expect(result.changes.isEmpty)
    }

    @Test("an id that is not one of the key's recordings is blocked, naming the address and the recordings there are")
    func unknownID() throws {
        let result = plan(manifest([entry("gone", .mediaID("m9"), title: "X")]), observed([kickoff, earlier]))
        let change = try #require(result.changes.first)
        #expect(change.address == "live_stream.townhall.recording.gone")
        let blocked = try #require(change.blocked)
        #expect(blocked.contains("media id m9 is not a saved recording of live_stream.townhall"), "\(blocked)")
        #expect(blocked.contains("media id m1 (streaming \"Kickoff\")") && blocked.contains("media id m0"), "\(blocked)")
        #expect(change.remoteID == nil)
        #expect(result.blockedChanges.count == 1)
    }

    @Test("a streaming still on air has no recording yet: blocked, saying it is made when the streaming ends")
    func notEndedYet() throws {
        let result = plan(
            manifest([entry("replay", .streaming("kickoff"), title: "T")]), observed([earlier], streamingState: .broadcasting))
        let blocked = try #require(result.changes.first?.blocked)
        #expect(blocked.contains("live_stream.townhall.streaming.kickoff has no saved recording"), "\(blocked)")
        #expect(blocked.contains("made when it ends"), "\(blocked)")
    }

    @Test("a key this plan creates has no recordings: blocked, and the playlist listing it is blocked too")
    func keyNotCreated() throws {
        let result = plan(
            manifest([entry("replay", .streaming("kickoff"), title: "T")], playlist: ["live_stream.townhall.recording.replay"]),
            Observation())
        let recording = try #require(result.changes.first { $0.kind == .recording })
        #expect(recording.blocked?.contains("live_stream.townhall does not exist on AIOZ Stream yet") == true)
        let playlist = try #require(result.changes.first { $0.kind == .playlist })
        #expect(playlist.action == .create)
        #expect(playlist.blocked?.contains("live_stream.townhall.recording.replay") == true, "\(playlist)")
    }

    @Test("a playlist lists a recording by its address: created with the media id, shown by address")
    func playlistItem() throws {
        let result = plan(
            manifest([entry("replay", .streaming("kickoff"))], playlist: ["live_stream.townhall.recording.replay"]),
            observed([kickoff]))
        let playlist = try #require(result.changes.first { $0.kind == .playlist })
        #expect(playlist.blocked == nil)
        let want = try #require(playlist.desired?.playlist)
        #expect(want.videos == ["live_stream.townhall.recording.replay"])
        #expect(want.videoIDs == ["m1"])
        #expect(playlist.attributes.contains { $0.name == "videos" && $0.after == "[live_stream.townhall.recording.replay]" })
    }

    @Test("an entry removed from the manifests is no longer managed: nothing is planned for the media")
    func removedEntry() {
        let result = plan(manifest([]), observed([kickoff]))
        #expect(!result.changes.contains { $0.kind == .recording })
    }

    @Test("a plan with a recording's update and a blocked entry validates against schemas/plan.schema.json")
    func planSchema() throws {
        let result = plan(
            manifest([
                entry("replay", .streaming("kickoff"), title: "New", player: "brand"), entry("gone", .mediaID("m9")),
            ]), observed([kickoff]))
        #expect(result.changes.count == 2)
        let (status, output) = try ToolRun.checkPlanSchema(json: try PlanJSON.render(result))
        #expect(status == 0, "\(output)")
        #expect(output.contains("check-plan-schema: 1 file(s), 0 invalid"), "\(output)")
    }

    @Test("recording_defaults: every other recording of the key by its media id; an entry's own fields win")
    func defaults() throws {
        var m = manifest([entry("replay", .streaming("kickoff"), isPublic: true)])
        m.liveStreams[0].recordingDefaults = RecordingDefaultsSpec(
            tags: ["townhall"], isPublic: false, player: "brand", location: here)
        var third = earlier
        third.streamingID = "sx"
        third.video = media("m2", title: "Done", isPublic: false, player: "p1")
        third.video?.tags = ["townhall"]
        let result = plan(m, observed([kickoff, earlier, third]))
        #expect(
            result.changes.map(\.address) == ["live_stream.townhall.recording.m0", "live_stream.townhall.recording.replay"])
        let byID = try #require(result.changes.first)
        #expect(byID.remoteID == "m0" && byID.fields == [.isPublic, .tags, .player])
        #expect(byID.desired?.recording?.mediaID == "m0")
        let entry = try #require(result.changes.last)
        // The entry keeps is_public: true (its own) and takes the defaults' tags and player.
        #expect(entry.remoteID == "m1" && entry.fields == [.tags, .player])
        #expect(result.unchanged.contains("live_stream.townhall.recording.m2"))
    }

    @Test("a saved plan carries the recording's change and reads it back the same")
    func savedChange() throws {
        let result = plan(
            manifest([entry("replay", .streaming("kickoff"), title: "New", player: "brand")]), observed([kickoff]))
        let change = try #require(result.changes.first)
        let data = try JSONEncoder().encode(SavedChange(change, relativeTo: "/"))
        let back = try JSONDecoder().decode(SavedChange.self, from: data)
        #expect(back.desired == change.desired && back.remoteID == "m1" && back.parentID == "k1")
        #expect(back.fields == [.title, .player] && back.fingerprint == change.fingerprint)
    }
}
