import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Creates made while the account lease settles (`TentativeCreates`): the video and its parts go
/// ahead, but it is no plan's until the lease is confirmed, and a lost lease or a kill never leaves
/// a second video behind.
@Suite(
    "concurrent applies: creates made tentatively while the lease settles", .gated, .serialized, .eachGeneration,
    .namingGeneration)
struct ConcurrentTentativeCreateTests {
    static let project = "tentative"

    /// A project of one video (`video.clip`, 2 MiB of noise behind an MP4 signature: 33 parts of 64 KiB).
    static func workspace() throws -> (directory: String, source: Data) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tentative-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/manifests/media", withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<(2 * 1024 * 1024 + 100)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.replaceSubrange(0..<12, with: [0, 0, 0, 0x18] + Array("ftypisom".utf8))
        let source = Data(bytes)
        try source.write(to: URL(fileURLWithPath: directory + "/manifests/media/clip.mp4"))
        try """
        project: \(project)
        videos:
          clip:
            title: Made during the settle
            source: media/clip.mp4
        """.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
        return (directory, source)
    }

    static let environment = ["STREAMPLAN_MIN_PART_SIZE": "65536", "STREAMPLAN_PART_SIZE": "65536"]

    /// The videos created tentatively under the project's lease (not yet, or never, the project's).
    static func tentatives(_ sandbox: TestSandbox) async throws -> [Video] {
        var query = VideoListQuery()
        query.metadata = [MetadataPair(key: "streamplan.tentative_lease", value: project)]
        return try await sandbox.client.allVideos(query)
    }

    static func addresses(_ sandbox: TestSandbox) async throws -> [String] {
        try await sandbox.projectVideos(project).compactMap { $0.metadata.first { $0.key == "streamplan.address" }?.value }
    }

    @Test(
        "a lease lost during the settle: the tentative video, parts sent, is deleted; nothing is left", .timeLimit(.minutes(10)))
    func lostLease() async throws {
        let (directory, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestSandbox.with(minimumPartSize: 65_536) { sandbox in
            let environment = Self.environment.merging(["STREAMPLAN_LEASE_SETTLE_MS": "20000"]) { _, new in new }
            let apply = try sandbox.start(["apply", "--auto-approve", "manifests"], in: directory, environment: environment)
            var made: [Video] = []
            let deadline = Date().addingTimeInterval(300)
            while made.isEmpty && apply.process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
                made = try await Self.tentatives(sandbox)
            }
            #expect(made.count == 1, "the create starts before the confirmation")
            #expect(try await Self.addresses(sandbox).isEmpty, "a tentative video is none of the project's")
            // Another apply's claim, written over this one's before its confirmation.
            var query = VideoListQuery()
            query.metadata = [MetadataPair(key: "streamplan.lease", value: Self.project)]
            let lease = try #require(try await sandbox.client.allVideos(query).first)
            var update = VideoUpdateRequest()
            update.metadata =
                lease.metadata.filter { !$0.key.hasPrefix("streamplan.lease_") } + [
                    MetadataPair(key: "streamplan.lease_holder", value: "ci on runner-3, pid 12 (streamplan apply)"),
                    MetadataPair(key: "streamplan.lease_token", value: "the-later-writer"),
                    MetadataPair(key: "streamplan.lease_expires", value: String(Int(Date().timeIntervalSince1970) + 600)),
                    MetadataPair(key: "streamplan.lease_process", value: "runner-3 12 999"),
                ]
            try await sandbox.client.updateVideo(id: lease.id, update)
            let result = await apply.finished()
            #expect(result.status == 4, "\(result.stderr)")
            #expect(try await Self.tentatives(sandbox).isEmpty, "the loser deletes what it created tentatively")
            #expect(try await Self.addresses(sandbox).isEmpty)
        }
    }

    @Test(
        "killed during the settle: the next apply takes the lease over, adopts the tentative video and resumes it",
        .timeLimit(.minutes(10)))
    func killedDuringSettle() async throws {
        let (directory, source) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestSandbox.with(minimumPartSize: 65_536) { sandbox in
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: directory,
                environment: Self.environment.merging([
                    "STREAMPLAN_LEASE_SETTLE_MS": "60000", "STREAMPLAN_CRASH_AT": "mid-part:3",
                ]) {
                    _, new in new
                })
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
            #expect(try await Self.tentatives(sandbox).count == 1)
            #expect(try await Self.addresses(sandbox).isEmpty)
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: directory,
                environment: Self.environment.merging(["STREAMPLAN_LEASE_SETTLE_MS": "0"]) { _, new in new })
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stderr.contains("taking over the lease on the account"), "\(again.stderr)")
            #expect(again.stdout.contains("will be resumed"), "\(again.stdout)")
            #expect(try await Self.tentatives(sandbox).isEmpty)
            let videos = try await sandbox.projectVideos(Self.project)
            #expect(videos.count == 1)
            let (status, body) = try await TestSandbox.download(try #require(videos.first?.assets?.sourceURL))
            #expect(status == 200)
            #expect(TestMedia.sha256(body) == TestMedia.sha256(source))
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: directory)
            #expect(plan.status == 0, "\(plan.stdout)")
        }
    }

    @Test(
        "a tentative video of another claim is deleted by the next confirmed apply, which creates its own",
        .timeLimit(.minutes(10)))
    func foreignRemoved() async throws {
        let (directory, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestSandbox.with(minimumPartSize: 65_536) { sandbox in
            let left = try await sandbox.client.createVideo(
                VideoCreateRequest(
                    title: "Made during the settle", isPublic: false,
                    metadata: [
                        MetadataPair(key: "streamplan.tentative_lease", value: Self.project),
                        MetadataPair(key: "streamplan.tentative_token", value: "an-apply-that-lost"),
                        MetadataPair(key: "streamplan.address", value: "video.clip"),
                    ]))
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: directory,
                environment: Self.environment.merging(["STREAMPLAN_LEASE_SETTLE_MS": "0"]) { _, new in new })
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("will be created"), "\(apply.stdout)")
            #expect(apply.stderr.contains("deleted 1 unfinished video(s)"), "\(apply.stderr)")
            #expect(try await Self.tentatives(sandbox).isEmpty)
            #expect(try await Self.addresses(sandbox) == ["video.clip"])
            #expect(try await sandbox.client.allVideos(VideoListQuery()).allSatisfy { $0.id != left.id })
        }
    }

    @Test(
        "on a service that keeps the metadata entries a PATCH leaves out, a video made real keeps the claim's marks and no later apply deletes it",
        .timeLimit(.minutes(10)))
    func keptMarks() async throws {
        let (directory, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SandboxConfiguration()
        configuration.keepsClearedValues = true
        try await TestSandbox.with(configuration, minimumPartSize: 65_536) { sandbox in
            let environment = Self.environment.merging(["STREAMPLAN_LEASE_SETTLE_MS": "1500"]) { _, new in new }
            let first = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: directory, environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            let made = try #require(try await sandbox.projectVideos(Self.project).first)
            // The confirmation's PATCH left the claim's marks out; this service kept them.
            #expect(try await Self.tentatives(sandbox).map(\.id) == [made.id])

            let manifest = directory + "/manifests/streamplan.yaml"
            let text = try String(contentsOfFile: manifest, encoding: .utf8)
            try text.replacingOccurrences(of: "title: Made during the settle", with: "title: Renamed later")
                .write(toFile: manifest, atomically: true, encoding: .utf8)
            let second = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: directory, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(!second.stderr.contains("unfinished video"), "\(second.stderr)")
            #expect(second.stdout.contains("~ video.clip"), "\(second.stdout)")
            let videos = try await sandbox.projectVideos(Self.project)
            #expect(videos.map(\.id) == [made.id], "the video made real is still the project's, under its id")
            #expect(videos.first?.title == "Renamed later")
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: directory)
            #expect(plan.status == 0, "\(plan.stdout)")
        }
    }
}
