/// Checks create and update bodies against the contract's limits; each failure is a 400 naming the field.
enum VideoValidation {
    /// The 2026 spec's `type` of a media or a live stream key.
    static func mediaType(_ type: String?) throws {
        guard let type else { return }
        guard ["video", "audio"].contains(type) else { throw APIError.badRequest("type must be video or audio.") }
    }

    /// `watermark` and `segment_duration`, and what an audio media cannot take (a picture's settings).
    static func createOptions(_ body: CreateVideoBody) throws {
        if let seconds = body.segmentDuration, !Limits.segmentDurations.contains(seconds) {
            throw APIError.badRequest(
                "segment_duration must be \(Limits.segmentDurations.lowerBound) to \(Limits.segmentDurations.upperBound) seconds."
            )
        }
        if let watermark = body.watermark {
            guard let id = watermark.id, !id.isEmpty else { throw APIError.badRequest("watermark.id is required.") }
            if body.type == "audio" { throw APIError.badRequest("watermark: an audio media has no picture to mark.") }
        }
        if body.type == "audio", let qualities = body.qualities,
            let index = qualities.firstIndex(where: { $0.videoConfig != nil || $0.audioConfig == nil })
        {
            throw APIError.badRequest(
                "qualities[\(index)]: an audio media takes audio-only qualities (audio_config, no video_config).")
        }
    }

    static func title(_ title: String?, required: Bool) throws {
        guard let title else {
            if required { throw APIError.badRequest("title is required.") }
            return
        }
        guard Limits.titleLength.contains(title.count) else {
            throw APIError.badRequest("title must be 1 to 255 characters long.")
        }
    }

    static func description(_ description: String?) throws {
        if let description, description.count > Limits.descriptionLength {
            throw APIError.badRequest("description must be at most 1000 characters long.")
        }
    }

    static func tags(_ tags: [String]?) throws {
        guard let tags else { return }
        if tags.count > Limits.maxTags { throw APIError.badRequest("tags: at most 50 tags are allowed.") }
        if let long = tags.first(where: { $0.count > Limits.tagLength }) {
            throw APIError.badRequest("tags: '\(long.prefix(20))…' is longer than 255 characters.")
        }
    }

    static func metadata(_ metadata: [MetadataPair]?) throws {
        guard let metadata else { return }
        if metadata.count > Limits.maxMetadata { throw APIError.badRequest("metadata: at most 50 pairs are allowed.") }
        for pair in metadata where pair.key.count > Limits.metadataLength || pair.value.count > Limits.metadataLength {
            throw APIError.badRequest("metadata: key and value must be at most 255 characters long.")
        }
        for pair in metadata where pair.key.isEmpty {
            throw APIError.badRequest("metadata: a key must not be empty.")
        }
    }

    static func qualities(_ qualities: [QualityRequest]?) throws {
        guard let qualities else { return }
        if qualities.isEmpty { throw APIError.badRequest("qualities must not be empty; omit it to use the defaults.") }
        for (position, quality) in qualities.enumerated() {
            try self.quality(quality, at: position)
        }
    }

    private static func quality(_ q: QualityRequest, at position: Int) throws {
        let field = "qualities[\(position)]"
        guard let type = q.type, let containers = Limits.containers[type] else {
            throw APIError.badRequest("\(field).type must be hls or dash.")
        }
        guard let container = q.containerType, containers.contains(container) else {
            let allowed = containers.sorted().joined(separator: " or ")
            throw APIError.badRequest("\(field).container_type must be \(allowed) for \(type).")
        }
        if q.videoConfig != nil || q.audioConfig == nil {
            guard let resolution = q.resolution, Limits.maxVideoBitrate[resolution] != nil else {
                let allowed = Limits.resolutions.joined(separator: ", ")
                throw APIError.badRequest("\(field).resolution must be one of \(allowed).")
            }
            if let video = q.videoConfig { try videoConfig(video, resolution: resolution, field: field) }
        } else if (q.resolution ?? "").isEmpty {
            throw APIError.badRequest("\(field).resolution is required (any label for audio-only).")
        }
        if let audio = q.audioConfig { try audioConfig(audio, field: field) }
    }

    private static func videoConfig(_ v: QualityRequest.VideoConfig, resolution: String, field: String) throws {
        switch v.codec {
        case "h264":
            guard Limits.h264Resolutions.contains(resolution) else {
                throw APIError.badRequest("\(field).video_config.codec h264 goes up to 2160p; use h265 for \(resolution).")
            }
        case "h265": break
        default: throw APIError.badRequest("\(field).video_config.codec must be h264 or h265.")
        }
        if let bitrate = v.bitrate {
            let max = Limits.maxVideoBitrate[resolution] ?? 0
            guard bitrate > 0, bitrate <= max else {
                throw APIError.badRequest("\(field).video_config.bitrate must be between 1 and \(max) for \(resolution).")
            }
        }
        if let index = v.index, index < 0 { throw APIError.badRequest("\(field).video_config.index must not be negative.") }
    }

    private static func audioConfig(_ a: QualityRequest.AudioConfig, field: String) throws {
        guard a.codec == "aac" else { throw APIError.badRequest("\(field).audio_config.codec must be aac.") }
        if let bitrate = a.bitrate, bitrate <= 0 {
            throw APIError.badRequest("\(field).audio_config.bitrate must be positive.")
        }
        if let channels = a.channels, channels != "1", channels != "2" {
            throw APIError.badRequest("\(field).audio_config.channels must be \"1\" or \"2\".")
        }
        if let rate = a.sampleRate, !Limits.sampleRates.contains(rate) {
            throw APIError.badRequest("\(field).audio_config.sample_rate \(rate) is not a supported sample rate.")
        }
        if let index = a.index, index < 0 { throw APIError.badRequest("\(field).audio_config.index must not be negative.") }
    }
}
