import Foundation
import Testing

@testable import Manifest

/// One mistake, one finding: what a misspelt or invalid section leaves out is not reported again as
/// missing elsewhere, and every finding is a finished sentence that says what to write.
@Suite("validate: one mistake, one finding")
struct CascadeTests {
    @Test("a misspelt `videos:` is the only finding: the playlist naming its videos is not reported too")
    func misspeltVideos() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.load(
            """
            project: demo
            vidoes:
              intro: {title: A, source: clip.mp4}
              outro: {title: B, source: clip.mp4}
            playlists:
              course:
                videos: [intro, outro, extra]

            """)
        let findings = workspace.findings(result)
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.hasPrefix("m.yaml:2:1: error: unknown key \"vidoes\"") == true, "\(findings)")
    }

    @Test("an invalid project name is the only finding: no \"no manifest sets `project`\" in another file")
    func invalidProject() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("project.yaml", "project: Northwind_Learning\n")
        try workspace.write("live.yaml", "live_streams:\n  townhall: {name: Town hall}\n")
        let result = ManifestLoader().load([workspace.path])
        let findings = workspace.findings(result)
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.hasPrefix("project.yaml:1:10: error: project \"Northwind_Learning\" is not a valid") == true)
        #expect(!findings.contains { $0.contains("no manifest sets") })
    }

    @Test("without any section in doubt, a missing project and a playlist's unknown video are still reported")
    func stillReported() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.load("playlists:\n  course:\n    videos: [intro]\n")
        let findings = workspace.findings(result)
        #expect(findings.contains { $0.hasPrefix("m.yaml:1:1: error: no manifest sets `project`") }, "\(findings)")
        #expect(
            findings.contains {
                $0.hasSuffix("playlist.course names video intro, which is not in the manifests. No videos are defined.")
            }, "\(findings)")
    }

    @Test("an unknown profile or player without a near name is a finished sentence")
    func fullStops() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let profile = workspace.findings(try workspace.load(video("    qualities: zzz\n")))
        #expect(profile.contains { $0.hasSuffix("unknown profile \"zzz\". No profiles are defined.") }, "\(profile)")
        let player = workspace.findings(try workspace.load(video("    player: qqq\n")))
        #expect(player.contains { $0.hasSuffix("unknown player \"qqq\". No players are defined (players:).") }, "\(player)")
    }

    @Test("`- 720` in qualities suggests `720p`, not quoting the number", arguments: ["    qualities: [720]\n", ""])
    func bareResolution(videoQualities: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let yaml =
            videoQualities.isEmpty
            ? "project: demo\nlive_streams:\n  studio:\n    name: Studio\n    streamings:\n      kickoff: {title: Kick-off, qualities: [720]}\n"
            : video(videoQualities)
        let findings = workspace.findings(try workspace.load(yaml))
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.hasSuffix("720 is a number, not a resolution; write `720p`") == true, "\(findings)")
        #expect(!findings.contains { $0.contains("quote") })
    }
}
