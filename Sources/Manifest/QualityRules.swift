import YAMLNodes

/// AIOZ's encoding rules: resolutions, bitrate caps, codecs, containers and audio settings.
public enum QualityRules {
    /// Video resolutions in ascending order with their maximum video bitrate (bps). AIOZ's create
    /// request allows 144p but its bitrate table starts at 240p: 144p gets 240p's cap, so validate
    /// never refuses what the service may accept.
    public static let bitrateCaps: [(resolution: String, cap: Int)] = [
        ("144p", 700_000), ("240p", 700_000), ("360p", 1_200_000), ("480p", 2_000_000), ("720p", 4_000_000),
        ("1080p", 6_000_000), ("1440p", 12_000_000), ("2160p", 30_000_000), ("4320p", 60_000_000),
    ]
    /// The video bitrate a shorthand quality (`- 720p`) uses: comfortably under each cap.
    public static let shorthandBitrates: [String: Int] = [
        "144p": 200_000, "240p": 400_000, "360p": 800_000, "480p": 1_400_000, "720p": 3_000_000,
        "1080p": 5_000_000, "1440p": 10_000_000, "2160p": 20_000_000, "4320p": 45_000_000,
    ]
    public static let resolutions = bitrateCaps.map(\.resolution)
    public static let sampleRates = [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000]
    public static let containers: [String: [String]] = ["hls": ["mpegts", "mp4"], "dash": ["fmp4"]]
    /// Resolutions a live streaming may ask for.
    public static let streamingResolutions = ["144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p"]

    public static func cap(for resolution: String) -> Int? {
        bitrateCaps.first { $0.resolution == resolution }?.cap
    }

    /// The quality a shorthand resolution stands for.
    public static func shorthand(_ resolution: String) -> QualitySpec? {
        guard let bitrate = shorthandBitrates[resolution] else { return nil }
        let isEightK = resolution == "4320p"
        return QualitySpec(
            resolution: resolution, type: "hls", containerType: isEightK ? "mp4" : "mpegts",
            video: VideoConfig(codec: isEightK ? "h265" : "h264", bitrate: bitrate),
            audio: AudioConfig())
    }

    static func rank(_ resolution: String) -> Int? {
        resolutions.firstIndex(of: resolution)
    }
}

extension NodeReader {
    /// Reads a list of qualities (inline or a profile's), reporting every broken rule.
    mutating func qualityList(_ node: YAMLNode, what: String) -> [QualitySpec]? {
        qualityListLocated(node, what: what)?.map(\.quality)
    }

    /// `qualityList` with where each quality is written (for findings about one quality later).
    mutating func qualityListLocated(_ node: YAMLNode, what: String) -> [(quality: QualitySpec, location: SourceLocation)]? {
        guard let items = list(node, what: what) else { return nil }
        if items.isEmpty {
            error("\(what) must not be empty; omit `qualities` to use the server's default ladder", at: node)
            return nil
        }
        var result: [(quality: QualitySpec, location: SourceLocation)] = []
        var seen: [String: YAMLNode] = [:]
        var ok = true
        for item in items {
            guard let q = quality(item) else {
                ok = false
                continue
            }
            let identity = "\(q.resolution)/\(q.type)"
            if let first = seen[identity] {
                error(
                    "the quality \(q.resolution) (\(q.type)) appears twice in this list (first at line \(first.mark.line)); each resolution and type may appear once",
                    at: item)
                ok = false
                continue
            }
            seen[identity] = item
            result.append((q, location(item)))
        }
        return ok ? result : nil
    }

    /// `- 720` in a list of resolutions is a number; the resolution it means is written `720p`. Reports
    /// that (instead of suggesting quotes) and returns true when `node` is such a number.
    mutating func refusedBareResolution(_ node: YAMLNode, allowed: [String]) -> Bool {
        guard let scalar = node.scalar, scalar.style.isPlain, node.tag == nil, case .int = CoreSchema.resolve(scalar.value),
            allowed.contains(scalar.value + "p")
        else { return false }
        error("\(scalar.value) is a number, not a resolution; write `\(scalar.value)p`", at: node)
        return true
    }

    /// Reads one quality: a shorthand resolution string or a mapping.
    mutating func quality(_ node: YAMLNode) -> QualitySpec? {
        if node.scalar != nil {
            if refusedBareResolution(node, allowed: QualityRules.resolutions) { return nil }
            guard let text = string(node, what: "a quality") else { return nil }
            guard let q = QualityRules.shorthand(text) else {
                var message = "unknown resolution \"\(text)\""
                if let guess = Suggest.closest(to: text, in: QualityRules.resolutions) {
                    message += "; did you mean \"\(guess)\"?"
                }
                error(message + " Allowed: \(QualityRules.resolutions.joined(separator: ", ")).", at: node)
                return nil
            }
            return q
        }
        guard
            let f = mapping(
                node, allowed: ["resolution", "type", "container_type", "video_config", "audio_config"],
                what: "a quality")
        else { return nil }
        var ok = true
        let type =
            f["type"].flatMap { t -> String? in
                guard let v = string(t, what: "type") else { return nil }
                guard QualityRules.containers[v] != nil else {
                    error("type \"\(v)\" is not supported; allowed: hls, dash", at: t)
                    return nil
                }
                return v
            } ?? (f["type"] == nil ? "hls" : nil)
        if type == nil { ok = false }
        let streaming = type ?? "hls"
        var container = QualityRules.containers[streaming]?.first ?? "mpegts"
        if let c = f["container_type"] {
            if let v = string(c, what: "container_type") {
                let allowed = QualityRules.containers[streaming] ?? []
                if allowed.contains(v) {
                    container = v
                } else {
                    error(
                        "container_type \"\(v)\" does not go with type \(streaming); \(streaming) allows \(allowed.joined(separator: ", "))",
                        at: c)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        var video: VideoConfig?
        var audio: AudioConfig?
        var resolution: String?
        if let r = f["resolution"] {
            resolution = string(r, what: "resolution")
            if resolution == nil { ok = false }
        } else {
            error("a quality needs a resolution (one of \(QualityRules.resolutions.joined(separator: ", ")))", at: f.firstKeyNode)
            ok = false
        }
        if let v = f["video_config"] {
            video = videoConfig(
                v, resolution: resolution, resolutionNode: f["resolution"], container: container,
                containerNode: f["container_type"])
            if video == nil { ok = false }
        } else if f["audio_config"] == nil {
            error(
                "a quality needs video_config, audio_config or both (a plain resolution such as `- 720p` uses the defaults)",
                at: f.firstKeyNode)
            ok = false
        }
        if let a = f["audio_config"] {
            audio = audioConfig(a)
            if audio == nil { ok = false }
        }
        guard ok, let resolution, let type else { return nil }
        return QualitySpec(resolution: resolution, type: type, containerType: container, video: video, audio: audio)
    }

    private mutating func unknownResolution(_ r: String, at node: YAMLNode) {
        var message = "unknown resolution \"\(r)\""
        if let guess = Suggest.closest(to: r, in: QualityRules.resolutions) { message += "; did you mean \"\(guess)\"?" }
        error(
            message + " Allowed: \(QualityRules.resolutions.joined(separator: ", ")) (any label only for audio-only qualities).",
            at: node)
    }

    private mutating func videoConfig(
        _ node: YAMLNode, resolution: String?, resolutionNode: YAMLNode?, container: String,
        containerNode: YAMLNode?
    ) -> VideoConfig? {
        guard let f = mapping(node, allowed: ["codec", "bitrate", "index"], what: "video_config") else { return nil }
        var ok = true
        var codec = "h264"
        if let c = f["codec"] {
            if let v = string(c, what: "codec") {
                if v == "h264" || v == "h265" {
                    codec = v
                } else {
                    error("video codec \"\(v)\" is not supported; allowed: h264, h265", at: c)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let r = resolution, let rn = resolutionNode {
            if let rank = QualityRules.rank(r) {
                if codec == "h264", rank > QualityRules.rank("2160p") ?? 0 {
                    error("h264 goes up to 2160p; use codec h265 for \(r)", at: f["codec"] ?? rn)
                    ok = false
                }
            } else {
                unknownResolution(r, at: rn)
                ok = false
            }
        }
        if codec == "h265" && container == "mpegts" {
            warning(
                "h265 in container_type mpegts does not play on Apple devices; use container_type mp4",
                at: containerNode ?? f["codec"] ?? node)
        }
        var bitrate = resolution.flatMap { QualityRules.shorthandBitrates[$0] } ?? 0
        if let b = f["bitrate"] {
            if let v = integer(b, what: "bitrate") {
                if v <= 0 {
                    error("bitrate must be a positive number of bits per second, not \(v)", at: b)
                    ok = false
                } else if let r = resolution, let cap = QualityRules.cap(for: r), v > cap {
                    error("video bitrate \(v) is above the \(r) cap of \(cap) bps", at: b)
                    ok = false
                } else {
                    bitrate = v
                }
            } else {
                ok = false
            }
        }
        let index = f["index"].map { trackIndex($0) } ?? 0
        guard ok, let index else { return nil }
        return VideoConfig(codec: codec, bitrate: bitrate, index: index)
    }

    private mutating func audioConfig(_ node: YAMLNode) -> AudioConfig? {
        guard
            let f = mapping(
                node, allowed: ["codec", "bitrate", "channels", "sample_rate", "language", "index"],
                what: "audio_config")
        else { return nil }
        var ok = true
        var config = AudioConfig()
        if let c = f["codec"] {
            if let v = string(c, what: "audio codec") {
                if v != "aac" {
                    error("audio codec \"\(v)\" is not supported; AIOZ Stream encodes audio as aac only", at: c)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let b = f["bitrate"] {
            if let v = integer(b, what: "audio bitrate") {
                if v > 0 {
                    config.bitrate = v
                } else {
                    error("audio bitrate must be a positive number of bits per second, not \(v)", at: b)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let ch = f["channels"] {
            let text = ch.scalar?.value
            if let text, text == "1" || text == "2" {
                config.channels = text
            } else {
                error("channels must be \"1\" (mono) or \"2\" (stereo), not \(ch.kindDescription)", at: ch)
                ok = false
            }
        }
        if let sr = f["sample_rate"] {
            if let v = integer(sr, what: "sample_rate") {
                if QualityRules.sampleRates.contains(v) {
                    config.sampleRate = v
                } else {
                    error(
                        "sample_rate \(v) is not supported; allowed: \(QualityRules.sampleRates.map(String.init).joined(separator: ", "))",
                        at: sr)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let l = f["language"] {
            if let v = string(l, what: "language") {
                if Self.isLanguageTag(v) {
                    config.language = v
                } else {
                    error("language \"\(v)\" is not a BCP 47 language tag such as en, vi or pt-BR", at: l)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        if let i = f["index"] {
            if let v = trackIndex(i) { config.index = v } else { ok = false }
        }
        return ok ? config : nil
    }

    private mutating func trackIndex(_ node: YAMLNode) -> Int? {
        guard let v = integer(node, what: "index") else { return nil }
        guard v >= 0 else {
            error("index must be 0 or more, not \(v)", at: node)
            return nil
        }
        return v
    }

    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { p in
            (2...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
