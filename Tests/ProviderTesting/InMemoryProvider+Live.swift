public import Providers

/// Reading keys, updating and deleting streamings, key thumbnails, as the sandbox does them.
extension InMemoryProvider {
    /// As the sandbox: any streaming's title and save; its qualities only while it is broadcasting.
    public func updateStreaming(keyID: String, id: String, _ update: StreamingUpdate) async throws {
        let failure = try enter(.updateStreaming, "\(keyID)/\(id)")
        guard let index = keys[keyID]?.streamings.firstIndex(where: { $0.id == id }) else {
            throw Self.notFound("streaming \(id)")
        }
        if let qualities = update.qualities {
            guard
                keys[keyID]!.streamings[index].state == .broadcasting
                    || Set(qualities) == Set(keys[keyID]!.streamings[index].qualities)
            else {
                throw FakeError(failure: .other, description: "the qualities of streaming \(id) change only while it is live")
            }
            keys[keyID]!.streamings[index].qualities = qualities
        }
        keys[keyID]!.streamings[index].title = update.title
        keys[keyID]!.streamings[index].save = update.save
        _ = try answer(failure, (), "updating streaming \(id)")
    }

    public func setLiveKeyThumbnail(keyID: String, file: String) async throws {
        let failure = try enter(.setKeyThumbnail, keyID)
        guard keys[keyID] != nil else { throw Self.notFound("key \(keyID)") }
        keys[keyID]!.thumbnail = file
        _ = try answer(failure, (), "setting the thumbnail of key \(keyID)")
    }

    public func removeLiveKeyThumbnail(keyID: String) async throws {
        let failure = try enter(.removeKeyThumbnail, keyID)
        guard keys[keyID]?.thumbnail != nil else { throw Self.notFound("thumbnail of key \(keyID)") }
        keys[keyID]!.thumbnail = nil
        _ = try answer(failure, (), "removing the thumbnail of key \(keyID)")
    }

    /// The path of the key's thumbnail as last uploaded, for tests.
    public func keyThumbnail(_ keyID: String) -> String? { keys[keyID]?.thumbnail }

    public func allLiveKeys() async throws -> [RemoteLiveKey] {
        _ = try enter(.listKeys, "")
        return allKeys
    }

    public func liveKeys(named name: String) async throws -> [RemoteLiveKey] {
        _ = try enter(.listKeys, name)
        return allKeys.filter { $0.name == name }
    }

    public func liveKey(id: String) async throws -> RemoteLiveKey? {
        _ = try enter(.getKey, id)
        return keys[id]?.key
    }

    public func liveKeySecrets(id: String) async throws -> LiveKeySecrets? {
        keys[id].map { _ in LiveKeySecrets(streamKey: "fake-stream-key-\(id)", rtmpURL: "rtmp://fake/\(id)") }
    }

    public func deleteStreaming(keyID: String, id: String) async throws {
        let failure = try enter(.deleteStreaming, "\(keyID)/\(id)")
        guard let index = keys[keyID]?.streamings.firstIndex(where: { $0.id == id }) else {
            throw Self.notFound("streaming \(id)")
        }
        keys[keyID]!.streamings.remove(at: index)
        _ = try answer(failure, (), "deleting streaming \(id)")
    }
}
