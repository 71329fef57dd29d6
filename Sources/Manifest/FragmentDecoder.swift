import YAMLNodes

/// What one YAML document contributes before the documents are merged.
struct Fragment {
    var file: String
    var project: (value: String, node: YAMLNode)?
    var provider: (value: ServiceProvider, node: YAMLNode)?
    var profiles: [(spec: ProfileSpec?, key: YAMLNode)] = []
    var videos: [(spec: PendingVideo, key: YAMLNode)] = []
    var liveStreams: [(spec: LiveStreamSpec?, key: YAMLNode)] = []
    var imports: [(spec: ImportSpec, node: YAMLNode)] = []
    var webhooks: [(spec: WebhookSpec?, key: YAMLNode)] = []
    var playlists: [(spec: PendingPlaylist, key: YAMLNode)] = []
    var players: [(spec: PlayerSpec?, key: YAMLNode)] = []
    /// `moved:` blocks, checked once every file is read.
    var moves: [MoveSpec] = []
    /// Objects' `protect:` and `ignore:` keys, by address.
    var lifecycle: [(address: String, spec: LifecycleSpec)] = []
    /// A `project` key is written, valid or not (an invalid one is reported where it is written).
    var projectGiven = false
    /// A top-level key or section could not be read (an unknown key such as `vidoes:`, a section that
    /// is not a mapping): what seems missing from the manifests may be there, so that is not reported.
    var incomplete = false
}

/// A video whose `qualities` may still name a profile defined in another file.
struct PendingVideo {
    var name: String
    var spec: VideoSpec?
    var profileReference: (name: String, node: YAMLNode)?
    /// Where each key of the video was written, for rules that depend on the provider.
    var keyLocations: [String: SourceLocation] = [:]
    /// Where each tag is written (its first occurrence).
    var tagLocations: [String: SourceLocation] = [:]
    /// `player:`, checked against `players:` once every file is read.
    var playerReference: (name: String, node: YAMLNode)?
}

/// Decodes one document into a fragment, reporting every problem it finds.
struct FragmentDecoder {
    var reader: NodeReader
    let files: LocalFileRules
    /// `protect:` and `ignore:` read so far (streamings are read inside their key).
    var lifecycles: [(address: String, spec: LifecycleSpec)] = []

    static let topLevelKeys = [
        "project", "provider", "profiles", "videos", "live_streams", "players", "playlists", "import", "webhooks",
        "moved",
    ]
    static let importKeys = ["to", "id"]
    static let videoKeys =
        [
            "title", "description", "source", "source_sha256", "thumbnail", "is_public", "tags", "metadata", "qualities",
            "type", "watermark", "segment_duration", "captions",
            "default_caption", "chapters", "player",
        ] + Lifecycle.keys
    static let reservedMetadataPrefix = "streamplan."
    /// AIOZ allows 50 metadata pairs; streamplan keeps 7 for its marks (five of identity and content,
    /// the applied-fields hash, and `kept_on_clear`).
    static let maxUserMetadata = 43

    init(file: String, root: String) {
        reader = NodeReader(file: file)
        files = LocalFileRules(root: root)
    }

    mutating func decode(_ root: YAMLNode) -> Fragment {
        var fragment = Fragment(file: reader.file)
        let before = reader.diagnostics.diagnostics.count
        guard let top = reader.mapping(root, allowed: Self.topLevelKeys, what: "a manifest") else {
            fragment.incomplete = true
            return fragment
        }
        if reader.diagnostics.diagnostics.count > before { fragment.incomplete = true }
        fragment.projectGiven = top["project"] != nil
        if let p = top["project"], let value = reader.string(p, what: "project") {
            if Names.isValidProject(value) {
                fragment.project = (value, p)
            } else {
                reader.error(
                    "project \"\(value)\" is not a valid project name: 1 to 63 characters, lowercase letters, digits and '-', starting with a letter",
                    at: p)
            }
        }
        if let p = top["provider"], let value = reader.string(p, what: "provider") {
            if let provider = ServiceProvider(rawValue: value) {
                fragment.provider = (provider, p)
            } else {
                let names = ServiceProvider.allCases.map(\.rawValue)
                var message = "unknown provider \"\(value)\""
                if let guess = Suggest.closest(to: value, in: names) { message += "; did you mean \"\(guess)\"?" }
                reader.error(message + " Known providers: \(names.joined(separator: ", ")).", at: p)
            }
        }
        if let profiles = top["profiles"] {
            for entry in reader.namedEntries(profiles, what: "profiles", incomplete: &fragment.incomplete) {
                let qualities = reader.qualityListLocated(entry.value, what: "profile \(entry.name)")
                let spec = qualities.map {
                    var profile = ProfileSpec(
                        name: entry.name, qualities: $0.map(\.quality), location: reader.location(entry.key))
                    profile.qualityLocations = $0.map(\.location)
                    return profile
                }
                fragment.profiles.append((spec, entry.key))
            }
        }
        if let videos = top["videos"] {
            for entry in reader.namedEntries(videos, what: "videos", incomplete: &fragment.incomplete) {
                fragment.videos.append((video(entry.name, key: entry.key, node: entry.value), entry.key))
                readLifecycle("video.\(entry.name)", kind: "video", node: entry.value)
            }
        }
        if let streams = top["live_streams"] {
            for entry in reader.namedEntries(streams, what: "live_streams") {
                fragment.liveStreams.append((liveStream(entry.name, key: entry.key, node: entry.value), entry.key))
                readLifecycle("live_stream.\(entry.name)", kind: "live_stream", node: entry.value)
            }
        }
        if let playlists = top["playlists"] {
            for entry in reader.namedEntries(playlists, what: "playlists") {
                fragment.playlists.append((playlist(entry.name, key: entry.key, node: entry.value), entry.key))
                readLifecycle("playlist.\(entry.name)", kind: "playlist", node: entry.value)
            }
        }
        if let imports = top["import"] { fragment.imports = importBlocks(imports) }
        if let hooks = top["webhooks"] {
            for entry in reader.namedEntries(hooks, what: "webhooks") {
                fragment.webhooks.append((webhook(entry.name, key: entry.key, node: entry.value), entry.key))
                readLifecycle("webhook.\(entry.name)", kind: "webhook", node: entry.value)
            }
        }
        if let players = top["players"] {
            for entry in reader.namedEntries(players, what: "players", incomplete: &fragment.incomplete) {
                fragment.players.append((player(entry.name, key: entry.key, node: entry.value), entry.key))
                readLifecycle("player.\(entry.name)", kind: "player", node: entry.value)
            }
        }
        if let moved = top["moved"] { fragment.moves = movedBlocks(moved) }
        fragment.lifecycle = lifecycles
        return fragment
    }

    /// `import:` — a list of `{to: ADDRESS, id: ID}`; the address is checked against the manifests
    /// once every file is read.
    private mutating func importBlocks(_ node: YAMLNode) -> [(spec: ImportSpec, node: YAMLNode)] {
        guard let items = node.sequence else {
            if node.scalar.map({ $0.style.isPlain && CoreSchema.resolve($0.value) == .null }) == true { return [] }
            reader.error(
                "import must be a list of {to: ADDRESS, id: ID}, e.g. `import: [{to: video.intro, id: 3f2a…}]`, not \(node.kindDescription)",
                at: node)
            return []
        }
        var result: [(ImportSpec, YAMLNode)] = []
        for item in items {
            guard let f = reader.mapping(item, allowed: Self.importKeys, what: "an import block") else { continue }
            guard
                let toNode = required(
                    f, "to", in: "an import block", hint: "the address to adopt the object as, e.g. video.intro"),
                let idNode = required(f, "id", in: "an import block", hint: "the object's id on the service")
            else { continue }
            guard let to = reader.string(toNode, what: "to"), let id = reader.string(idNode, what: "id") else { continue }
            guard ImportSpec.isImportable(to) else {
                reader.error(
                    "import to \"\(to)\": the address must be \(ImportSpec.importableForms) (the kinds that can be imported)",
                    at: toNode)
                continue
            }
            guard !id.isEmpty, id.count <= 255, !id.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                reader.error("import id \"\(id)\" must be the object's id: 1 to 255 characters, no spaces or '/'", at: idNode)
                continue
            }
            result.append((ImportSpec(to: to, id: id, location: reader.location(item)), item))
        }
        return result
    }

    /// A `source:` that is a URL or an S3 object, with its `source_sha256:` when written.
    /// A video's `thumbnail:` that is a URL or an S3 object (no declared hash: images are small, read once).
    private mutating func remoteSource(_ written: String, node: YAMLNode, declared: YAMLNode?, thumbnail: Bool = false)
        -> LocalFile?
    {
        let what = thumbnail ? "thumbnail" : "source"
        var remote: RemoteSource
        switch RemoteSource.parse(written) {
        case .success(let parsed): remote = parsed
        case .failure(let problem):
            reader.error("\(what) \"\(written)\" is not a valid URL or S3 source: \(problem); \(RemoteSource.allowed)", at: node)
            return nil
        }
        guard let format = MediaFormat.fromExtension(remote.pathForExtension),
            thumbnail ? format.isImage : (format.isVideo || format.isAudio)
        else {
            reader.error(
                "\(what) \"\(remote.shown)\" is a URL or S3 object, so its format is judged by the extension of its path, "
                    + (thumbnail
                        ? "which must name PNG or JPEG (.png, .jpg, .jpeg)"
                        : "which must name MP4, MOV, M4V, WebM or AVI (.mp4, .mov, .m4v, .webm, .avi), "
                            + "or for `type: audio` MP3, M4A, WAV, FLAC or Ogg (.mp3, .m4a, .wav, .flac, .ogg, .opus)"),
                at: node)
            return nil
        }
        if let declared {
            guard let text = reader.string(declared, what: "source_sha256") else { return nil }
            let hex = text.hasPrefix("sha256:") ? String(text.dropFirst("sha256:".count)) : text
            guard hex.count == 64, hex.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
            else {
                reader.error("source_sha256 must be the source's SHA-256: 64 lowercase hex digits", at: declared)
                return nil
            }
            remote.declaredSHA256 = hex
        }
        return LocalFile(written: remote.shown, path: written, size: 0, format: format, remote: remote)
    }

    mutating func required(_ f: Fields, _ key: String, in what: String, hint: String) -> YAMLNode? {
        if let node = f[key] { return node }
        reader.error("\(what) is missing \(key) (\(hint))", at: f.firstKeyNode)
        return nil
    }

    private mutating func video(_ name: String, key: YAMLNode, node: YAMLNode) -> PendingVideo {
        var pending = PendingVideo(name: name)
        let what = "video.\(name)"
        guard let f = reader.mapping(node, allowed: Self.videoKeys, what: what) else { return pending }
        for key in Self.videoKeys {
            if let written = f.keyNode(key) { pending.keyLocations[key] = reader.location(written) }
        }
        for item in f["tags"]?.sequence ?? [] {
            guard let tag = item.scalar?.value, pending.tagLocations[tag] == nil else { continue }
            pending.tagLocations[tag] = reader.location(item)
        }
        let before = reader.diagnostics.diagnostics.count
        var ok = true
        var title = ""
        if let t = required(f, "title", in: what, hint: "1 to 255 characters") {
            if let v = reader.string(t, what: "title") {
                title = v
                reader.checkLength(v, 1...255, what: "title", at: t)
            }
        }
        var description: String?
        if let d = f["description"], let v = reader.string(d, what: "description") {
            description = v
            reader.checkLength(v, 0...1000, what: "description", at: d)
        }
        var source: LocalFile?
        if let s = required(f, "source", in: what, hint: "a video file path, relative to this manifest") {
            if let v = reader.string(s, what: "source") {
                if RemoteSource.isRemote(v) {
                    source = remoteSource(v, node: s, declared: f["source_sha256"])
                } else {
                    source = files.check(v, kind: .source, manifestFile: reader.file, node: s, into: &reader)
                    if let d = f["source_sha256"] {
                        reader.error(
                            "source_sha256 is for a source that is a URL or an S3 object; a local file is hashed by streamplan",
                            at: d)
                    }
                }
            }
        }
        var thumbnail: LocalFile?
        if let t = f["thumbnail"] {
            if let v = reader.string(t, what: "thumbnail") {
                thumbnail =
                    RemoteSource.isRemote(v)
                    ? remoteSource(v, node: t, declared: nil, thumbnail: true)
                    : files.check(v, kind: .thumbnail, manifestFile: reader.file, node: t, into: &reader)
                if thumbnail == nil { ok = false }
            } else {
                ok = false
            }
        }
        let isPublic = f["is_public"].map { reader.bool($0, what: "is_public") } ?? true
        let tags = f["tags"].map { tagList($0) } ?? []
        let metadata = f["metadata"].map { metadataEntries($0) } ?? []
        var qualities: [QualitySpec]?
        var qualityLocations: [SourceLocation] = []
        if let q = f["qualities"] {
            if q.scalar != nil {
                if let profile = reader.string(q, what: "qualities") {
                    pending.profileReference = (profile, q)
                } else {
                    ok = false
                }
            } else if q.sequence != nil {
                let located = reader.qualityListLocated(q, what: "qualities")
                qualities = located?.map(\.quality)
                qualityLocations = located?.map(\.location) ?? []
                if qualities == nil { ok = false }
            } else {
                reader.error("qualities must be a profile name or a list of qualities, not \(q.kindDescription)", at: q)
                ok = false
            }
        }
        var captions: [TextTrackSpec]? = []
        if let node = f["captions"] { captions = textTracks(node, key: "captions", video: name) }
        var chapters: [TextTrackSpec]? = []
        if let node = f["chapters"] { chapters = textTracks(node, key: "chapters", video: name) }
        var defaultCaption: String?
        if let node = f["default_caption"] { defaultCaption = self.defaultCaption(node, captions: captions, video: name) }
        let media = mediaFields(f, video: what, source: source)
        if f["type"]?.scalar?.value == MediaType.audio.rawValue, let qualities {
            audioQualities(qualities, at: qualityLocations, video: what)
        }
        if let metadata, let node = f["metadata"] {
            checkMarkRoom(
                metadata.count, captions: f["captions"] != nil, chapters: f["chapters"] != nil,
                createOptions: media?.needsMark ?? false, at: node)
        }
        if let p = f["player"] {
            pending.playerReference = playerReference(p)
            if pending.playerReference == nil { ok = false }
        }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard ok, !hasErrors, let source, let isPublic, let tags, let metadata, let captions, let chapters, let media else {
            return pending
        }
        pending.spec = VideoSpec(
            name: name, title: title, description: description, source: source, thumbnail: thumbnail,
            isPublic: isPublic, tags: tags, metadata: metadata, qualities: qualities, profile: nil,
            location: reader.location(key))
        pending.spec?.qualityLocations = qualityLocations
        pending.spec?.captions = captions
        pending.spec?.chapters = chapters
        pending.spec?.defaultCaption = defaultCaption
        pending.spec?.mediaType = media.type
        pending.spec?.watermark = media.watermark
        pending.spec?.segmentDuration = media.segmentDuration
        return pending
    }

    /// Captions, chapters and the create-time media fields (`type: audio`, `watermark`,
    /// `segment_duration`) each take one more ownership mark on the video, out of the user's 43.
    private mutating func checkMarkRoom(_ count: Int, captions: Bool, chapters: Bool, createOptions: Bool, at node: YAMLNode) {
        let marks = (captions ? 1 : 0) + (chapters ? 1 : 0) + (createOptions ? 1 : 0)
        let allowed = Self.maxUserMetadata - marks
        guard marks > 0, count > allowed, count <= Self.maxUserMetadata else { return }
        let kinds = [
            captions ? "captions" : nil, chapters ? "chapters" : nil,
            createOptions ? "its create-time settings (type, watermark, segment_duration)" : nil,
        ].compactMap { $0 }.joined(separator: " and ")
        reader.error(
            "\(count) metadata entries; a video with \(kinds) allows at most \(allowed) "
                + "(streamplan records \(kinds) in \(marks == 1 ? "one more mark" : "\(marks) more marks"))",
            at: node)
    }

    mutating func tagList(_ node: YAMLNode) -> [String]? {
        guard let items = reader.list(node, what: "tags") else { return nil }
        if items.count > 50 {
            reader.error("\(items.count) tags; at most 50 are allowed", at: node)
        }
        var tags: [String] = []
        var seen = Set<String>()
        for item in items {
            guard let tag = reader.string(item, what: "a tag") else { continue }
            reader.checkLength(tag, 1...255, what: "a tag", at: item)
            if !seen.insert(tag).inserted {
                reader.warning("tag \"\(tag)\" is listed twice", at: item)
                continue
            }
            tags.append(tag)
        }
        return tags
    }

    mutating func metadataEntries(_ node: YAMLNode) -> [MetadataEntry]? {
        guard let pairs = node.mapping else {
            reader.error(
                "metadata must be a mapping of keys to values (sent to AIOZ as [{key, value}]), not \(node.kindDescription)",
                at: node)
            return nil
        }
        if pairs.count > Self.maxUserMetadata {
            reader.error(
                "\(pairs.count) metadata entries; at most \(Self.maxUserMetadata) are allowed "
                    + "(AIOZ allows 50 and streamplan keeps 5 for its ownership marks)", at: node)
        }
        var entries: [MetadataEntry] = []
        for pair in pairs {
            guard let key = reader.string(pair.key, what: "a metadata key") else { continue }
            reader.checkLength(key, 1...255, what: "metadata key", at: pair.key)
            if key.lowercased().hasPrefix(Self.reservedMetadataPrefix) {
                reader.error(
                    "metadata key \"\(key)\" uses the prefix \"\(Self.reservedMetadataPrefix)\", which streamplan reserves for its ownership marks; choose another key",
                    at: pair.key)
                continue
            }
            guard let value = reader.scalarText(pair.value, what: "metadata value for \"\(key)\"") else { continue }
            reader.checkLength(value, 0...255, what: "metadata value for \"\(key)\"", at: pair.value)
            entries.append(MetadataEntry(key: key, value: value))
        }
        return entries
    }
}
