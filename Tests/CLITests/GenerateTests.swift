import Apply
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// `streamplan generate`: an account made by hand becomes manifests whose plan is imports only.
@Suite("generate: manifests and import blocks for an unmanaged account", .gated, .eachGeneration, .namingGeneration)
struct GenerateTests {
    @Test("20 videos and 2 keys made by hand: generate --download-sources, validate, plan (22 imports only), apply, No changes")
    func generateThenImport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("generate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestSandbox.with { sandbox in
            var ids: [String] = []
            let titles = ["Welcome to Swift!", "Welcome to Swift!", "Lesson 1: <values>"] + (3..<20).map { "Lecture \($0)" }
            for (index, title) in titles.enumerated() {
                let bytes = TestMedia.bytes(for: "v\(index).mp4", size: 2000 + index * 100, seed: UInt8(index + 1))
                let json =
                    #"{"title":"\#(title)","description":"made by a script","is_public":false,"tags":["legacy"],"metadata":[{"key":"course","value":"swift"}]}"#
                let id = try await sandbox.api.createVideo(json)
                #expect(
                    try await sandbox.api.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0).status == 200)
                #expect(try await sandbox.api.send(.GET, "/videos/\(id)/complete").status == 200)
                ids.append(id)
            }
            // Studio B is an audio key: generated with `type: audio`, imported as it is.
            for (name, type) in [("Studio A", "video"), ("Studio B", "audio")] {
                let json = #"{"name":"\#(name)","save":true,"type":"\#(type)"}"#
                #expect(try await sandbox.api.send(.POST, "/live_streams", json: json).status == 200)
            }

            let generated = try await sandbox.streamplan(
                ["generate", "--out", "gen", "--project", "legacy", "--download-sources"], in: directory)
            #expect(generated.status == 0, "\(generated.stderr)")
            #expect(generated.stdout.contains("20 videos and 2 live stream keys to import"), "\(generated.stdout)")
            let yaml = try String(contentsOfFile: directory + "/gen/streamplan.yaml", encoding: .utf8)
            #expect(yaml.contains("welcome-to-swift:"), "\(yaml)")
            #expect(yaml.contains("welcome-to-swift-2:"), "\(yaml)")
            #expect(yaml.contains("lesson-1-values:"), "\(yaml)")
            #expect(yaml.contains("title: \"Lesson 1: <values>\""), "\(yaml)")
            for id in ids { #expect(yaml.contains(id)) }
            #expect(yaml.components(separatedBy: "    type: audio\n").count == 2, "\(yaml)")

            let validate = try await streamplan(["validate", "gen"], in: directory)
            #expect(validate.status == 0, "\(validate.stderr)")

            let plan = try await sandbox.streamplan(["plan", "--trust-source", "--no-cost", "gen"], in: directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(
                plan.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete. 22 to import."), "\(plan.stdout)"
            )

            let apply = try await sandbox.streamplan(["apply", "--auto-approve", "--trust-source", "gen"], in: directory)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let managed = try await sandbox.projectVideos("legacy")
            #expect(Set(managed.map(\.id)) == Set(ids))
            #expect(Set(managed.map(\.title)) == Set(titles))
            // Adopted, not re-uploaded: besides streamplan's registry and lease, the 20 hand-made videos only.
            let others = try await sandbox.client.allVideos().filter { video in
                !video.metadata.contains { $0.key.hasPrefix("streamplan.registry") || $0.key.hasPrefix("streamplan.lease") }
            }
            #expect(Set(others.map(\.id)) == Set(ids))

            let again = try await sandbox.streamplan(["plan", "--detailed-exitcode", "gen"], in: directory)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")

            // Everything is managed now: a second generate finds nothing.
            let second = try await sandbox.streamplan(["generate", "--out", "gen2"], in: directory)
            #expect(second.stdout.contains("0 videos and 0 live stream keys to import"), "\(second.stdout)")
            // And never overwrites.
            let overwrite = try await sandbox.streamplan(["generate", "--out", "gen"], in: directory)
            #expect(overwrite.status == 1)
            #expect(overwrite.stderr.contains("never overwrites"), "\(overwrite.stderr)")
        }
    }

    @Test("names are slugs of titles, unique, valid manifest names")
    func slugs() {
        #expect(Generator.slug("Welcome to Swift 101!") == "welcome-to-swift-101")
        #expect(Generator.slug("  ¡Olé! ") == "ol")
        #expect(Generator.slug("日本語") == "")
        #expect(Generator.slug(String(repeating: "a", count: 100)).count == 64)
    }
}
