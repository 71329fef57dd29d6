import Foundation

/// Live stream keys, streamings and recordings.
extension SandboxStore {
    func createKey(_ account: String, name: String, save: Bool, rtmpHost: String) throws -> StoredLiveStreamKey {
        try mutate(account) { state in
            let now = Timestamp.now()
            let streamKey = RandomToken.hex(bytes: 16)
            let key = StoredLiveStreamKey(
                id: UUID().uuidString.lowercased(), name: name, save: save, streamKey: streamKey,
                rtmpURL: "rtmp://\(rtmpHost):1935/live/\(streamKey)", createdAt: now, updatedAt: now,
                sequence: state.takeSequence()
            )
            state.keys[key.id] = key
            return key
        }
    }

    func key(_ account: String, _ id: String) throws -> StoredLiveStreamKey {
        guard let key = try state(account).keys[id] else { throw APIError.notFound("Live stream key not found.") }
        return key
    }

    func keys(_ account: String) throws -> [StoredLiveStreamKey] { Array(try state(account).keys.values) }

    func updateKey(_ account: String, _ id: String, name: String?, save: Bool?) throws -> StoredLiveStreamKey {
        try mutate(account) { state in
            guard var key = state.keys[id] else { throw APIError.notFound("Live stream key not found.") }
            if let name { key.name = name }
            if let save { key.save = save }
            key.updatedAt = Timestamp.now()
            state.keys[id] = key
            return key
        }
    }

    func deleteKey(_ account: String, _ id: String) throws {
        try mutate(account) { state in
            guard state.keys.removeValue(forKey: id) != nil else { throw APIError.notFound("Live stream key not found.") }
            state.streamings = state.streamings.filter { $0.value.keyID != id }
        }
    }

    func createStreaming(_ account: String, keyID: String, title: String, save: Bool, qualities: [String]) throws
        -> StoredStreaming
    {
        try mutate(account) { state in
            guard state.keys[keyID] != nil else { throw APIError.notFound("Live stream key not found.") }
            let now = Timestamp.now()
            let streaming = StoredStreaming(
                id: UUID().uuidString.lowercased(), keyID: keyID, title: title, save: save, qualities: qualities,
                status: "created", createdAt: now, updatedAt: now, sequence: state.takeSequence()
            )
            state.streamings[streaming.id] = streaming
            return streaming
        }
    }

    func streamings(_ account: String, keyID: String) throws -> [StoredStreaming] {
        let state = try state(account)
        guard state.keys[keyID] != nil else { throw APIError.notFound("Live stream key not found.") }
        return state.streamings.values.filter { $0.keyID == keyID }.sorted { $0.sequence < $1.sequence }
    }

    func streaming(_ account: String, keyID: String, id: String) throws -> StoredStreaming {
        guard let streaming = try streamings(account, keyID: keyID).first(where: { $0.id == id }) else {
            throw APIError.notFound("Streaming not found.")
        }
        return streaming
    }

    /// `PUT /live_streams/{id}/streamings` names no streaming: it updates the key's latest one [inferred].
    func updateLatestStreaming(_ account: String, keyID: String, title: String?, save: Bool?) throws {
        try mutate(account) { state in
            guard state.keys[keyID] != nil else { throw APIError.notFound("Live stream key not found.") }
            guard var latest = state.streamings.values.filter({ $0.keyID == keyID }).max(by: { $0.sequence < $1.sequence }) else {
                throw APIError.notFound("This live stream key has no streaming to update.")
            }
            if let title { latest.title = title }
            if let save { latest.save = save }
            latest.updatedAt = Timestamp.now()
            state.streamings[latest.id] = latest
        }
    }

    func deleteStreaming(_ account: String, keyID: String, id: String) throws {
        try mutate(account) { state in
            guard state.keys[keyID] != nil else { throw APIError.notFound("Live stream key not found.") }
            guard let streaming = state.streamings[id], streaming.keyID == keyID else {
                throw APIError.notFound("Streaming not found.")
            }
            state.streamings.removeValue(forKey: id)
            if let videoID = streaming.videoID { state.videos.removeValue(forKey: videoID) }
        }
    }

    /// Admin: an encoder starts or stops pushing to the key. Starting moves the latest `created` streaming
    /// (or a new one) to `streaming`; stopping ends it and, when saved, records a video.
    func setBroadcasting(_ account: String, keyID: String, _ on: Bool) throws -> StoredLiveStreamKey {
        try mutate(account) { state in
            guard var key = state.keys[keyID] else { throw APIError.notFound("Live stream key not found.") }
            let now = Timestamp.now()
            let mine = state.streamings.values.filter { $0.keyID == keyID }
            if on, !key.broadcasting {
                var streaming =
                    mine.filter { $0.status == "created" }.max { $0.sequence < $1.sequence }
                    ?? StoredStreaming(
                        id: UUID().uuidString.lowercased(), keyID: keyID, title: key.name, save: key.save,
                        qualities: ["360p", "720p", "1080p"], status: "created", createdAt: now,
                        updatedAt: now, sequence: state.takeSequence())
                streaming.status = "streaming"
                streaming.startedAt = now
                streaming.updatedAt = now
                state.streamings[streaming.id] = streaming
            } else if !on {
                for var streaming in mine where streaming.status == "streaming" {
                    streaming.status = "ended"
                    streaming.endedAt = now
                    streaming.updatedAt = now
                    if streaming.save {
                        let video = StoredVideo(
                            id: UUID().uuidString.lowercased(), title: streaming.title, description: "", isPublic: true,
                            tags: [], metadata: [MetadataPair(key: "live_stream_id", value: keyID)],
                            qualities: streaming.qualities.map {
                                QualityRequest(
                                    resolution: $0, type: "hls", containerType: "mpegts", videoConfig: nil, audioConfig: nil)
                            },
                            playerThemeID: "", createdAt: now, updatedAt: now, sequence: state.takeSequence(),
                            completedAt: now, duration: Double(streaming.durationMilliseconds(now: now)) / 1000,
                            liveStreamKeyID: keyID
                        )
                        state.videos[video.id] = video
                        streaming.videoID = video.id
                    }
                    state.streamings[streaming.id] = streaming
                }
            }
            key.broadcasting = on
            state.keys[keyID] = key
            return key
        }
    }
}
