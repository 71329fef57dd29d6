import YAMLNodes

/// `live_streams: NAME: {name, save, type, thumbnail, streamings, restream}` and each streaming under a key.
extension FragmentDecoder {
    mutating func liveStream(_ name: String, key: YAMLNode, node: YAMLNode) -> LiveStreamSpec? {
        let what = "live_stream.\(name)"
        guard let f = reader.mapping(node, allowed: ManifestFormat.liveStreamKeys, what: what) else { return nil }
        let before = reader.diagnostics.diagnostics.count
        var displayName = ""
        if let n = required(f, "name", in: what, hint: "the key's name on AIOZ Stream, 1 to 255 characters"),
            let v = reader.string(n, what: "name")
        {
            displayName = v
            reader.checkLength(v, 1...255, what: "name", at: n)
        }
        let save = f["save"].map { reader.bool($0, what: "save") ?? false } ?? false
        var type: String?
        if let t = f["type"], let v = reader.string(t, what: "type") {
            if LiveStreamSpec.types.contains(v) {
                type = v
            } else {
                reader.error(
                    "unknown live stream key type \"\(v)\"; allowed: \(LiveStreamSpec.types.joined(separator: ", ")) "
                        + "(audio: a key for audio-only streams)", at: t)
            }
        }
        var thumbnail: LocalFile?
        if let t = f["thumbnail"], let v = reader.string(t, what: "thumbnail") {
            thumbnail = files.check(v, kind: .thumbnail, manifestFile: reader.file, node: t, into: &reader)
        }
        var streamings: [StreamingSpec] = []
        var seenTitles: [String: YAMLNode] = [:]
        var streamingNames: [String] = []
        if let s = f["streamings"] {
            for entry in reader.namedEntries(s, what: "streamings") {
                streamingNames.append(entry.name)
                readLifecycle("live_stream.\(name).streaming.\(entry.name)", kind: "streaming", node: entry.value)
                guard let streaming = streaming(entry.name, of: name, key: entry.key, node: entry.value) else { continue }
                if let first = seenTitles[streaming.title] {
                    reader.warning(
                        "two streamings of \(what) share the title \"\(streaming.title)\" (the other is at line \(first.mark.line))",
                        at: entry.key)
                }
                seenTitles[streaming.title] = entry.key
                streamings.append(streaming)
            }
        }
        var restreams: [RestreamSpec] = []
        if let r = f["restream"] {
            var seenURLs: [String: YAMLNode] = [:]
            for entry in reader.namedEntries(r, what: "restream") {
                guard let restream = restream(entry.name, of: name, key: entry.key, node: entry.value) else { continue }
                if let first = seenURLs[restream.url] {
                    reader.error(
                        "two restream destinations of \(what) have the same url (the other is at line \(first.mark.line)); "
                            + "\(ServiceProvider.aioz.displayName) tells destinations apart by their url only",
                        at: entry.key)
                    continue
                }
                seenURLs[restream.url] = entry.key
                restreams.append(restream)
            }
        }
        let recordings = f["recordings"].map { recordingEntries($0, of: name, streamings: streamingNames) } ?? []
        let defaults = f["recording_defaults"].flatMap { recordingDefaults($0, of: name) }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard !hasErrors else { return nil }
        var spec = LiveStreamSpec(
            name: name, displayName: displayName, save: save, streamings: streamings, restreams: restreams,
            type: type, thumbnail: thumbnail, location: reader.location(key))
        spec.recordings = recordings
        spec.recordingDefaults = defaults
        return spec
    }

    mutating func streaming(_ name: String, of stream: String, key: YAMLNode, node: YAMLNode) -> StreamingSpec? {
        let what = "live_stream.\(stream).streaming.\(name)"
        guard let f = reader.mapping(node, allowed: ["title", "save", "qualities"] + Lifecycle.keys, what: what) else {
            return nil
        }
        var title = ""
        if let t = required(f, "title", in: what, hint: "1 to 255 characters"), let v = reader.string(t, what: "title") {
            title = v
            reader.checkLength(v, 1...255, what: "title", at: t)
        }
        let save = f["save"].map { reader.bool($0, what: "save") ?? false } ?? false
        var qualities: [String] = []
        if let q = f["qualities"], let items = reader.list(q, what: "qualities") {
            if items.isEmpty {
                reader.error("qualities must not be empty; omit it to use the server's defaults", at: q)
            }
            for item in items {
                if reader.refusedBareResolution(item, allowed: QualityRules.streamingResolutions) { continue }
                guard let r = reader.string(item, what: "a streaming quality") else { continue }
                guard QualityRules.streamingResolutions.contains(r) else {
                    var message = "unknown streaming resolution \"\(r)\""
                    if let guess = Suggest.closest(to: r, in: QualityRules.streamingResolutions) {
                        message += "; did you mean \"\(guess)\"?"
                    }
                    reader.error(message + " Allowed: \(QualityRules.streamingResolutions.joined(separator: ", ")).", at: item)
                    continue
                }
                if qualities.contains(r) {
                    reader.error("resolution \(r) is listed twice", at: item)
                    continue
                }
                qualities.append(r)
            }
        }
        return StreamingSpec(
            name: name, liveStream: stream, title: title, save: save, qualities: qualities,
            location: reader.location(key))
    }
}
