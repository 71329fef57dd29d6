import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import Testing

@Suite("Live streams over loopback")
struct LiveStreamIntegrationTests {
    @Test("live stream keys: create, list with paging, get, update, delete")
    func keys() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let key = try await client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: "studio", save: true))
            #expect(key.name == "studio" && key.save && !key.streamKey.isEmpty)
            #expect(!key.description.contains(key.streamKey))
            for number in 0..<4 { _ = try await client.createLiveStreamKey(.init(name: "extra \(number)")) }
            let page = try await client.listLiveStreamKeys(LiveStreamKeyListQuery(limit: 2))
            #expect(page.liveStreamKeys.count == 2 && page.total == 5)
            #expect(try await client.allLiveStreamKeys().count == 5)
            let updated = try await client.updateLiveStreamKey(id: key.id, LiveStreamKeyUpdateRequest(name: "studio 2"))
            #expect(updated.name == "studio 2" && updated.save)
            #expect(try await client.getLiveStreamKey(id: key.id).name == "studio 2")
            try await client.deleteLiveStreamKey(id: key.id)
            let error = await #expect(throws: AIOZError.self) { try await client.getLiveStreamKey(id: key.id) }
            #expect(error?.code == .notFound && error?.description.contains("live stream key \(key.id)") == true)
        }
    }

    @Test("streamings under a key: create, list, get, update, delete; saved recordings list")
    func streamings() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let key = try await client.createLiveStreamKey(.init(name: "show", save: true))
            let streaming = try await client.createStreaming(
                liveStreamKeyID: key.id, StreamingCreateRequest(title: "episode 1", save: true, qualities: ["360p", "720p"]))
            #expect(streaming.title == "episode 1" && streaming.qualities == ["360p", "720p"])
            let listed = try await client.listStreamings(liveStreamKeyID: key.id)
            #expect(listed.streamings.map(\.id) == [streaming.id] && listed.total == 1)
            try await client.updateStreaming(liveStreamKeyID: key.id, StreamingUpdateRequest(title: "episode one", save: false))
            let fetched = try await client.getStreaming(liveStreamKeyID: key.id, streamingID: streaming.id)
            #expect(fetched.title == "episode one" && !fetched.save)
            let recordings = try await client.listSavedRecordings(liveStreamKeyID: key.id, SavedRecordingQuery(search: ""))
            #expect(recordings.total == recordings.streamings.count)
            try await client.deleteStreaming(liveStreamKeyID: key.id, streamingID: streaming.id)
            #expect(try await client.listStreamings(liveStreamKeyID: key.id).streamings.isEmpty)
        }
    }
}
