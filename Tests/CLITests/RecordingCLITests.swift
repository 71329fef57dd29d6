import AIOZ
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Saved recordings of a live key (issue 24): the service makes a recording when a saved streaming
/// ends; the manifests select it and set its fields and player, and a playlist lists it by address.
@Suite("saved recordings through the CLI", .gated, .eachGeneration, .namingGeneration)
struct RecordingCLITests {
    static func manifest(_ workspace: TestWorkspace, recordings: String = "", playlist: Bool = false) throws {
        var yaml = """
            players:
              brand:
                name: Brand player
                theme: {main_color: "#ff6600"}
            live_streams:
              townhall:
                name: Town Hall
                save: true
                streamings:
                  kickoff: {title: Kickoff, save: true}

            """
        yaml += recordings
        if playlist {
            yaml += "playlists:\n  replays:\n    name: Replays\n    videos: [live_stream.townhall.recording.replay]\n"
        }
        try workspace.manifest(yaml)
    }

    static let replay = """
            recordings:
              replay:
                streaming: kickoff
                title: Kickoff (replay)
                description: The whole kickoff.
                tags: [townhall, replay]
                is_public: false
                player: brand

        """

    @Test(
        "a recording's title, visibility and player set and a playlist listing it: validate, plan, apply (saved plan), No changes.",
        .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        let workspace = try TestWorkspace(project: "channel", prefix: "recording")
        defer { workspace.remove() }
        try Self.manifest(workspace)
        try await TestSandbox.with { sandbox in
            func run(_ arguments: [String]) async throws -> CLIResult {
                try await sandbox.streamplan(arguments, in: workspace.directory)
            }
            let first = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            // An encoder pushes to the key, then stops: the saved streaming becomes a recording.
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let recordings = try await sandbox.provider.savedRecordings(keyID: keyID)
            let mediaID = try #require(recordings.first?.video?.id)

            try Self.manifest(workspace, recordings: Self.replay, playlist: true)
            let validate = try await streamplan(["validate", "streamplan.yaml"], in: workspace.directory)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
            let plan = try await run(["plan", "streamplan.yaml"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("live_stream.townhall.recording.replay will be updated"), "\(plan.stdout)")
            #expect(plan.stdout.contains("Kickoff (replay)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("live_stream.townhall.recording.replay]"), "\(plan.stdout)")
            for format in ["json", "markdown"] {
                let other = try await run(["plan", "--format", format, "streamplan.yaml"])
                #expect(other.status == 0 && other.stdout.contains("live_stream.townhall.recording.replay"), "\(other.stderr)")
            }
            let saved = try await run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(saved.status == 0, "\(saved.stderr)")
            let applied = try await run(["apply", "plan.json"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(applied.stdout.contains("live_stream.townhall.recording.replay: updated, id \(mediaID)"), "\(applied.stdout)")

            let media = try #require(try await sandbox.provider.video(id: mediaID))
            #expect(media.title == "Kickoff (replay)" && !media.isPublic && media.description == "The whole kickoff.")
            #expect(Set(media.tags) == ["townhall", "replay"])
            let brand = try #require(try await sandbox.provider.allPlayers().first { $0.name == "Brand player" })
            #expect(media.playerID == brand.id)
            // The service's own metadata on the recording is untouched; streamplan writes no marks on it.
            #expect(media.metadata.contains { $0.key == "live_stream_id" })
            #expect(!media.metadata.contains { $0.key.hasPrefix("streamplan.") }, "\(media.metadata)")
            let playlists = try await sandbox.client.allPlaylists(
                PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: "channel")]))
            #expect(playlists.first?.items.map(\.videoID) == [mediaID])

            let again = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)\(again.stderr)")

            let status = try await run(["status", "streamplan.yaml"])
            #expect(
                status.stdout.contains("video \(mediaID) done, managed as live_stream.townhall.recording.replay\n"),
                "\(status.stdout)")
            let show = try await run(["show", "live_stream.townhall.recording.replay", "streamplan.yaml"])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.hasPrefix("live_stream.townhall.recording.replay (id \(mediaID))\n"), "\(show.stdout)")
            #expect(show.stdout.contains("  title:      Kickoff (replay)\n"), "\(show.stdout)")
            #expect(show.stdout.contains("  player:     player.brand (id \(brand.id))"), "\(show.stdout)")
            #expect(show.stdout.contains("  streaming:  live_stream.townhall.streaming.kickoff (id "), "\(show.stdout)")

            // Changed on the dashboard: the next plan puts the manifests' title back.
            try await sandbox.provider.updateVideo(id: mediaID, .init(title: "Renamed by hand"))
            let drift = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(drift.status == 0, "\(drift.stdout)\(drift.stderr)")
            #expect(try await sandbox.provider.video(id: mediaID)?.title == "Kickoff (replay)")

            // An entry removed from the manifests is no longer managed: nothing is planned, the media stays.
            try Self.manifest(workspace)
            let removed = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(removed.stdout.contains("live_stream.townhall.recording") == false, "\(removed.stdout)")
            #expect(try await sandbox.provider.video(id: mediaID)?.title == "Kickoff (replay)")
        }
    }

    @Test(
        "killed between the recording's PATCH and its player: the next plan writes only the player, then No changes.",
        .timeLimit(.minutes(10)))
    func crashAfterPatch() async throws {
        let workspace = try TestWorkspace(project: "channel", prefix: "recording-crash")
        defer { workspace.remove() }
        try Self.manifest(workspace)
        try await TestSandbox.with { sandbox in
            func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> CLIResult {
                try await sandbox.streamplan(arguments, in: workspace.directory, environment: environment)
            }
            let first = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let mediaID = try #require(try await sandbox.provider.savedRecordings(keyID: keyID).first?.video?.id)
            try Self.manifest(workspace, recordings: Self.replay)
            let killed = try await run(
                ["apply", "--auto-approve", "streamplan.yaml"], ["STREAMPLAN_CRASH_AT": "recording-after-patch"])
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            #expect(killed.stderr.contains("crash point recording-after-patch reached"), "\(killed.stderr)")
            let half = try #require(try await sandbox.provider.video(id: mediaID))
            #expect(half.title == "Kickoff (replay)" && (half.playerID ?? "").isEmpty)
            let plan = try await run(["plan", "streamplan.yaml"])
            #expect(plan.stdout.contains("player: \"(none)\" -> \"brand\""), "\(plan.stdout)")
            #expect(!plan.stdout.contains("title:"), "\(plan.stdout)")
            let again = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            let done = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(done.status == 0 && done.stdout.contains("No changes."), "\(done.stdout)\(done.stderr)")
        }
    }

    @Test(
        "recording_defaults: every recording of the key gets them, each new broadcast's too, by its media id",
        .timeLimit(.minutes(10)))
    func defaults() async throws {
        let workspace = try TestWorkspace(project: "channel", prefix: "recording-defaults")
        defer { workspace.remove() }
        let defaults = "    recording_defaults: {tags: [live], is_public: false, player: brand}\n"
        try Self.manifest(workspace)
        try await TestSandbox.with { sandbox in
            func run(_ arguments: [String]) async throws -> CLIResult {
                try await sandbox.streamplan(arguments, in: workspace.directory)
            }
            let first = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            try Self.manifest(workspace, recordings: defaults)
            let applied = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            let firstID = try #require(try await sandbox.provider.savedRecordings(keyID: keyID).first?.video?.id)
            #expect(applied.stdout.contains("live_stream.townhall.recording.\(firstID): updated"), "\(applied.stdout)")
            // The next broadcast (a streaming of its own, titled after the key) is recorded too.
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let plan = try await run(["plan", "streamplan.yaml"])
            #expect(plan.stdout.contains("Plan: 0 to create, 1 to update"), "\(plan.stdout)")
            let again = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            let brand = try #require(try await sandbox.provider.allPlayers().first { $0.name == "Brand player" })
            let all = try await sandbox.provider.savedRecordings(keyID: keyID).compactMap(\.video)
            #expect(all.count == 2)
            for media in all {
                #expect(media.tags == ["live"] && !media.isPublic && media.playerID == brand.id, "\(media)")
            }
            let done = try await run(["plan", "--detailed-exitcode", "streamplan.yaml"])
            #expect(done.status == 0 && done.stdout.contains("No changes."), "\(done.stdout)\(done.stderr)")
        }
    }

    @Test(
        "a recording changed on the dashboard after plan --out makes the saved plan stale (exit 3), naming it; nothing changes",
        .timeLimit(.minutes(10)))
    func staleSavedPlan() async throws {
        let workspace = try TestWorkspace(project: "channel", prefix: "recording-stale")
        defer { workspace.remove() }
        try Self.manifest(workspace)
        try await TestSandbox.with { sandbox in
            func run(_ arguments: [String]) async throws -> CLIResult {
                try await sandbox.streamplan(arguments, in: workspace.directory)
            }
            let first = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let mediaID = try #require(try await sandbox.provider.savedRecordings(keyID: keyID).first?.video?.id)
            try Self.manifest(workspace, recordings: Self.replay)
            let saved = try await run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(saved.status == 0, "\(saved.stderr)")
            try await sandbox.provider.updateVideo(id: mediaID, .init(title: "Renamed by hand"))
            let apply = try await run(["apply", "plan.json"])
            #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stderr.contains("the saved plan plan.json is stale; nothing was changed"), "\(apply.stderr)")
            #expect(apply.stderr.contains("live_stream.townhall.recording.replay (id \(mediaID))"), "\(apply.stderr)")
            let media = try #require(try await sandbox.provider.video(id: mediaID))
            #expect(media.title == "Renamed by hand" && media.isPublic)
        }
    }

    @Test("an id that is not one of the key's recordings: plan shows it blocked with the address and the recordings there are")
    func unknownID() async throws {
        let workspace = try TestWorkspace(project: "channel", prefix: "recording-id")
        defer { workspace.remove() }
        try Self.manifest(workspace)
        try await TestSandbox.with { sandbox in
            let first = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let keyID = try #require(try await sandbox.client.allLiveStreamKeys().first { $0.name == "Town Hall" }?.id)
            try await sandbox.broadcast(keyID: keyID, true)
            try await sandbox.broadcast(keyID: keyID, false)
            let mediaID = try #require(try await sandbox.provider.savedRecordings(keyID: keyID).first?.video?.id)
            try Self.manifest(workspace, recordings: "    recordings:\n      old: {id: not-a-recording, title: Old}\n")
            let plan = try await sandbox.streamplan(["plan", "streamplan.yaml"], in: workspace.directory)
            #expect(plan.stdout.contains("live_stream.townhall.recording.old"), "\(plan.stdout)")
            #expect(
                plan.stdout.contains("media id not-a-recording is not a saved recording of live_stream.townhall"),
                "\(plan.stdout)")
            #expect(plan.stdout.contains("media id \(mediaID)"), "\(plan.stdout)")
            let apply = try await sandbox.streamplan(["apply", "--auto-approve", "streamplan.yaml"], in: workspace.directory)
            #expect(apply.status != 0, "\(apply.stdout)")
        }
    }
}
