import Foundation
import Sandbox
import SandboxTesting
import Synchronization
import TestSupport
import Testing

/// The requests of a create with a thumbnail, in order: the thumbnail beside the part, both before the
/// one `PATCH` of the marks (its mark with the source's), then `complete`: no `PATCH` after `complete`.
@Suite("the requests of a create", .gated, .eachGeneration, .namingGeneration)
struct CreateRequestsTests {
    @Test("a create with a thumbnail: create, part beside thumbnail, one PATCH of every mark, complete")
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
                // beside its parts (TentativeCreates), then the thumbnail. Any other create sends its
                // part and its thumbnail side by side, in either order. Then the marks, complete.
                let made = shapes.first == "PATCH /api/videos/ID" ? 1 : 0
                let sides = Set(shapes.dropFirst(made).prefix(2))
                #expect(
                    (sides == ["POST /api/videos/ID/part", "POST /api/videos/ID/thumbnail"] && shapes.count == made + 4)
                        || Array(shapes) == [
                            "POST /api/videos/ID/part", "PATCH /api/videos/ID", "POST /api/videos/ID/thumbnail",
                            "PATCH /api/videos/ID", "GET /api/videos/ID/complete",
                        ], "\(requests)")
                #expect(shapes.suffix(2) == ["PATCH /api/videos/ID", "GET /api/videos/ID/complete"], "\(requests)")
                let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(plan.stdout)")
            }
        }
    }
    @Test("the thumbnail goes beside the parts: with every part's answer held 3 s, a create's thumbnail is answered first")
    func thumbnailBesideParts() async throws {
        try await TestWorkspace.with(project: "beside") { workspace in
            try FileManager.default.copyItem(
                atPath: packageRoot + "/manifests/media/lesson-1.png", toPath: workspace.directory + "/media/cover.png")
            // Three videos: at most two creates are tentative (their parts go while the lease settles,
            // their thumbnail after them), so at least one is an ordinary create.
            var manifest = "videos:\n"
            for index in 0..<3 {
                try workspace.media("clip-\(index).mp4", size: 3000 + index)
                manifest += "  clip-\(index):\n    title: Clip \(index)\n    source: media/clip-\(index).mp4\n"
                manifest += "    thumbnail: media/cover.png\n"
            }
            try workspace.manifest(manifest)
            let log = RequestLog()
            var configuration = log.configuration
            // Held before it is handled, and recorded when answered: a thumbnail sent after its video's
            // part was answered is recorded after it; one sent beside it, 3 s before it.
            configuration.faults = FaultConfiguration(
                rate: 1, kinds: [.latency], pathPrefixes: ["POST /videos/:id/part"], latencyMilliseconds: 3000)
            try await TestSandbox.with(configuration) { sandbox in
                let start = log.count
                let apply = try await sandbox.streamplan(
                    ["apply", "--auto-approve", "."], in: workspace.directory,
                    environment: ["STREAMPLAN_LEASE_SETTLE_MS": "0"])
                #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
                let exchanges = log.entries.withLock { Array($0[start...]) }
                var ordinary = 0
                for video in try await sandbox.projectVideos("beside") {
                    let marks = Dictionary(video.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                    #expect(marks["streamplan.thumbnail_sha256"]?.count == 64, "\(marks)")
                    let created = exchanges.first { exchange in
                        exchange.method == "POST" && (exchange.path.hasSuffix("/create") || exchange.path == "/api/videos")
                            && exchange.responseBody.flatMap { Data(base64Encoded: $0) }
                                .map { String(decoding: $0, as: UTF8.self).contains(video.id) } == true
                    }
                    let body = created?.requestBody.flatMap { Data(base64Encoded: $0) }.map {
                        String(decoding: $0, as: UTF8.self)
                    }
                    if body?.contains("streamplan.tentative_lease") != false { continue }
                    ordinary += 1
                    let own = exchanges.filter { $0.method == "POST" && $0.path.contains("/\(video.id)/") }.map {
                        $0.path.components(separatedBy: "/").last ?? ""
                    }
                    #expect(own == ["thumbnail", "part"], "\(video.id): \(own)")
                }
                #expect(ordinary >= 1)
            }
        }
    }
}
