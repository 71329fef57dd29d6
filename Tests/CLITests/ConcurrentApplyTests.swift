import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// Two applies of one project at once, from different state directories (as two CI runners would).
@Suite("concurrent applies and the lease on the account", .gated, .serialized, .eachGeneration, .namingGeneration)
struct ConcurrentApplyTests {
    /// Two copies of the examples, each with its own state directory.
    func twoCopies() throws -> (ExampleCopy, ExampleCopy) { (try ExampleCopy(), try ExampleCopy()) }

    @Test(
        "two applies at once: one runs, the other exits 4 naming the holder; the account ends with one of each",
        .timeLimit(.minutes(10)))
    func race() async throws {
        let (a, b) = try twoCopies()
        defer {
            a.remove()
            b.remove()
        }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let environment = [
                "STREAMPLAN_LEASE_SETTLE_MS": "1500", "STREAMPLAN_MIN_PART_SIZE": "16384",
                "STREAMPLAN_PART_SIZE": "16384",
            ]
            let first = try sandbox.start(["apply", "--auto-approve", "manifests"], in: a.path, environment: environment)
            let second = try sandbox.start(["apply", "--auto-approve", "manifests"], in: b.path, environment: environment)
            let results = [await first.finished(), await second.finished()]
            let statuses = results.map(\.status).sorted()
            #expect(statuses == [0, 4], "\(results.map { $0.stderr })")
            let refused = try #require(results.first { $0.status == 4 })
            #expect(refused.stderr.contains("another apply of this project holds the lease on the account"), "\(refused.stderr)")
            #expect(refused.stderr.contains("(streamplan apply)"))
            let plan = try await sandbox.streamplan(["plan", "--detailed-exitcode", "manifests"], in: a.path)
            #expect(plan.status == 0, "\(plan.stdout)")
            let videos = try await sandbox.projectVideos("northwind-academy")
            let addresses = videos.compactMap { $0.metadata.first { $0.key == "streamplan.address" }?.value }
            #expect(addresses.count == Set(addresses).count && addresses.count == 4, "\(addresses)")
            #expect(try await sandbox.client.allLiveStreamKeys().count == 1)
            // The loser's creates made during its settle were deleted (by it, or by the winner).
            #expect(try await Self.tentatives(sandbox).isEmpty)
        }
    }

    /// Videos created before a confirmation that never became the project's (`TentativeCreates`).
    static func tentatives(_ sandbox: TestSandbox) async throws -> [Video] {
        var query = VideoListQuery()
        query.metadata = [MetadataPair(key: "streamplan.tentative_lease", value: "northwind-academy")]
        return try await sandbox.client.allVideos(query)
    }

    @Test("a lease held from another host stops an apply (exit 4) until --break-lock")
    func foreignLease() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with { sandbox in
            let expires = Int(Date().timeIntervalSince1970) + 600
            let lease = try await sandbox.client.createVideo(
                VideoCreateRequest(
                    title: "streamplan lease of project northwind-academy; do not delete", isPublic: false,
                    metadata: [
                        MetadataPair(key: "streamplan.lease", value: "northwind-academy"),
                        MetadataPair(key: "streamplan.lease_holder", value: "ci on runner-9, pid 77 (streamplan apply)"),
                        MetadataPair(key: "streamplan.lease_token", value: "someone-else"),
                        MetadataPair(key: "streamplan.lease_expires", value: String(expires)),
                        MetadataPair(key: "streamplan.lease_process", value: "runner-9 77 12345"),
                    ]))
            let refused = try await sandbox.streamplan(["apply", "--auto-approve", "manifests"], in: copy.path)
            #expect(refused.status == 4)
            #expect(refused.stderr.contains("held by") || refused.stderr.contains("ci on runner-9, pid 77"), "\(refused.stderr)")
            #expect(
                try await sandbox.projectVideos("northwind-academy").isEmpty, "nothing may be created while the lease is held")
            let broken = try await sandbox.streamplan(["apply", "--auto-approve", "--break-lock", "manifests"], in: copy.path)
            #expect(broken.status == 0, "\(broken.stderr)")
            #expect(broken.stderr.contains("warning: breaking the lease on the account held by ci on runner-9"))
            // Released at the end: the lease video stays, without a holder.
            let after = try await sandbox.client.getVideo(id: lease.id)
            #expect(after.metadata.first { $0.key == "streamplan.lease_token" }?.value == "")
        }
    }

    /// The lease video of the examples' project and its token, once an apply has claimed it.
    static func leaseToken(_ sandbox: TestSandbox) async throws -> (video: Video, token: String)? {
        var query = VideoListQuery()
        query.metadata = [MetadataPair(key: "streamplan.lease", value: "northwind-academy")]
        guard let video = try await sandbox.client.allVideos(query).first else { return nil }
        return (video, video.metadata.first { $0.key == "streamplan.lease_token" }?.value ?? "")
    }

    @Test(
        "the lease is claimed before the plan and confirmed before the first change: a no-change apply never waits for the settle",
        .timeLimit(.minutes(10)))
    func noChangeSkipsSettle() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with { sandbox in
            #expect(try await sandbox.streamplan(["apply", "--auto-approve", "manifests"], in: copy.path).status == 0)
            // Ten minutes of settle: an apply that waited for it would outlive the test's limit.
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: ["STREAMPLAN_LEASE_SETTLE_MS": "600000"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("No changes."), "\(again.stdout)")
            let lease = try #require(try await Self.leaseToken(sandbox))
            #expect(lease.token == "", "the claim is released when there is nothing to do")
        }
    }

    @Test(
        "another holder's token written during the settle wins: the apply that planned meanwhile exits 4 and leaves nothing",
        .timeLimit(.minutes(10)))
    func overwrittenDuringSettle() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        try await TestSandbox.with { sandbox in
            let apply = try sandbox.start(
                ["apply", "--auto-approve", "manifests"], in: copy.path, environment: ["STREAMPLAN_LEASE_SETTLE_MS": "10000"])
            // Wait for the claim (the apply's token on the lease), then write another apply's token over it.
            var claimed: (video: Video, token: String)?
            while claimed == nil {
                if let lease = try await Self.leaseToken(sandbox), !lease.token.isEmpty {
                    claimed = lease
                } else {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let lease = try #require(claimed)
            let expires = Int(Date().timeIntervalSince1970) + 600
            var metadata = lease.video.metadata.filter { !$0.key.hasPrefix("streamplan.lease_") }
            metadata += [
                MetadataPair(key: "streamplan.lease_holder", value: "ci on runner-3, pid 12 (streamplan apply)"),
                MetadataPair(key: "streamplan.lease_token", value: "the-later-writer"),
                MetadataPair(key: "streamplan.lease_expires", value: String(expires)),
                MetadataPair(key: "streamplan.lease_process", value: "runner-3 12 999"),
            ]
            var update = VideoUpdateRequest()
            update.metadata = metadata
            try await sandbox.client.updateVideo(id: lease.video.id, update)
            let result = await apply.finished()
            #expect(result.status == 4, "\(result.stderr)")
            #expect(result.stderr.contains("ci on runner-3, pid 12"), "\(result.stderr)")
            #expect(
                try await sandbox.projectVideos("northwind-academy").isEmpty,
                "nothing becomes the project's before the lease is confirmed")
            #expect(try await Self.tentatives(sandbox).isEmpty, "the creates made during the settle were deleted")
            #expect(try await sandbox.client.allLiveStreamKeys().isEmpty)
            #expect(try await Self.leaseToken(sandbox)?.token == "the-later-writer", "the winner's lease is left alone")
        }
    }
}
