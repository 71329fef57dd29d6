import AIOZ
import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The shared sandbox harness with a project directory whose manifests hold live stream keys.
private struct LiveStage {
    static let account = TestSandbox.account

    let sandbox: TestSandbox
    let directory: String

    var client: AIOZClient { sandbox.client }

    static func with(_ body: (LiveStage) async throws -> Void) async throws {
        try await TestSandbox.with { sandbox in
            let workspace = try TestWorkspace(prefix: "savedlive")
            defer { workspace.remove() }
            try FileManager.default.createDirectory(atPath: workspace.directory + "/manifests", withIntermediateDirectories: true)
            try await body(LiveStage(sandbox: sandbox, directory: workspace.directory))
        }
    }

    /// Writes the manifest: each key is (manifest name, display name, its streamings as (name, title)).
    func manifest(_ keys: [(String, String, [(String, String)])]) throws {
        var text = "project: savedlive\nlive_streams:\n"
        for (name, display, streamings) in keys {
            text += "  \(name):\n    name: \"\(display)\"\n    save: true\n"
            guard !streamings.isEmpty else { continue }
            text += "    streamings:\n"
            for (streaming, title) in streamings {
                text += "      \(streaming):\n        title: \"\(title)\"\n        save: true\n        qualities: [720p]\n"
            }
        }
        try text.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    /// Runs the CLI against the sandbox (waiting off the cooperative pool).
    func run(_ arguments: [String]) async throws -> CLIResult {
        try await sandbox.streamplan(arguments, in: directory)
    }

    func savedFile(_ name: String = "plan.json") throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    func key(named name: String) async throws -> LiveStreamKey {
        try #require(try await client.allLiveStreamKeys().first { $0.name == name }, "no key named \(name)")
    }

    /// The sandbox's admin switch: an encoder starts or stops pushing to the key.
    func broadcast(keyID: String, _ on: Bool) async throws {
        try await sandbox.broadcast(keyID: keyID, on)
    }
}

@Suite("saved plans with live stream keys and streamings", .gated, .serialized, .eachGeneration, .namingGeneration)
struct SavedLivePlanCLITests {
    @Test(
        "a saved key create and streaming create apply; applying the same file again is stale (created since the plan)",
        .timeLimit(.minutes(10)))
    func createThenStale() async throws {
        try await LiveStage.with { stage in
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")])])
            let plan = try await stage.run(["plan", "--detailed-exitcode", "--out", "plan.json", "manifests"])
            #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
            #expect(!plan.stderr.contains("cannot yet check"), "\(plan.stderr)")
            let saved = try stage.savedFile()
            // Each typed change carries its desired value: the key's name and the streaming's title.
            #expect(saved.contains("\"name\" : \"Town Hall\"") && saved.contains("\"title\" : \"Kickoff\""), "\(saved)")
            #expect(saved.contains("\"kind\" : \"live_stream\"") && saved.contains("\"kind\" : \"streaming\""))
            let (schemaStatus, schemaOutput) = try await ToolRun.runOffPool(
                "python3", ["scripts/check-plan-schema.py", stage.directory + "/plan.json"])
            #expect(schemaStatus == 0, "\(schemaOutput)")

            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("live_stream.townhall: created, id "), "\(apply.stdout)")
            #expect(apply.stdout.contains("live_stream.townhall.streaming.kickoff: created, id "), "\(apply.stdout)")
            let keys = try await stage.client.allLiveStreamKeys()
            #expect(keys.map(\.name) == ["Town Hall"])
            let key = try #require(keys.first)
            let streamings = try await stage.client.listStreamings(liveStreamKeyID: key.id).streamings
            #expect(streamings.map(\.title) == ["Kickoff"])
            #expect(try await stage.run(["plan", "--detailed-exitcode", "manifests"]).status == 0)

            let again = try await stage.run(["apply", "plan.json"])
            #expect(again.status == 3, "\(again.stdout)\(again.stderr)")
            #expect(
                again.stderr.contains("live_stream.townhall was created since the plan (now id \(key.id))"), "\(again.stderr)")
            #expect(again.stderr.contains("live_stream.townhall.streaming.kickoff was created since the plan"), "\(again.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().count == 1)
        }
    }

    @Test(
        "the saved file holds no stream key; an unrelated key and an untouched streaming changed remotely: still applies",
        .timeLimit(.minutes(10)))
    func unrelatedChanges() async throws {
        try await LiveStage.with { stage in
            try stage.manifest([
                ("townhall", "Town Hall", [("kickoff", "Kickoff"), ("qa", "Q&A")]),
                ("weekly", "Weekly", [("main", "Main")]),
            ])
            let created = try await stage.run(["apply", "--auto-approve", "manifests"])
            #expect(created.status == 0, "\(created.stdout)\(created.stderr)")

            // Rename townhall and add a streaming to it; weekly and townhall's other streamings stay.
            try stage.manifest([
                ("townhall", "Town Hall 2", [("kickoff", "Kickoff"), ("qa", "Q&A"), ("recap", "Recap")]),
                ("weekly", "Weekly", [("main", "Main")]),
            ])
            let plan = try await stage.run(["plan", "--out", "plan.json", "manifests"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            let saved = try stage.savedFile()
            let keys = try await stage.client.allLiveStreamKeys()
            #expect(keys.count == 2)
            for key in keys {
                #expect(key.streamKey.count >= 8)
                #expect(!saved.contains(key.streamKey), "the saved plan holds the stream key of \(key.name)")
                #expect(!saved.contains(key.rtmpURL), "the saved plan holds the RTMP URL of \(key.name)")
            }
            #expect(!saved.contains("stream_key") && !saved.contains("rtmp_url"))
            #expect(!saved.contains(LiveStage.account.secretKey))

            // On the dashboard: another key is renamed, and townhall's newest streaming (qa, untouched) retitled.
            let weekly = try await stage.key(named: "Weekly")
            _ = try await stage.client.updateLiveStreamKey(id: weekly.id, LiveStreamKeyUpdateRequest(name: "Weekly by hand"))
            let townhall = try await stage.key(named: "Town Hall")
            try await stage.client.updateStreaming(liveStreamKeyID: townhall.id, StreamingUpdateRequest(title: "Q&A by hand"))

            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let renamed = try await stage.client.getLiveStreamKey(id: townhall.id)
            #expect(renamed.name == "Town Hall 2")
            let titles = try await stage.client.listStreamings(liveStreamKeyID: townhall.id).streamings.map(\.title)
            #expect(Set(titles) == ["Kickoff", "Q&A by hand", "Recap"], "\(titles)")
            #expect(try await stage.client.getLiveStreamKey(id: weekly.id).name == "Weekly by hand")
            for output in [plan, apply] {
                for key in keys { #expect(!output.stdout.contains(key.streamKey) && !output.stderr.contains(key.streamKey)) }
            }
        }
    }

    @Test(
        "a touched key renamed remotely makes the saved plan stale (exit 3), naming it and how; nothing changes",
        .timeLimit(.minutes(10)))
    func touchedKeyRenamed() async throws {
        try await LiveStage.with { stage in
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")])])
            #expect(try await stage.run(["apply", "--auto-approve", "manifests"]).status == 0)
            try stage.manifest([("townhall", "Town Hall 2", [("kickoff", "Kickoff")])])
            let plan = try await stage.run(["plan", "--out", "plan.json", "manifests"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")

            let key = try await stage.key(named: "Town Hall")
            _ = try await stage.client.updateLiveStreamKey(id: key.id, LiveStreamKeyUpdateRequest(name: "Renamed by hand"))
            let apply = try await stage.run(["apply", "plan.json"])
            #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stderr.contains("the saved plan plan.json is stale; nothing was changed"), "\(apply.stderr)")
            #expect(
                apply.stderr.contains(
                    "live_stream.townhall (id \(key.id)): name changed from \"Town Hall\" to \"Renamed by hand\""),
                "\(apply.stderr)")
            #expect(try await stage.client.getLiveStreamKey(id: key.id).name == "Renamed by hand")
        }
    }

    @Test(
        "a saved key delete needs --allow-delete; a key that started broadcasting since the plan makes it stale",
        .timeLimit(.minutes(10)))
    func deleteAndBroadcasting() async throws {
        try await LiveStage.with { stage in
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")]), ("weekly", "Weekly", [("main", "Main")])])
            #expect(try await stage.run(["apply", "--auto-approve", "manifests"]).status == 0)
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")])])
            let plan = try await stage.run(["plan", "--out", "plan.json", "manifests"])
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            let weekly = try await stage.key(named: "Weekly")

            let refused = try await stage.run(["apply", "plan.json"])
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("--allow-delete"), "\(refused.stderr)")

            try await stage.broadcast(keyID: weekly.id, true)
            let stale = try await stage.run(["apply", "--allow-delete", "plan.json"])
            #expect(stale.status == 3, "\(stale.stdout)\(stale.stderr)")
            #expect(
                stale.stderr.contains("live_stream.weekly (id \(weekly.id)): broadcasting changed from \"false\" to \"true\""),
                "\(stale.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().count == 2)

            try await stage.broadcast(keyID: weekly.id, false)
            // Stopping leaves the streaming `ended`, not as planned, but the key's broadcasting and
            // streamings are what a key delete depends on: they hold again.
            let applied = try await stage.run(["apply", "--allow-delete", "plan.json"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().map(\.name) == ["Town Hall"])
        }
    }

    @Test(
        "deleting a broadcasting key from a saved plan needs plan --force-live --out and apply --force-live; blocked stays blocked",
        .timeLimit(.minutes(10)))
    func forceLive() async throws {
        try await LiveStage.with { stage in
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")]), ("weekly", "Weekly", [("main", "Main")])])
            #expect(try await stage.run(["apply", "--auto-approve", "manifests"]).status == 0)
            let weekly = try await stage.key(named: "Weekly")
            try await stage.broadcast(keyID: weekly.id, true)
            try stage.manifest([("townhall", "Town Hall", [("kickoff", "Kickoff")])])

            // Planned without --force-live: saved as blocked, and never performed, even with --force-live.
            #expect(try await stage.run(["plan", "--out", "blocked.json", "manifests"]).status == 0)
            let blocked = try await stage.run(["apply", "--allow-delete", "--force-live", "blocked.json"])
            #expect(blocked.status == 1, "\(blocked.stdout)\(blocked.stderr)")
            #expect(blocked.stderr.contains("1 change was blocked and not applied"), "\(blocked.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().count == 2)

            // Planned with --force-live: not blocked; apply still looks again and needs --force-live too.
            #expect(try await stage.run(["plan", "--force-live", "--out", "forced.json", "manifests"]).status == 0)
            let refused = try await stage.run(["apply", "--allow-delete", "forced.json"])
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("the key is broadcasting now; not deleted"), "\(refused.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().count == 2)
            let forced = try await stage.run(["apply", "--allow-delete", "--force-live", "forced.json"])
            #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
            #expect(try await stage.client.allLiveStreamKeys().map(\.name) == ["Town Hall"])
        }
    }
}
