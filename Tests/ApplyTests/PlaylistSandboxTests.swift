import AIOZ
import Apply
import Foundation
import Planning
import Providers
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("playlists against the sandbox")
struct PlaylistSandboxTests {
    @Test("a playlist of 30 videos reordered a few ways converges in one apply each, with the planned moves only")
    func reorders() async throws {
        try await World.with { world in
            for index in 0..<30 { try world.media("v\(index).mp4", size: 500, seed: UInt8(index + 1)) }
            func manifest(_ order: [Int]) throws {
                var yaml = "videos:\n"
                for index in 0..<30 { yaml += "  v\(index): {title: V\(index), source: media/v\(index).mp4}\n" }
                yaml += "playlists:\n  course:\n    videos: [" + order.map { "v\($0)" }.joined(separator: ", ") + "]\n"
                try world.manifest(yaml)
            }
            var order = Array(0..<30)
            try manifest(order)
            try await world.apply()
            var generator = SplitMix64(state: 99)
            for round in 0..<4 {
                let previous = order
                order.shuffle(using: &generator)
                if round == 1 { order = previous.reversed() }
                try manifest(order)
                let plan = try await world.plan()
                #expect(plan.changes.map(\.address.description) == ["playlist.course"], "round \(round)")
                let moves = plan.changes.first?.attributes.filter { $0.name.hasPrefix("moved ") }.count ?? -1
                let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
                #expect(moves == 30 - lisLength(previous.map { position[$0]! }) && moves <= 30, "round \(round)")
                try await world.apply()
                let again = try await world.plan()
                #expect(!again.hasChanges, "round \(round): \(again.changes.map(\.address))")
                let titles = Dictionary(try await world.remoteVideos().map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
                let playlist = try #require(
                    try await world.client.allPlaylists(
                        PlaylistListQuery(metadata: [MetadataPair(key: "streamplan.project", value: world.project)])
                    ).first)
                #expect(playlist.items.map { titles[$0.videoID] ?? "?" } == order.map { "V\($0)" }, "round \(round)")
            }
        }
    }
}
