import Foundation
import SandboxTesting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A project with an audio key, its thumbnail and one streaming, in a directory of its own.
private struct RadioProject {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("radio-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/manifests/media", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: packageRoot + "/manifests/media/lesson-1.png", toPath: path + "/manifests/media/cover.png")
        try write(qualities: "360p")
    }

    func write(qualities: String, thumbnail: Bool = true) throws {
        try """
        project: radio
        live_streams:
          radio:
            name: Radio
            type: audio
        \(thumbnail ? "    thumbnail: media/cover.png\n" : "")    streamings:
              morning:
                title: Morning show
                qualities: [\(qualities)]
        """.write(toFile: path + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("an audio live key with a thumbnail through the CLI", .gated, .eachGeneration, .namingGeneration)
struct LiveKeyCLITests {
    @Test(
        "validate, plan, apply, No changes; new qualities of a streaming that is not live: a replace that converges",
        .timeLimit(.minutes(10)))
    func converges() async throws {
        let project = try RadioProject()
        defer { project.remove() }
        try await TestSandbox.with { sandbox in
            let validate = try await streamplan(["validate", "manifests"], in: project.path)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
            let plan = try await sandbox.streamplan(["plan", "manifests"], in: project.path)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("type") && plan.stdout.contains("audio"), "\(plan.stdout)")
            #expect(plan.stdout.contains("media/cover.png"), "\(plan.stdout)")
            // Through a saved plan: the key's type and thumbnail (its path and hash) travel in it.
            let saved = try await sandbox.streamplan(["plan", "--out", "plan.json", "manifests"], in: project.path)
            #expect(saved.status == 0, "\(saved.stderr)")
            let apply = try await sandbox.streamplan(["apply", "plan.json"], in: project.path)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let again = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: project.path)
            #expect(again.status == 0 && again.stdout.contains("No changes."), "\(again.stdout)")
            let show = try await sandbox.streamplan(["show", "live_stream.radio", "manifests"], in: project.path)
            #expect(show.stdout.contains("  type:       audio\n"), "\(show.stdout)\(show.stderr)")
            #expect(
                show.stdout.contains("  thumbnail:  sha256 ") && show.stdout.contains("(uploaded by streamplan)"),
                "\(show.stdout)")

            try project.write(qualities: "360p, 720p")
            let replace = try await sandbox.streamplan(["plan", "manifests"], in: project.path)
            #expect(replace.stdout.contains("only while it is live streaming"), "\(replace.stdout)")
            let applied = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--allow-delete", "manifests"], in: project.path)
            #expect(applied.status == 0, "\(applied.stderr)")
            let done = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: project.path)
            #expect(done.status == 0 && done.stdout.contains("No changes."), "\(done.stdout)")
        }
    }

    @Test(
        "killed after the thumbnail's upload or removal, before the registry records it: the next apply converges",
        .timeLimit(.minutes(10)), arguments: ["key-thumbnail-after-upload", "key-thumbnail-after-remove"])
    func crashAroundThumbnail(point: String) async throws {
        let project = try RadioProject()
        defer { project.remove() }
        try await TestSandbox.with { sandbox in
            if point == "key-thumbnail-after-remove" {
                #expect(try await sandbox.streamplan(["apply", "--auto-approve", "manifests"], in: project.path).status == 0)
                try project.write(qualities: "360p", thumbnail: false)
            }
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: project.path, environment: ["STREAMPLAN_CRASH_AT": point])
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            #expect(killed.stderr.contains("crash point \(point) reached"))
            let plan = try await sandbox.streamplan(["plan", "manifests"], in: project.path)
            #expect(plan.stdout.contains("live_stream.radio"), "\(plan.stdout)")
            let again = try await sandbox.streamplan(["apply", "--auto-approve", "manifests"], in: project.path)
            #expect(again.status == 0, "\(again.stderr)")
            let done = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: project.path)
            #expect(done.status == 0 && done.stdout.contains("No changes."), "\(done.stdout)")
            let keys = try await sandbox.client.allLiveStreamKeys()
            #expect(keys.count == 1, "\(keys.map(\.name))")
            let key = try #require(keys.first)
            let image = try await sandbox.api.send(.GET, "/_sandbox/live_streams/\(key.id)/thumbnail")
            #expect(image.status == (point == "key-thumbnail-after-upload" ? 200 : 404))
        }
    }

    @Test(
        "killed right after a live streaming's qualities were updated in place: the next plan finds it up to date",
        .timeLimit(.minutes(10)))
    func crashAfterUpdate() async throws {
        let project = try RadioProject()
        defer { project.remove() }
        try await TestSandbox.with { sandbox in
            #expect(try await sandbox.streamplan(["apply", "--auto-approve", "manifests"], in: project.path).status == 0)
            let key = try #require(try await sandbox.client.allLiveStreamKeys().first)
            let before = try #require(try await sandbox.client.listStreamings(liveStreamKeyID: key.id).streamings.first)
            try await sandbox.broadcast(keyID: key.id, true)
            try project.write(qualities: "720p")
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: project.path,
                environment: ["STREAMPLAN_CRASH_AT": "streaming-after-update"])
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: project.path)
            #expect(plan.status == 0 && plan.stdout.contains("No changes."), "\(plan.stdout)")
            let after = try await sandbox.client.listStreamings(liveStreamKeyID: key.id).streamings
            #expect(after.map(\.id) == [before.id] && after.first?.qualities == ["720p"])
        }
    }
}
