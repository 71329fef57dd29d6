import Crypto
import Foundation
public import Manifest
public import Providers

/// A fake of the provider protocol, in memory: the engine's ordering, crash points and lost answers
/// are tested against it without HTTP (HTTP behaviour stays tested against the sandbox).
///
/// Every call is logged (`calls`), and `inject` makes a chosen call fail: before it takes effect,
/// or after (a lost answer: the object exists but the caller never hears of it).
public actor InMemoryProvider: Provider {
    /// One logged call: its operation and the object it names.
    public struct Call: Sendable, Hashable, CustomStringConvertible {
        public var operation: Operation
        public var subject: String
        public var description: String { "\(operation.rawValue) \(subject)" }
    }

    public enum Operation: String, Sendable, Hashable {
        case listVideos, getVideo, createVideo, updateVideo, deleteVideo, uploadChunk, finishUpload, setThumbnail,
            removeThumbnail
        case listKeys, getKey, createKey, updateKey, deleteKey, setKeyThumbnail, removeKeyThumbnail
        case listStreamings, createStreaming, updateStreaming, deleteStreaming, listRecordings
        case listRestreams, addRestreams, removeRestreams
        case listTextTracks, uploadTextTrack, deleteTextTrack, setDefaultCaption
        case listWebhooks, getWebhook, createWebhook, updateWebhook, deleteWebhook, checkWebhook
        case listPlaylists, getPlaylist, createPlaylist, updatePlaylist, deletePlaylist, removePlaylistThumbnail,
            addPlaylistItem, movePlaylistItem, removePlaylistItem
        case listPlayers, getPlayer, createPlayer, updatePlayer, deletePlayer, uploadLogo, deleteLogo, addPlayer, removePlayer
    }

    /// How an injected failure behaves.
    public enum Failure: Sendable {
        /// The call fails and changes nothing.
        case refused
        /// The call takes effect, but its answer is lost (`outcomeUnknown`).
        case lostAnswer
        /// The call's answer is lost (`outcomeUnknown`) and it did not take effect.
        case lostRequest
        /// The process "dies" just before the call: it fails with `Crash` and changes nothing.
        case crash
    }

    /// What an injected failure throws.
    public struct FakeError: ProviderError {
        public var failure: RemoteFailure
        public var description: String
    }

    /// Thrown at a crash point: the apply stops there, as a killed process would.
    public struct Crash: Error, CustomStringConvertible {
        public var description: String { "crashed (injected)" }
    }

    struct StoredVideo {
        var video: RemoteVideo
        var created: Int
        var chunks: [Int: ChunkReceipt] = [:]
        var thumbnail: String?
    }

    struct StoredKey {
        var key: RemoteLiveKey
        var streamings: [RemoteStreaming] = []
        var restreams: [String] = []
        /// The path of the thumbnail image last uploaded.
        var thumbnail: String?
    }

    public private(set) var calls: [Call] = []
    var videos: [String: StoredVideo] = [:]
    /// Captions and chapters: video id → kind → language → (the file's SHA-256, default).
    var textTrackStore: [String: [TextTrackKind: [String: (sha256: String, isDefault: Bool)]]] = [:]
    var keys: [String: StoredKey] = [:]
    /// Webhooks by id (InMemoryProvider+Webhooks.swift).
    var hooks: [String: RemoteWebhook] = [:]
    /// Every webhook update's body, in order.
    public internal(set) var webhookPatches: [WebhookPatch] = []
    /// The ids `checkWebhook` was called for, in order.
    public internal(set) var checkedWebhooks: [String] = []
    var storedPlaylists: [String: RemotePlaylist] = [:]
    /// Player themes by id (InMemoryProvider+Players.swift).
    var players: [String: RemotePlayer] = [:]
    /// Every player update's body, in order.
    public internal(set) var playerUpdates: [PlayerWrite] = []
    private var injected: [(Operation, Int, Failure)] = []
    private var sequence = 0
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)

    /// Moves the provider's clock (creation times) forward.
    public func shiftClock(by seconds: TimeInterval) { clock = clock.addingTimeInterval(seconds) }

    public init() {}

    public nonisolated var serviceName: String { "the in-memory provider" }

    /// Makes the `nth` (from 1) future call of `operation` fail as `failure`: counted from now, not
    /// from the start of the call log.
    public func inject(_ failure: Failure, on operation: Operation, nth: Int = 1) {
        injected.append((operation, count(of: operation) + nth, failure))
    }

    private func count(of operation: Operation) -> Int { calls.filter { $0.operation == operation }.count }

    /// Forgets the call log (not the objects).
    public func resetCalls() { calls = [] }

    /// Every video, including ones without marks.
    public var allVideos: [RemoteVideo] { videos.values.sorted { $0.created < $1.created }.map(\.video) }
    public var allKeys: [RemoteLiveKey] { keys.values.map(\.key).sorted { $0.id < $1.id } }
    public func streamingsOf(_ keyID: String) -> [RemoteStreaming] { keys[keyID]?.streamings ?? [] }
    /// The chunks a video received, by index.
    public func receivedChunks(_ videoID: String) -> Int { videos[videoID]?.chunks.count ?? 0 }

    /// Marks a streaming as broadcasting (an encoder pushing) or not.
    public func setBroadcasting(keyID: String, streamingID: String, _ on: Bool) {
        guard let index = keys[keyID]?.streamings.firstIndex(where: { $0.id == streamingID }) else { return }
        keys[keyID]!.streamings[index].state = on ? .broadcasting : .created
    }

    // MARK: Bookkeeping

    /// Logs the call and applies an injected failure that strikes before the call takes effect.
    func enter(_ operation: Operation, _ subject: String) throws -> Failure? {
        calls.append(Call(operation: operation, subject: subject))
        let count = count(of: operation)
        guard let index = injected.firstIndex(where: { $0.0 == operation && $0.1 == count }) else { return nil }
        let failure = injected.remove(at: index).2
        switch failure {
        case .crash: throw Crash()
        case .refused: throw FakeError(failure: .other, description: "\(operation.rawValue) \(subject) refused (injected)")
        case .lostRequest:
            throw FakeError(failure: .outcomeUnknown, description: "\(operation.rawValue) \(subject): no answer (injected)")
        case .lostAnswer: return failure
        }
    }

    func answer<T>(_ failure: Failure?, _ value: T, _ what: String) throws -> T {
        if failure != nil { throw FakeError(failure: .outcomeUnknown, description: "the answer to \(what) was lost (injected)") }
        return value
    }

    func nextID(_ prefix: String) -> String {
        sequence += 1
        return "\(prefix)-\(sequence)"
    }

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: clock.addingTimeInterval(TimeInterval(sequence)))
    }

    static func notFound(_ what: String) -> FakeError { FakeError(failure: .notFound, description: "\(what) not found") }

    // MARK: Videos

    public func videos(markedWith marks: [MetadataEntry]) async throws -> [RemoteVideo] {
        _ = try enter(.listVideos, marks.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        return allVideos.filter { video in marks.allSatisfy { mark in video.metadata.contains(mark) } }
    }

    public func video(id: String) async throws -> RemoteVideo? {
        _ = try enter(.getVideo, id)
        return videos[id]?.video
    }

    public func createVideo(_ new: NewVideo) async throws -> String {
        let failure = try enter(.createVideo, new.title)
        let id = nextID("v")
        let video = RemoteVideo(
            id: id, title: new.title, description: new.description ?? "", isPublic: new.isPublic,
            tags: new.tags, metadata: new.metadata, state: .new, updatedAt: timestamp())
        videos[id] = StoredVideo(video: video, created: sequence)
        return try answer(failure, id, "creating video \"\(new.title)\"")
    }

    public func updateVideo(id: String, _ patch: VideoPatch) async throws {
        let failure = try enter(.updateVideo, id)
        guard var stored = videos[id] else { throw Self.notFound("video \(id)") }
        if let v = patch.title { stored.video.title = v }
        if let v = patch.description { stored.video.description = v }
        if let v = patch.isPublic { stored.video.isPublic = v }
        if let v = patch.tags { stored.video.tags = v }
        if let v = patch.metadata { stored.video.metadata = v }
        stored.video.updatedAt = timestamp()
        videos[id] = stored
        _ = try answer(failure, (), "updating video \(id)")
    }

    public func deleteVideo(id: String) async throws {
        let failure = try enter(.deleteVideo, id)
        guard videos.removeValue(forKey: id) != nil else { throw Self.notFound("video \(id)") }
        textTrackStore[id] = nil
        removeFromPlaylists(videoID: id)
        _ = try answer(failure, (), "deleting video \(id)")
    }

    public func startUpload(videoID: String, file: String, size: Int64, preferredChunkSize: Int64) async throws
        -> any UploadSession
    {
        guard videos[videoID] != nil else { throw Self.notFound("video \(videoID)") }
        var chunks: [UploadChunk] = []
        var start: Int64 = 0
        while start < size {
            let end = min(start + preferredChunkSize, size) - 1
            chunks.append(UploadChunk(index: chunks.count, start: start, endInclusive: end))
            start = end + 1
        }
        return Session(provider: self, videoID: videoID, file: file, chunks: chunks, layoutKey: preferredChunkSize)
    }

    func receive(videoID: String, file: String, chunk: UploadChunk, observe: ChunkBytesObserver?) throws -> ChunkReceipt {
        let failure = try enter(.uploadChunk, "\(videoID) #\(chunk.index)")
        guard videos[videoID] != nil else { throw Self.notFound("video \(videoID)") }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(chunk.start))
        let bytes = try handle.read(upToCount: Int(chunk.length)) ?? Data()
        if let observe { bytes.withUnsafeBytes { observe(chunk.start, $0) } }
        let md5 = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let receipt = ChunkReceipt(chunk: chunk, proof: md5)
        videos[videoID]!.chunks[chunk.index] = receipt
        return try answer(failure, receipt, "uploading \(chunk)")
    }

    func finish(videoID: String, expected: Int) throws {
        let failure = try enter(.finishUpload, videoID)
        guard let stored = videos[videoID] else { throw Self.notFound("video \(videoID)") }
        guard stored.chunks.count == expected else {
            throw FakeError(failure: .other, description: "video \(videoID) has \(stored.chunks.count) of \(expected) chunks")
        }
        videos[videoID]!.video.state = .done
        _ = try answer(failure, (), "completing video \(videoID)")
    }

    public func setThumbnail(videoID: String, file: String) async throws {
        let failure = try enter(.setThumbnail, videoID)
        guard videos[videoID] != nil else { throw Self.notFound("video \(videoID)") }
        videos[videoID]!.thumbnail = file
        _ = try answer(failure, (), "setting the thumbnail of \(videoID)")
    }

    public func removeThumbnail(videoID: String) async throws {
        _ = try enter(.removeThumbnail, videoID)
        videos[videoID]?.thumbnail = nil
    }

    struct Session: UploadSession {
        let provider: InMemoryProvider
        let videoID: String
        let file: String
        let chunks: [UploadChunk]
        let layoutKey: Int64

        func send(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?)
            async throws -> ChunkReceipt
        {
            let receipt = try await provider.receive(videoID: videoID, file: file, chunk: chunk, observe: observe)
            onBytes(chunk.length)
            return receipt
        }

        func finish(_ receipts: [ChunkReceipt]) async throws {
            try await provider.finish(videoID: videoID, expected: chunks.count)
        }
    }

    // MARK: Live stream keys and streamings

    public func createLiveKey(_ key: NewLiveKey) async throws -> String {
        let failure = try enter(.createKey, key.name ?? "")
        let id = nextID("k")
        keys[id] = StoredKey(
            key: RemoteLiveKey(id: id, name: key.name ?? "", save: key.save ?? false, createdAt: timestamp(), type: key.type))
        return try answer(failure, id, "creating key \(key.name ?? "")")
    }

    /// Every key update's body, in order.
    public private(set) var keyUpdates: [NewLiveKey] = []

    public func updateLiveKey(id: String, _ key: NewLiveKey) async throws {
        let failure = try enter(.updateKey, id)
        keyUpdates.append(key)
        guard keys[id] != nil else { throw Self.notFound("key \(id)") }
        if let name = key.name { keys[id]!.key.name = name }
        if let save = key.save { keys[id]!.key.save = save }
        _ = try answer(failure, (), "updating key \(id)")
    }

    public func deleteLiveKey(id: String) async throws {
        let failure = try enter(.deleteKey, id)
        guard keys.removeValue(forKey: id) != nil else { throw Self.notFound("key \(id)") }
        _ = try answer(failure, (), "deleting key \(id)")
    }

    public func streamings(keyID: String) async throws -> [RemoteStreaming] {
        _ = try enter(.listStreamings, keyID)
        guard let key = keys[keyID] else { throw Self.notFound("key \(keyID)") }
        return key.streamings
    }

    public func createStreaming(keyID: String, _ streaming: NewStreaming) async throws -> String {
        let failure = try enter(.createStreaming, "\(keyID)/\(streaming.title)")
        guard keys[keyID] != nil else { throw Self.notFound("key \(keyID)") }
        let id = nextID("s")
        keys[keyID]!.streamings.append(
            RemoteStreaming(
                id: id, title: streaming.title, save: streaming.save, qualities: streaming.qualities, createdAt: timestamp()))
        return try answer(failure, id, "creating streaming \(streaming.title)")
    }

    /// Whether adding restream URLs replaces the key's list (the other reading of AIOZ's "Upsert").
    var restreamAddReplaces = false

    /// Makes adding restream URLs replace the key's list instead of adding to it.
    public func setRestreamAddReplaces(_ replaces: Bool) { restreamAddReplaces = replaces }

    public func savedRecordings(keyID: String) async throws -> [RemoteRecording] {
        _ = try enter(.listRecordings, keyID)
        return []
    }
}
