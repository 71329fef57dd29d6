import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// A project directory with three videos and a playlist, against the shared sandbox harness.
private struct PlaylistStage {
    let sandbox: TestSandbox
    let directory: String

    static func with(_ body: (PlaylistStage) async throws -> Void) async throws {
        try await TestSandbox.with { sandbox in
            let workspace = try TestWorkspace(prefix: "playlists")
            defer { workspace.remove() }
            for (index, name) in ["a", "b", "c"].enumerated() {
                try workspace.media("\(name).mp4", size: 2_000, seed: UInt8(index + 1))
            }
            try await body(PlaylistStage(sandbox: sandbox, directory: workspace.directory))
        }
    }

    /// Writes the manifest with `videos` and, when given, the playlist `course` of `order`.
    func manifest(videos: [String], order: [String]?) throws {
        var text = "project: lists\nvideos:\n"
        for name in videos { text += "  \(name):\n    title: \(name.uppercased())\n    source: media/\(name).mp4\n" }
        if let order {
            text += "playlists:\n  course:\n    name: The course\n    videos: [\(order.joined(separator: ", "))]\n"
        }
        try text.write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String]) async throws -> CLIResult {
        try await sandbox.streamplan(arguments, in: directory)
    }

    /// The managed playlist's videos, by title, in order.
    func order() async throws -> [String] {
        let titles = Dictionary(
            try await sandbox.client.allVideos().map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let playlists = try await sandbox.client.allPlaylists(
            PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: "lists")]))
        let playlist = try #require(playlists.first)
        return playlist.items.map { titles[$0.videoID] ?? $0.videoID }
    }
}

@Suite("playlists from the command line", .gated, .serialized, .eachGeneration, .namingGeneration)
struct PlaylistCLITests {
    @Test(
        "apply a playlist of 3 videos, re-plan No changes., reorder, then remove a video from the manifests entirely",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await PlaylistStage.with { stage in
            try stage.manifest(videos: ["a", "b", "c"], order: ["c", "a", "b"])
            let first = try await stage.run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("playlist.course: created, id "), "\(first.stdout)")
            #expect(try await stage.order() == ["C", "A", "B"])
            let again = try await stage.run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(again.status == 0 && again.stdout.hasPrefix("No changes."), "\(again.stdout)\(again.stderr)")

            try stage.manifest(videos: ["a", "b", "c"], order: ["a", "b", "c"])
            let reorder = try await stage.run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(reorder.status == 2)
            #expect(reorder.stdout.contains("moved video.c:"), "\(reorder.stdout)")
            #expect(reorder.stdout.contains("\"position 1\" -> \"position 3\""), "\(reorder.stdout)")
            #expect(reorder.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."))
            let applied = try await stage.run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(try await stage.order() == ["A", "B", "C"])
            #expect(try await stage.run(["plan", "--detailed-exitcode", "streamplan.yaml"]).status == 0)

            // Video b leaves the manifests entirely: its item goes first, then the video.
            try stage.manifest(videos: ["a", "c"], order: ["c", "a"])
            let removal = try await stage.run(["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"])
            #expect(removal.status == 0, "\(removal.stdout)\(removal.stderr)")
            let updated = try #require(removal.stdout.range(of: "playlist.course: updated"), "\(removal.stdout)")
            let deleted = try #require(removal.stdout.range(of: "video.b: deleted"), "\(removal.stdout)")
            #expect(updated.lowerBound < deleted.lowerBound)
            #expect(try await stage.order() == ["C", "A"])
            let last = try await stage.run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(last.status == 0, "\(last.stdout)")
        }
    }

    @Test(
        "a saved plan is refused when the playlist was reordered since; a hand-made playlist is never touched",
        .timeLimit(.minutes(10)))
    func staleAndUnmanaged() async throws {
        try await PlaylistStage.with { stage in
            try stage.manifest(videos: ["a", "b", "c"], order: ["a", "b", "c"])
            #expect(try await stage.run(["apply", "--auto-approve", "streamplan.yaml"]).status == 0)
            let byHand = try await stage.sandbox.client.createPlaylist(name: "The course", tags: [], metadata: [], type: nil)
            try stage.manifest(videos: ["a", "b", "c"], order: ["c", "b", "a"])
            let plan = try await stage.run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            let (schemaStatus, schemaOutput) = try await ToolRun.runOffPool(
                "python3", ["scripts/check-plan-schema.py", stage.directory + "/plan.json"])
            #expect(schemaStatus == 0, "\(schemaOutput)")
            let json = try await stage.run(["plan", "--format", "json", "streamplan.yaml"])
            #expect(
                json.stdout.contains("\"kind\" : \"playlist\"") || json.stdout.contains("\"kind\":\"playlist\""), "\(json.stdout)"
            )
            let markdown = try await stage.run(["plan", "--format", "markdown", "streamplan.yaml"])
            #expect(markdown.stdout.contains("playlist.course"), "\(markdown.stdout)")
            // Someone reorders the playlist on the service.
            let playlists = try await stage.sandbox.client.allPlaylists(
                PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: "lists")]))
            let managed = try #require(playlists.first)
            try await stage.sandbox.client.movePlaylistItem(
                playlistID: managed.id, itemID: managed.items[2].id, previousID: nil, nextID: managed.items[0].id)
            let stale = try await stage.run(["apply", "plan.json"])
            #expect(stale.status == 3, "\(stale.stdout)\(stale.stderr)")
            #expect(stale.stderr.contains("playlist.course (id \(managed.id)): items changed"), "\(stale.stderr)")
            let fresh = try await stage.run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
            #expect(try await stage.order() == ["C", "B", "A"])
            // The playlists leave the manifests: only the managed one is deleted.
            try stage.manifest(videos: ["a", "b", "c"], order: nil)
            let delete = try await stage.run(["apply", "--auto-approve", "--allow-delete", "streamplan.yaml"])
            #expect(delete.status == 0, "\(delete.stdout)\(delete.stderr)")
            #expect(delete.stdout.contains("playlist.course: deleted"))
            let left = try await stage.sandbox.client.allPlaylists(PlaylistListQuery())
            #expect(left.map(\.id) == [byHand.id])
        }
    }
}
