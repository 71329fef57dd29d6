import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// AIOZ Stream's two generations of the video API (`/videos`, 2025; `/media`, 2026) over one account.
@Suite("--api videos|media|auto", .gated, .serialized)
struct APIGenerationTests {
    @Test("apply through /videos, then plans through /media and auto see the same account: No changes")
    func bothGenerations() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let apply = try await streamplan(["apply", "--sandbox", "--auto-approve", "--api", "videos", "manifests"], in: copy.path)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete: 13 of 13 changes made."))
        for api in ["media", "auto", "videos"] {
            let plan = try await streamplan(
                ["plan", "--sandbox", "--detailed-exitcode", "--api", api, "manifests"], in: copy.path)
            #expect(plan.status == 0, "\(api): \(plan.stdout)\(plan.stderr)")
        }
        let viaEnvironment = try await streamplan(
            ["plan", "--sandbox", "--detailed-exitcode", "manifests"], in: copy.path, environment: ["STREAMPLAN_API": "media"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        let bad = try await streamplan(["plan", "--sandbox", "--api", "v3", "manifests"], in: copy.path)
        #expect(
            bad.status == 64 && bad.stderr.contains("--api (or STREAMPLAN_API) must be auto, videos or media"), "\(bad.stderr)")
    }

    @Test("apply through /media creates what a /videos plan then finds unchanged")
    func mediaFirst() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let apply = try await streamplan(["apply", "--sandbox", "--auto-approve", "--api", "media", "manifests"], in: copy.path)
        #expect(apply.status == 0, "\(apply.stderr)")
        let plan = try await streamplan(
            ["plan", "--sandbox", "--detailed-exitcode", "--api", "videos", "manifests"], in: copy.path)
        #expect(plan.status == 0, "\(plan.stdout)")
    }

    @Test("against a server without /media, auto falls back to /videos; --api media fails with the 404")
    func olderServer() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        var configuration = SandboxConfiguration()
        configuration.servesMedia = false
        try await TestSandbox.with(configuration, minimumPartSize: 16_384) { sandbox in
            let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--api", "auto", "manifests"], in: copy.path, environment: environment)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stdout.contains("Apply complete: 13 of 13 changes made."))
            let media = try await sandbox.streamplan(["plan", "--api", "media", "manifests"], in: copy.path)
            #expect(media.status == 1)
            #expect(media.stderr.contains("404"), "\(media.stderr)")
        }
    }
}
