import Foundation
import Testing

@testable import Manifest

/// `live_streams: KEY: recordings:` and playlists listing a recording: each rule at its position.
@Suite("recording manifests")
struct RecordingManifestTests {
    /// Line 9 is the first line of `recordings`' entries.
    func manifest(_ recordings: String, playlist: String = "") -> String {
        """
        project: demo
        players:
          brand: {theme: {main_color: "#ff6600"}}
        live_streams:
          townhall:
            name: Town Hall
            save: true
            streamings: {kickoff: {title: Kickoff, save: true}}
            recordings:

        """ + recordings + playlist
    }

    @Test("an entry selecting by streaming or id, with the fields written and the rest left out")
    func decoded() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            manifest(
                "      replay: {streaming: kickoff, title: Replay, is_public: false, tags: [a], player: brand}\n"
                    + "      pilot: {id: m-123, description: \"\"}\n",
                playlist: "playlists:\n  replays:\n    videos: [live_stream.townhall.recording.replay]\n"))
        #expect(ws.findings(result) == [])
        let key = try #require(result.manifest?.liveStreams.first)
        #expect(
            key.recordings.map(\.address) == ["live_stream.townhall.recording.replay", "live_stream.townhall.recording.pilot"])
        let replay = key.recordings[0]
        #expect(replay.selector == .streaming("kickoff") && replay.title == "Replay" && replay.isPublic == false)
        #expect(replay.tags == ["a"] && replay.player == "brand" && replay.description == nil)
        let pilot = key.recordings[1]
        #expect(pilot.selector == .mediaID("m-123") && pilot.description == "" && pilot.title == nil && pilot.tags == nil)
        #expect(result.manifest?.playlists.first?.videos == ["live_stream.townhall.recording.replay"])
    }

    @Test("recording_defaults: decoded; a title or an unknown player is refused at its position")
    func defaults() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let text = manifest("      replay: {streaming: kickoff}\n")
            .replacingOccurrences(
                of: "    recordings:\n",
                with: "    recording_defaults: {tags: [live], is_public: false, player: brand}\n    recordings:\n")
        let result = try ws.load(text)
        #expect(ws.findings(result) == [])
        let defaults = try #require(result.manifest?.liveStreams.first?.recordingDefaults)
        #expect(defaults.tags == ["live"] && defaults.isPublic == false && defaults.player == "brand")
        for (body, at, says) in [
            ("{title: Same}", "m.yaml:9:26", "unknown key"), ("{player: nope}", "m.yaml:9:34", "unknown player \"nope\""),
        ] {
            let bad = try ws.load(
                manifest("      replay: {streaming: kickoff}\n").replacingOccurrences(
                    of: "    recordings:\n", with: "    recording_defaults: \(body)\n    recordings:\n"))
            let findings = ws.findings(bad)
            #expect(findings.contains { $0.hasPrefix("\(at): error:") && $0.contains(says) }, "\(findings)")
        }
    }

    @Test(
        "each rule is reported where it is broken, with what is allowed",
        arguments: [
            ("      replay: {title: T}\n", "", "m.yaml:10:7", "selects no recording: write streaming: NAME"),
            ("      replay: {streaming: kickoff, id: m1}\n", "", "m.yaml:10:40", "has both streaming and id"),
            ("      replay: {streaming: kickof}\n", "", "m.yaml:10:27", "did you mean kickoff?"),
            ("      replay: {id: m1, player: brnd}\n", "", "m.yaml:10:32", "unknown player \"brnd\"; did you mean \"brand\"?"),
            ("      replay: {id: m1, public: true}\n", "", "m.yaml:10:24", "unknown key"),
            ("      a: {id: m1}\n      b: {id: m1}\n", "", "m.yaml:11:7", "select the same recording"),
            (
                "      replay: {id: m1}\n", "playlists:\n  p:\n    videos: [live_stream.townhall.recording.replya]\n",
                "m.yaml:13:14", "did you mean live_stream.townhall.recording.replay?"
            ),
        ])
    func rules(recordings: String, playlist: String, at: String, says: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(manifest(recordings, playlist: playlist))
        let findings = ws.findings(result)
        #expect(findings.contains { $0.hasPrefix("\(at): error:") && $0.contains(says) }, "\(findings)")
        #expect(result.manifest == nil)
    }
}
