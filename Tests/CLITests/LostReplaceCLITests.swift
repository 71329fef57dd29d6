import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Issue 26's reproduction over loopback: a replace whose create is answered 500 every time (the
/// sandbox restarted on the same data with `--fault-rate 1 --fault-kinds 500 --fault-paths …`).
@Suite("a replace whose create is answered 500", .gated, .serialized, .eachGeneration, .namingGeneration)
struct LostReplaceCLITests {
    @Test(
        "apply fails and keeps the old video and playlist (id, bytes, marks); the next fault-free apply replaces both",
        .timeLimit(.minutes(10)))
    func keepsTheOld() async throws {
        let workspace = try TestWorkspace(project: "keep", prefix: "lost-replace")
        defer { workspace.remove() }
        let data = workspace.directory + "/sandbox-data"
        try workspace.media("v.mp4", size: 3_000, seed: 1)
        try workspace.media("w.mp4", size: 3_000, seed: 2)
        try workspace.media("w2.mp4", size: 3_000, seed: 3)
        // A playlist's type (what makes it a replace) exists in the media API only.
        let playlists = CLIGeneration.current != "videos"
        func manifest(_ source: String, _ type: String) throws {
            try workspace.manifest(
                "videos:\n  v:\n    title: V\n    source: media/v.mp4\n  w:\n    title: W\n    source: media/\(source)\n"
                    + (playlists ? "playlists:\n  p:\n    name: P\n    type: \(type)\n    videos: [v]\n" : ""))
        }
        func sandbox(faults: FaultConfiguration, _ body: (TestSandbox) async throws -> Void) async throws {
            try await TestSandbox.with(SandboxConfiguration(dataDirectory: data, faults: faults), body)
        }
        func account(_ sandbox: TestSandbox) async throws -> (videos: [Video], playlists: [Playlist]) {
            let videos = try await sandbox.projectVideos("keep")
            let playlists = try await sandbox.client.allPlaylists(
                PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: "keep")]))
            return (videos, playlists)
        }
        func address(_ video: Video) -> String? { video.metadata.first { $0.key == "streamplan.address" }?.value }

        try manifest("w.mp4", "series")
        var before: (videos: [Video], playlists: [Playlist]) = ([], [])
        var oldBytes = ""
        try await sandbox(faults: FaultConfiguration()) { sandbox in
            let first = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            before = try await account(sandbox)
            let old = try #require(before.videos.first { address($0) == "video.w" })
            oldBytes = try await sourceHash(of: old)
        }
        let oldVideo = try #require(before.videos.first { address($0) == "video.w" })
        let oldPlaylist = before.playlists.first
        #expect(playlists == (oldPlaylist != nil))

        try manifest("w2.mp4", "course")
        let faults = FaultConfiguration(
            rate: 1, seed: 1, kinds: [.internalError], pathPrefixes: ["/videos/create", "/media/create", "/playlists/create"])
        try await sandbox(faults: faults) { sandbox in
            let failed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"], in: workspace.directory)
            #expect(failed.status != 0, "\(failed.stdout)\(failed.stderr)")
            #expect(!failed.stdout.contains("video.w: replaced"), "\(failed.stdout)")
            let now = try await account(sandbox)
            let kept = try #require(now.videos.first { $0.id == oldVideo.id }, "the old video is gone: \(failed.stdout)")
            #expect(Set(kept.metadata) == Set(oldVideo.metadata))
            #expect(try await sourceHash(of: kept) == oldBytes)
            #expect(now.videos.count == before.videos.count)
            #expect(now.playlists.map(\.id) == before.playlists.map(\.id), "\(failed.stdout)")
            #expect(now.playlists.first.map { Set($0.metadata) } == oldPlaylist.map { Set($0.metadata) })
        }

        try await sandbox(faults: FaultConfiguration()) { sandbox in
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"], in: workspace.directory)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            let now = try await account(sandbox)
            let replaced = now.videos.filter { address($0) == "video.w" }
            #expect(replaced.count == 1 && replaced.first?.id != oldVideo.id)
            if let oldPlaylist { #expect(now.playlists.count == 1 && now.playlists.first?.id != oldPlaylist.id) }
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "streamplan.yaml"], in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        }
    }
}

extension LostReplaceCLITests {
    @Test(
        "a streaming's replace whose create is answered 500 fails; the old streaming keeps its id; the next apply replaces it",
        .timeLimit(.minutes(10)))
    func keepsTheOldStreaming() async throws {
        let workspace = try TestWorkspace(project: "keep-live", prefix: "lost-replace-live")
        defer { workspace.remove() }
        let data = workspace.directory + "/sandbox-data"
        func manifest(_ qualities: String) throws {
            try workspace.manifest(
                "live_streams:\n  townhall:\n    name: Town Hall\n    streamings:\n"
                    + "      kickoff: {title: Kickoff, qualities: [\(qualities)]}\n")
        }
        func sandbox(faults: FaultConfiguration, _ body: (TestSandbox) async throws -> Void) async throws {
            try await TestSandbox.with(SandboxConfiguration(dataDirectory: data, faults: faults), body)
        }
        func streamings(_ sandbox: TestSandbox) async throws -> [Streaming] {
            let keys = try await sandbox.client.allLiveStreamKeys().filter { $0.name == "Town Hall" }
            try #require(keys.count == 1, "\(keys.map(\.id))")
            return try await sandbox.client.listStreamings(liveStreamKeyID: keys[0].id).streamings
        }

        try manifest("720p")
        var old: Streaming?
        try await sandbox(faults: FaultConfiguration()) { sandbox in
            let first = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            old = try await streamings(sandbox).first
        }
        let kickoff = try #require(old)

        try manifest("360p, 720p")
        // Only the create (POST) of a streaming fails, never its listing.
        let faults = FaultConfiguration(
            rate: 1, seed: 1, kinds: [.internalError], pathPrefixes: ["POST /live_streams/:id/streamings"])
        try await sandbox(faults: faults) { sandbox in
            let failed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"], in: workspace.directory)
            #expect(failed.status != 0, "\(failed.stdout)\(failed.stderr)")
            #expect(!failed.stdout.contains("streaming.kickoff: replaced"), "\(failed.stdout)")
            #expect((failed.stdout + failed.stderr).contains("the old one (\(kickoff.id)) was not deleted"), "\(failed.stdout)")
            let now = try await streamings(sandbox)
            #expect(now.map(\.id) == [kickoff.id], "\(failed.stdout)")
            #expect(now.first?.qualities == kickoff.qualities)
        }

        try await sandbox(faults: FaultConfiguration()) { sandbox in
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"], in: workspace.directory)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            let now = try await streamings(sandbox)
            #expect(now.count == 1 && now.first?.id != kickoff.id && Set(now.first?.qualities ?? []) == ["360p", "720p"])
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "streamplan.yaml"], in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        }
    }
}

/// The SHA-256 of a video's assembled source, downloaded from the sandbox.
private func sourceHash(of video: Video) async throws -> String {
    let url = try #require(video.assets?.sourceURL)
    let (status, body) = try await TestSandbox.download(url)
    #expect(status == 200)
    return TestMedia.sha256(body)
}
