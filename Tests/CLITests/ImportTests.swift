import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Taking objects made outside streamplan under management: `import:` blocks and `streamplan import`.
@Suite("import: adopting videos and live stream keys made by hand", .gated, .eachGeneration, .namingGeneration)
struct ImportTests {
    /// A video made the way a script would (create, one part, complete), and its id.
    static func handMadeVideo(_ sandbox: TestSandbox, title: String, bytes: [UInt8]) async throws -> String {
        let id = try await sandbox.api.createVideo(#"{"title":"\#(title)","tags":["old"]}"#)
        let part = try await sandbox.api.uploadPart(id, bytes: bytes[...], start: 0, total: bytes.count, index: 0)
        #expect(part.status == 200)
        #expect(try await sandbox.api.send(.GET, "/videos/\(id)/complete").status == 200)
        return id
    }

    static func manifest(_ workspace: TestWorkspace, imports: String) throws {
        try workspace.manifest(
            """
            videos:
              intro:
                title: Intro
                source: media/intro.mp4
                tags: [new]
              second:
                title: Second
                source: media/second.mp4
            live_streams:
              studio:
                name: Studio
                save: true
            \(imports)
            """)
    }

    @Test(
        "import blocks: the plan shows imports (a video blocked until --trust-source); apply adopts without re-uploading; then No changes"
    )
    func importBlocks() async throws {
        try await TestWorkspace.with(project: "adopting") { workspace in
            try workspace.media("intro.mp4", size: 3000)
            try workspace.media("second.mp4", size: 2000, seed: 2)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: workspace.directory + "/media/intro.mp4")))
            try await TestSandbox.with { sandbox in
                let video = try await Self.handMadeVideo(sandbox, title: "Legacy intro", bytes: bytes)
                let key = try await sandbox.api.send(.POST, "/live_streams", json: #"{"name":"Legacy studio","save":false}"#)
                let keyID = try #require(key.data["id"] as? String)
                let streamKey = try #require(key.data["stream_key"] as? String)
                try Self.manifest(
                    workspace,
                    imports: """
                        import:
                          - {to: video.intro, id: \(video)}
                          - {to: live_stream.studio, id: \(keyID)}
                        """)

                let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stderr)")
                #expect(
                    plan.stdout.contains("# video.intro will be imported: made outside streamplan (id \(video))"),
                    "\(plan.stdout)")
                #expect(plan.stdout.contains("its source cannot be compared with media/intro.mp4"), "\(plan.stdout)")
                #expect(plan.stdout.contains("run with --trust-source"), "\(plan.stdout)")
                #expect(plan.stdout.contains("# live_stream.studio will be imported"), "\(plan.stdout)")
                #expect(plan.stdout.contains("\"Legacy studio\" -> \"Studio\""), "\(plan.stdout)")
                #expect(plan.stdout.contains("2 to import."), "\(plan.stdout)")
                #expect(!plan.stdout.contains(streamKey))

                let json = try await sandbox.streamplan(
                    ["plan", "--trust-source", "--format", "json", "."], in: workspace.directory)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
                #expect((document["summary"] as? [String: Any])?["import"] as? Int == 2)

                // Without --trust-source the video's import is blocked: apply does the rest and says so.
                let refused = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: workspace.directory)
                #expect(refused.status == 1)
                #expect(try await sandbox.projectVideos("adopting").filter { $0.id == video }.isEmpty)

                let apply = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "--trust-source", "."], in: workspace.directory)
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                // Each change's verb in the past tense, never a verb with a "d" appended ("importd").
                #expect(apply.stdout.contains("video.intro: imported, id \(video)"), "\(apply.stdout)")
                #expect(!apply.stdout.contains("importd"), "\(apply.stdout)")
                // The key and `second` were done by the first apply, which did all but the blocked import.
                #expect(refused.stdout.contains("live_stream.studio: imported, id \(keyID)"), "\(refused.stdout)")
                #expect(refused.stdout.contains("video.second: created, id "), "\(refused.stdout)")
                let adopted = try #require(try await sandbox.projectVideos("adopting").first { $0.id == video })
                #expect(adopted.title == "Intro")
                #expect(adopted.tags == ["new"])
                // Adopted, not re-uploaded: the one hand-made video plus `second`, created by this apply.
                #expect(try await sandbox.projectVideos("adopting").count == 2)
                let renamed = try await sandbox.api.send(.GET, "/live_streams/\(keyID)")
                #expect(renamed.data["name"] as? String == "Studio")
                #expect(renamed.data["stream_key"] as? String == streamKey)

                let again = try await sandbox.streamplan(["plan", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
            }
        }
    }

    @Test("streamplan import ADDRESS ID adopts one object now; a wrong id or an address not in the manifests is refused")
    func importCommand() async throws {
        try await TestWorkspace.with(project: "adopting") { workspace in
            try workspace.media("intro.mp4", size: 3000)
            try workspace.media("second.mp4", size: 2000, seed: 2)
            try Self.manifest(workspace, imports: "")
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: workspace.directory + "/media/second.mp4")))
            try await TestSandbox.with { sandbox in
                let video = try await Self.handMadeVideo(sandbox, title: "Old second", bytes: bytes)
                let missing = try await sandbox.streamplan(
                    ["import", "video.second", "00000000-0000-4000-8000-000000000000", ".", "--trust-source"],
                    in: workspace.directory)
                #expect(missing.status == 1)
                #expect(missing.stderr.contains("no video with id 00000000-0000-4000-8000-000000000000"), "\(missing.stderr)")
                let unknown = try await sandbox.streamplan(["import", "video.third", video, "."], in: workspace.directory)
                #expect(unknown.status == 1)
                #expect(unknown.stderr.contains("video.third is not in the manifests"), "\(unknown.stderr)")
                let untrusted = try await sandbox.streamplan(["import", "video.second", video, "."], in: workspace.directory)
                #expect(untrusted.status == 1)
                #expect(untrusted.stderr.contains("--trust-source"), "\(untrusted.stderr)")

                let imported = try await sandbox.streamplan(
                    ["import", "video.second", video, ".", "--trust-source"], in: workspace.directory)
                #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
                #expect(imported.stdout.contains("video.second: imported, id \(video)"), "\(imported.stdout)")
                let adopted = try #require(try await sandbox.projectVideos("adopting").first)
                #expect(adopted.id == video)
                #expect(adopted.title == "Second")
                let again = try await sandbox.streamplan(["import", "video.second", video, "."], in: workspace.directory)
                #expect(again.status == 0)
                #expect(again.stdout.contains("already managed"), "\(again.stdout)")
            }
        }
    }

    @Test("an import block naming an address the manifests do not define is an error at its position")
    func importValidation() async throws {
        try await TestWorkspace.with(project: "adopting") { workspace in
            try workspace.media("intro.mp4", size: 3000)
            try workspace.media("second.mp4", size: 2000, seed: 2)
            try Self.manifest(
                workspace,
                imports: """
                    import:
                      - {to: video.intr, id: abc}
                      - {to: profile.x, id: def}
                    """)
            let result = try await streamplan(["validate", "."], in: workspace.directory)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("import to video.intr: no such video in the manifests; did you mean video.intro?"),
                "\(result.stderr)")
            let yaml = (try? String(contentsOfFile: workspace.directory + "/streamplan.yaml", encoding: .utf8)) ?? ""
            #expect(
                result.stderr.contains("must be video.NAME, live_stream.NAME, live_stream.KEY.streaming.NAME, player.NAME"),
                "\(result.stderr)\n\(yaml)")
            #expect(result.stderr.contains("streamplan.yaml:15:5:"), "\(result.stderr)")
        }
    }
}
