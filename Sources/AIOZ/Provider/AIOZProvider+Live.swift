public import Providers

/// Live stream keys, streamings and recordings behind the provider protocol.
extension AIOZProvider {
    public func allLiveKeys() async throws -> [RemoteLiveKey] {
        try await client.allLiveStreamKeys(LiveStreamKeyListQuery()).map(Self.remote)
    }

    public func liveKeys(named name: String) async throws -> [RemoteLiveKey] {
        try await client.allLiveStreamKeys(LiveStreamKeyListQuery(search: name)).filter { $0.name == name }.map(Self.remote)
    }

    public func liveKey(id: String) async throws -> RemoteLiveKey? {
        try await key(id).map(Self.remote)
    }

    public func liveKeySecrets(id: String) async throws -> LiveKeySecrets? {
        try await key(id).map { LiveKeySecrets(streamKey: $0.streamKey, rtmpURL: $0.rtmpURL) }
    }

    public func createLiveKey(_ key: NewLiveKey) async throws -> String {
        try await client.createLiveStreamKey(LiveStreamKeyCreateRequest(name: key.name ?? "", save: key.save, type: key.type)).id
    }

    public func updateLiveKey(id: String, _ key: NewLiveKey) async throws {
        _ = try await client.updateLiveStreamKey(id: id, LiveStreamKeyUpdateRequest(name: key.name, save: key.save))
    }

    public func deleteLiveKey(id: String) async throws {
        try await client.deleteLiveStreamKey(id: id)
    }

    public func setLiveKeyThumbnail(keyID: String, file: String) async throws {
        try await client.uploadLiveStreamKeyThumbnail(id: keyID, file: file)
    }

    public func removeLiveKeyThumbnail(keyID: String) async throws {
        try await client.deleteLiveStreamKeyThumbnail(id: keyID)
    }

    /// Oldest first: AIOZ does not promise an order, so sort by `created_at` (ties keep the answer's order).
    public func streamings(keyID: String) async throws -> [RemoteStreaming] {
        let page = try await client.listStreamings(liveStreamKeyID: keyID)
        let indexed = page.streamings.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let ca = a.1.createdAt ?? ""
            let cb = b.1.createdAt ?? ""
            return ca == cb ? a.0 < b.0 : (Timestamps.date(ca) ?? .distantPast) < (Timestamps.date(cb) ?? .distantPast)
        }.map { Self.remote($0.1) }
    }

    public func createStreaming(keyID: String, _ streaming: NewStreaming) async throws -> String {
        try await client.createStreaming(
            liveStreamKeyID: keyID,
            StreamingCreateRequest(
                title: streaming.title, save: streaming.save,
                qualities: streaming.qualities.isEmpty ? nil : streaming.qualities)
        ).id
    }

    public func updateStreaming(keyID: String, id: String, _ update: StreamingUpdate) async throws {
        try await client.updateStreaming(
            liveStreamKeyID: keyID,
            StreamingUpdateRequest(title: update.title, save: update.save, streamID: id, qualities: update.qualities))
    }

    public func deleteStreaming(keyID: String, id: String) async throws {
        try await client.deleteStreaming(liveStreamKeyID: keyID, streamingID: id)
    }

    public func savedRecordings(keyID: String) async throws -> [RemoteRecording] {
        var query = SavedRecordingQuery(limit: 100)
        var all: [RemoteRecording] = []
        while true {
            let page = try await client.listSavedRecordings(liveStreamKeyID: keyID, query)
            all += page.streamings.map {
                RemoteRecording(streamingID: $0.id, title: $0.title, status: $0.status, video: $0.video.map(Self.remote))
            }
            query.offset += page.streamings.count
            if page.streamings.isEmpty || query.offset >= page.total { break }
        }
        return all
    }

    // MARK: Restream destinations

    /// The API addresses a key's destinations by its secret stream key, so each call reads the key
    /// first; the stream key never leaves this adapter.
    public func restreamURLs(keyID: String) async throws -> [String]? {
        guard let key = try await key(keyID) else { return nil }
        do {
            return try await client.getMulticast(streamKey: key.streamKey, keyID: keyID).urls
        } catch let error as AIOZError where error.code == .notFound {
            // A key without destinations [inferred: the document does not say what such a GET answers].
            return []
        }
    }

    public func addRestreamURLs(keyID: String, _ urls: [String]) async throws -> [String] {
        let streamKey = try await requireKey(keyID).streamKey
        return try await client.addMulticast(
            streamKey: streamKey, keyID: keyID, LiveStreamMulticastRequest(multicastURLs: urls)
        ).urls
    }

    public func removeAllRestreamURLs(keyID: String) async throws {
        let streamKey = try await requireKey(keyID).streamKey
        try await client.deleteMulticast(streamKey: streamKey, keyID: keyID)
    }

    private func requireKey(_ id: String) async throws -> LiveStreamKey {
        try await client.getLiveStreamKey(id: id)
    }

    private func key(_ id: String) async throws -> LiveStreamKey? {
        do {
            return try await client.getLiveStreamKey(id: id)
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
    }

    static func remote(_ key: LiveStreamKey) -> RemoteLiveKey {
        RemoteLiveKey(id: key.id, name: key.name, save: key.save, createdAt: key.createdAt, type: key.type)
    }

    /// AIOZ's streaming status words (seed 004 names `created`; the rest are inferred) in the engine's terms.
    static func state(_ status: String) -> StreamingState {
        switch status {
        case "created": .created
        case "streaming": .broadcasting
        case "ended": .ended
        case let other: .other(other)
        }
    }

    static func remote(_ s: Streaming) -> RemoteStreaming {
        RemoteStreaming(
            id: s.id, title: s.title, save: s.save, state: state(s.status ?? "created"),
            qualities: s.qualities, createdAt: s.createdAt)
    }
}
