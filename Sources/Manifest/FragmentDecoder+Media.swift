import MediaInfo
import YAMLNodes

/// The create-time media fields of a video: `type`, `watermark` and `segment_duration`
/// (docs/manifests.md, "Audio, watermarks and segments").
struct MediaFields {
    var type: MediaType = .video
    var watermark: WatermarkSpec?
    var segmentDuration: Int?

    /// Whether the video needs the create-options mark (one more of the 50 metadata entries).
    var needsMark: Bool { type == .audio || watermark != nil || segmentDuration != nil }
}

extension FragmentDecoder {
    /// Reads the three keys and checks `type` against the source; nil after an error (reported).
    mutating func mediaFields(_ f: Fields, video what: String, source: LocalFile?) -> MediaFields? {
        let before = reader.diagnostics.diagnostics.count
        var fields = MediaFields()
        if let node = f["type"], let text = reader.string(node, what: "type") {
            if let type = MediaType(rawValue: text) {
                fields.type = type
            } else {
                let names = MediaType.allCases.map(\.rawValue)
                var message = "type \"\(text)\" is not a media type; allowed: \(names.joined(separator: ", ")) (default video)"
                if let guess = Suggest.closest(to: text, in: names) { message += "; did you mean \"\(guess)\"?" }
                reader.error(message, at: node)
            }
        }
        if let node = f["segment_duration"], let seconds = reader.integer(node, what: "segment_duration") {
            let range = MediaRules.segmentDurations
            if range.contains(seconds) {
                fields.segmentDuration = seconds
            } else {
                reader.error(
                    "segment_duration \(seconds) is out of range: the seconds of one HLS segment, "
                        + "\(range.lowerBound) to \(range.upperBound)", at: node)
            }
        }
        if let node = f["watermark"] {
            fields.watermark = watermark(node)
            if fields.type == .audio, let key = f.keyNode("watermark") {
                reader.error(
                    "\(what) is `type: audio`: a watermark is laid over a picture, which an audio media has none of", at: key)
            }
        }
        if let source, let node = f["source"] {
            checkType(fields.type, given: f["type"], source: source, sourceNode: node, video: what)
        }
        return reader.diagnostics.diagnostics[before...].contains { $0.severity == .error } ? nil : fields
    }

    /// An audio media's inline qualities that encode video, each reported where it is written (those of
    /// a profile are checked once profiles are known, `ManifestLoader.audioQualitiesFit`).
    mutating func audioQualities(_ qualities: [QualitySpec], at locations: [SourceLocation], video what: String) {
        for (index, quality) in qualities.enumerated() {
            guard let problem = MediaRules.audioQualityProblem(quality), index < locations.count else { continue }
            reader.diagnostics.error("\(what) is `type: audio`: \(problem)", at: locations[index])
        }
    }

    /// `type` against the source: an audio container needs `type: audio`; `type: audio` needs a source
    /// without a video track (MP4 and WebM are probed; a URL, an S3 object or an LFS pointer is judged by
    /// its extension).
    private mutating func checkType(
        _ type: MediaType, given: YAMLNode?, source: LocalFile, sourceNode: YAMLNode, video what: String
    ) {
        let format = source.format
        let name = format.rawValue.uppercased()
        switch type {
        case .video:
            guard format.isAudio else { return }
            reader.error(
                "source \"\(source.written)\" is \(name) audio; write `type: audio` beside it for an audio media "
                    + "(a video's source is MP4, MOV, M4V, WebM or AVI)", at: sourceNode)
        case .audio:
            let at = given ?? sourceNode
            if format.isAudio { return }
            guard [.mp4, .m4v, .mov, .webm].contains(format) else {
                reader.error(
                    "\(what) is `type: audio`, but its source \"\(source.written)\" is \(name), a video container; "
                        + "an audio media's source is MP3, M4A (AAC in MP4), WAV, FLAC or Ogg, or an MP4 or WebM without a video track",
                    at: at)
                return
            }
            guard source.remote == nil, source.lfs == nil else {
                reader.error(
                    "\(what) is `type: audio`, but its source \"\(source.written)\" is judged by its extension (\(name), a video "
                        + "container) and its tracks cannot be read here; name it .m4a (or another audio extension: "
                        + ".mp3, .wav, .flac, .ogg, .opus) if it holds audio only", at: at)
                return
            }
            let probe = MediaProbe.probe(path: source.path)
            if let problem = probe.problem {
                reader.error(
                    "\(what) is `type: audio`, but whether \"\(source.written)\" holds audio only cannot be read: \(problem)",
                    at: at)
            } else if let width = probe.width, let height = probe.height {
                reader.error(
                    "\(what) is `type: audio`, but its source \"\(source.written)\" has a video track (\(width)×\(height)); "
                        + "remove `type: audio` to make it a video, or give an audio-only source", at: at)
            }
        }
    }

    /// `watermark: {id, top, bottom, left, right, width, height, opacity}`.
    private mutating func watermark(_ node: YAMLNode) -> WatermarkSpec? {
        guard let f = reader.mapping(node, allowed: WatermarkSpec.keys, what: "watermark") else { return nil }
        guard
            let idNode = required(
                f, "id", in: "watermark", hint: "the id of a watermark image already on the account"),
            let id = reader.string(idNode, what: "watermark id")
        else { return nil }
        var ok = true
        if id.isEmpty || id.count > 255 || id.contains(where: { $0.isWhitespace || $0 == "/" }) {
            reader.error("watermark id \"\(id)\" must be an id: 1 to 255 characters, no spaces or '/'", at: idNode)
            ok = false
        }
        var spec = WatermarkSpec(id: id)
        for key in ["top", "bottom", "left", "right", "width", "height"] {
            guard let value = f[key] else { continue }
            guard let text = length(value, key: key) else {
                ok = false
                continue
            }
            switch key {
            case "top": spec.top = text
            case "bottom": spec.bottom = text
            case "left": spec.left = text
            case "right": spec.right = text
            case "width": spec.width = text
            default: spec.height = text
            }
        }
        for (first, second) in [("top", "bottom"), ("left", "right")] where f[first] != nil && f[second] != nil {
            reader.error(
                "watermark gives both \(first) and \(second); place it from one edge: keep \(first) or \(second)",
                at: f.keyNode(second) ?? node)
            ok = false
        }
        if let value = f["opacity"] {
            let text = value.scalar?.value ?? ""
            if value.scalar == nil || CoreSchema.resolve(text) == .null, value.scalar?.style.isPlain ?? true {
                reader.error(
                    "watermark opacity must be a percentage (\"80%\") or a number from 0 to 1, not \(value.kindDescription)",
                    at: value)
                ok = false
            } else if let percent = MediaRules.opacity(text) {
                spec.opacity = percent
            } else {
                reader.error(
                    "watermark opacity \"\(text)\" must be a percentage from 0% to 100% (\"80%\") or a number from 0 to 1 (0.8)",
                    at: value)
                ok = false
            }
        }
        return ok ? spec : nil
    }

    /// A placement length: a string such as `10px` or `5%`.
    private mutating func length(_ node: YAMLNode, key: String) -> String? {
        if let s = node.scalar, s.style.isPlain, node.tag == nil {
            switch CoreSchema.resolve(s.value) {
            case .int, .float:
                reader.error(
                    "watermark \(key) \(s.value) needs a unit: write \"\(s.value)px\" or \"\(s.value)%\"", at: node)
                return nil
            default: break
            }
        }
        guard let text = reader.string(node, what: "watermark \(key)") else { return nil }
        if let problem = MediaRules.lengthProblem(text) {
            reader.error("watermark \(key) \"\(text)\" \(problem)", at: node)
            return nil
        }
        return text
    }
}
