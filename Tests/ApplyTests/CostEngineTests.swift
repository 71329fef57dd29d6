import Apply
import Foundation
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import TestSupport
import Testing

/// The cost step of the engine, without HTTP: probes cached with the hashes, and a provider that has
/// no prices (the in-memory one) giving "unknown" with the reason, never a figure.
@Suite("Cost in the engine")
struct CostEngineTests {
    static let media = packageRoot + "/Tests/Fixtures/media/"

    @Test("the probe is cached beside the hash (path, size, mtime, inode): an unchanged source is probed once")
    func probeCache() async throws {
        try await TestWorkspace.with { workspace in
            let file = workspace.directory + "/clip.mov"
            try FileManager.default.copyItem(atPath: Self.media + "clip-3s-160x120.mov", toPath: file)
            let cache = workspace.stateDirectory + "/hash-cache.json"
            let first = ContentHasher(cachePath: cache)
            let hash = try await first.sha256(of: file)
            let probe = await first.probe(of: file)
            #expect(probe.durationSeconds == 3 && probe.width == 160 && probe.height == 120)
            #expect(await first.filesProbed == 1)
            try await first.save()
            let stored = try String(contentsOfFile: cache, encoding: .utf8)
            #expect(stored.contains("\"duration_seconds\":3"), "\(stored)")

            let second = ContentHasher(cachePath: cache)
            #expect(await second.probe(of: file) == probe)
            #expect(try await second.sha256(of: file) == hash)
            #expect(await second.filesProbed == 0)
            #expect(await second.filesRead == 0)

            // Another file under the same name: probed (and hashed) again.
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.copyItem(atPath: Self.media + "clip-2s-320x240.mp4", toPath: file)
            #expect(await second.probe(of: file).width == 320)
            #expect(await second.filesProbed == 1)
            #expect(try await second.sha256(of: file) != hash)
        }
    }

    @Test("a provider without prices: every video's cost is unknown with the reason, and nothing refuses")
    func noPricing() async throws {
        try await TestWorkspace.with { workspace in
            try FileManager.default.createDirectory(atPath: workspace.directory + "/media", withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: Self.media + "clip-2s-320x240.mp4", toPath: workspace.directory + "/media/clip.mp4")
            try workspace.media("fake.mp4", size: 5_000)
            try workspace.manifest(
                """
                videos:
                  real:
                    title: Real
                    source: media/clip.mp4
                  fake:
                    title: Not really media
                    source: media/fake.mp4

                """)
            let provider = InMemoryProvider()
            let applier = Applier(
                provider: provider, project: workspace.project,
                options: ApplyOptions(stateDirectory: workspace.stateDirectory))
            let plan = try await applier.plan(try workspace.load())
            let cost = try #require(await applier.cost(of: plan, maxCost: nil))
            let byAddress = Dictionary(uniqueKeysWithValues: cost.items.map { ($0.address, $0) })
            #expect(byAddress["video.real"]?.unknownReason == "the in-memory provider gives no prices")
            #expect(byAddress["video.real"]?.durationSeconds.map { abs($0 - 2) < 0.05 } == true)
            #expect(byAddress["video.fake"]?.unknownReason?.hasPrefix("media/fake.mp4: ") == true)
            #expect(cost.total == 0 && !cost.complete)
            #expect(cost.balance == nil && cost.balanceUnknownReason == "the in-memory provider does not tell it")
            #expect(cost.refusals.isEmpty)
            // Nothing to transcode, nothing to price.
            #expect(await applier.cost(of: Plan(project: workspace.project, changes: [])) == nil)

            // A plan whose attached cost refuses is never started by the engine either.
            var refused = plan
            refused.cost = PlanCost(
                items: [
                    PlanCost.Item(
                        address: "video.real", action: .create, qualities: ["720p"], serverDefaultQualities: false,
                        durationSeconds: 2, price: 5, unknownReason: nil)
                ], balance: 1, balanceUnknownReason: nil, maxCost: nil, service: "the in-memory provider")
            await #expect(throws: ApplyError.self) { try await applier.apply(refused) }
            #expect(await provider.allVideos.isEmpty)
        }
    }
}
