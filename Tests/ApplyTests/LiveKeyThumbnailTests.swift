import AIOZ
import Apply
import Foundation
import Planning
import Providers
import SandboxTesting
import Testing

/// A key of `type` with `thumbnail` (nil: none) and one streaming of `qualities`.
private func radio(type: String? = "audio", thumbnail: String? = "media/cover.png", qualities: String = "360p") -> String {
    var yaml = """
        live_streams:
          radio:
            name: Radio
            save: true

        """
    if let type { yaml += "    type: \(type)\n" }
    if let thumbnail { yaml += "    thumbnail: \(thumbnail)\n" }
    yaml += """
            streamings:
              morning:
                title: Morning show
                qualities: [\(qualities)]

        """
    return yaml
}

@Suite("live key types and thumbnails against the sandbox")
struct LiveKeyThumbnailTests {
    /// The key's thumbnail as the sandbox keeps it (its admin read-back), or nil when it has none.
    func thumbnail(_ world: World, keyID: String) async throws -> [UInt8]? {
        let answer = try await world.sandbox.api.send(.GET, "/_sandbox/live_streams/\(keyID)/thumbnail")
        return answer.status == 200 ? answer.bytes : nil
    }

    @Test("an audio key with a thumbnail and a streaming: created, recorded, then No changes; the qualities then change")
    func audioKeyConverges() async throws {
        try await World.with { world in
            try world.media("cover.png", size: 3000)
            try world.manifest(radio())
            let plan = try await world.livePlan()
            let create = try #require(plan.changes.first { $0.address == "live_stream.radio" })
            #expect(create.action == .create && create.thumbnail == .set)
            #expect(create.attributes.contains(AttributeChange(name: "type", before: nil, after: "audio")))
            try await world.applyLive()
            let registry = try await world.registry()
            let keyID = try #require(registry.id("live_stream.radio"))
            #expect(try await world.client.getLiveStreamKey(id: keyID).type == "audio")
            let cover = try Array(Data(contentsOf: URL(fileURLWithPath: world.directory + "/media/cover.png")))
            #expect(try await thumbnail(world, keyID: keyID) == cover)
            #expect(
                registry.entry(DesiredLiveKey.thumbnailEntry("live_stream.radio")) == "sha256:"
                    + (try world.fileHash("cover.png")))
            #expect(!(try await world.livePlan()).hasChanges)

            // The streaming's qualities change while it is not live: the documented replace.
            try world.manifest(radio(qualities: "360p, 720p"))
            let replace = try await world.livePlan()
            #expect(replace.changes.map(\.action) == [.replace], "\(replace.changes)")
            try await world.applyLive(allowDelete: true)
            #expect(!(try await world.livePlan()).hasChanges)
            // Live: an update in place.
            try await world.broadcast(keyID: keyID, true)
            try world.manifest(radio(qualities: "720p"))
            let update = try await world.livePlan()
            #expect(update.changes.map(\.action) == [.update] && update.changes.first?.fields == [.qualities])
            try await world.applyLive()
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("a new image replaces the thumbnail; dropping it removes it; the registry follows")
    func thumbnailChanges() async throws {
        try await World.with { world in
            try world.media("cover.png", size: 3000)
            try world.media("other.jpg", size: 2000)
            try world.manifest(radio())
            try await world.applyLive()
            let keyID = try #require(try await world.registry().id("live_stream.radio"))

            try world.manifest(radio(thumbnail: "media/other.jpg"))
            let replace = try await world.livePlan()
            let change = try #require(replace.changes.first)
            #expect(replace.changes.count == 1 && change.action == .update && change.fields == [.thumbnail])
            #expect(change.thumbnail == .replace && change.remoteID == keyID)
            try await world.applyLive()
            let other = try Array(Data(contentsOf: URL(fileURLWithPath: world.directory + "/media/other.jpg")))
            #expect(try await thumbnail(world, keyID: keyID) == other)
            #expect(!(try await world.livePlan()).hasChanges)

            try world.manifest(radio(thumbnail: nil))
            let remove = try await world.livePlan()
            #expect(remove.changes.first?.thumbnail == .remove && remove.changes.count == 1)
            try await world.applyLive()
            #expect(try await thumbnail(world, keyID: keyID) == nil)
            #expect(try await world.registry().entry(DesiredLiveKey.thumbnailEntry("live_stream.radio")) == nil)
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }

    @Test("a different type is a replace shown blocked (the stream key would change); omitting type is no change")
    func typeChange() async throws {
        try await World.with { world in
            try world.media("cover.png", size: 3000)
            try world.manifest(radio())
            try await world.applyLive()
            try world.manifest(radio(type: nil))
            #expect(!(try await world.livePlan()).hasChanges)
            try world.manifest(radio(type: "video"))
            let plan = try await world.livePlan()
            let change = try #require(plan.changes.first)
            #expect(plan.changes.count == 1 && change.action == .replace)
            #expect(change.blocked?.contains("give it a new name under live_streams:") == true, "\(change.blocked ?? "")")
            #expect(change.attributes == [AttributeChange(name: "type", before: "audio", after: "video")])
            #expect(!plan.isDestructive)
            let outcomes = try await world.applier().apply(plan)
            #expect(outcomes.allSatisfy { $0.succeeded || $0.address == "live_stream.radio" })
            let keyID = try #require(try await world.registry().id("live_stream.radio"))
            #expect(try await world.client.getLiveStreamKey(id: keyID).type == "audio")

            // What the blocked change says to do: a new name under live_streams: and --allow-delete.
            try world.manifest(radio(type: "video").replacingOccurrences(of: "  radio:", with: "  radio2:"))
            let renamed = try await world.livePlan()
            #expect(
                Set(renamed.changes.map { "\($0.action.rawValue) \($0.address)" })
                    == ["create live_stream.radio2", "create live_stream.radio2.streaming.morning", "delete live_stream.radio"],
                "\(renamed.changes)")
            try await world.applyLive(allowDelete: true)
            let newID = try #require(try await world.registry().id("live_stream.radio2"))
            #expect(try await world.client.getLiveStreamKey(id: newID).type == "video")
            #expect(try await world.client.allLiveStreamKeys().map(\.id) == [newID])
            #expect(!(try await world.livePlan()).hasChanges)
        }
    }
}
