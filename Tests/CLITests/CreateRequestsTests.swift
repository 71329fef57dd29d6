import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The requests of a create with a thumbnail, in order: the thumbnail before the one `PATCH` of the
/// marks (its mark with the source's), then `complete`: no `PATCH` after `complete`.
@Suite("the requests of a create", .gated, .eachGeneration, .namingGeneration)
struct CreateRequestsTests {
    @Test("a create with a thumbnail: create, part, thumbnail, one PATCH of every mark, complete")
    func createWithThumbnail() async throws {
        try await TestWorkspace.with(project: "requests") { workspace in
            try workspace.media("intro.mp4", size: 4000)
            try FileManager.default.copyItem(
                atPath: packageRoot + "/manifests/media/lesson-1.png", toPath: workspace.directory + "/media/cover.png")
            try workspace.manifest(
                """
                videos:
                  intro:
                    title: Intro
                    source: media/intro.mp4
                    thumbnail: media/cover.png
                """)
            let log = RequestLog()
            try await TestSandbox.with(log.configuration) { sandbox in
                let start = log.count
                let apply = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "."], in: workspace.directory,
                    environment: ["STREAMPLAN_LEASE_SETTLE_MS": "0"])
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                let video = try #require(try await sandbox.projectVideos("requests").first)
                let marks = Dictionary(video.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                #expect(marks["streamplan.thumbnail_sha256"]?.count == 64, "\(marks)")
                #expect(marks["streamplan.source_sha256"]?.count == 64, "\(marks)")
                let requests = log.lines(from: start)
                let own = requests.filter { $0.contains("/\(video.id)") && !$0.hasPrefix("GET") || $0.hasSuffix("/complete") }
                let shapes = own.map { line in
                    line.replacingOccurrences(of: video.id, with: "ID")
                        .replacingOccurrences(of: "/api/media/", with: "/api/videos/")
                }
                // A create started during the lease's settle is tentative: one PATCH makes it real,
                // beside its parts (TentativeCreates). Then the thumbnail, the marks, complete.
                let made = shapes.first == "PATCH /api/videos/ID" ? 1 : 0
                #expect(
                    Array(shapes.dropFirst(made)) == [
                        "POST /api/videos/ID/part", "POST /api/videos/ID/thumbnail", "PATCH /api/videos/ID",
                        "GET /api/videos/ID/complete",
                    ]
                        || Array(shapes) == [
                            "POST /api/videos/ID/part", "PATCH /api/videos/ID", "POST /api/videos/ID/thumbnail",
                            "PATCH /api/videos/ID", "GET /api/videos/ID/complete",
                        ], "\(requests)")
                #expect(
                    shapes.suffix(3) == ["POST /api/videos/ID/thumbnail", "PATCH /api/videos/ID", "GET /api/videos/ID/complete"])
                let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stdout)")
            }
        }
    }
}
