public import YAMLNodes

/// A saved recording of a live stream key that the manifests manage
/// (`live_streams: KEY: recordings: NAME: {streaming | id, title, description, tags, is_public, player}`).
///
/// AIOZ Stream makes a recording (a media) when a saved streaming ends; streamplan never creates or
/// deletes one. An entry selects one recording of its key and sets the fields it writes; a field left
/// out keeps what the service has.
public struct RecordingSpec: Sendable, Hashable {
    /// How an entry names its recording.
    public enum Selector: Sendable, Hashable {
        /// The recording of the key's streaming of this name (`live_stream.KEY.streaming.NAME`).
        case streaming(String)
        /// The recording's media id, as `streamplan status` lists it.
        case mediaID(String)
    }

    /// The manifest's name for it (its address is `live_stream.KEY.recording.NAME`).
    public var name: String
    public var liveStream: String
    public var selector: Selector
    public var title: String?
    public var description: String?
    public var tags: [String]?
    public var isPublic: Bool?
    /// The name of a player theme of the manifests (`players:`).
    public var player: String?
    /// Where `player:` is written (checked against `players:` once every file is read).
    public var playerLocation: SourceLocation?
    public var location: SourceLocation

    public init(
        name: String, liveStream: String, selector: Selector, title: String? = nil, description: String? = nil,
        tags: [String]? = nil, isPublic: Bool? = nil, player: String? = nil, playerLocation: SourceLocation? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.liveStream = liveStream
        self.selector = selector
        self.title = title
        self.description = description
        self.tags = tags
        self.isPublic = isPublic
        self.player = player
        self.playerLocation = playerLocation
        self.location = location
    }

    public var address: String { "live_stream.\(liveStream).recording.\(name)" }
}

/// `recording_defaults:` of a live stream key: fields applied to every saved recording of the key
/// (an entry of `recordings:` overrides them for its recording).
public struct RecordingDefaultsSpec: Sendable, Hashable {
    public var description: String?
    public var tags: [String]?
    public var isPublic: Bool?
    public var player: String?
    public var playerLocation: SourceLocation?
    public var location: SourceLocation

    public init(
        description: String? = nil, tags: [String]? = nil, isPublic: Bool? = nil, player: String? = nil,
        playerLocation: SourceLocation? = nil, location: SourceLocation
    ) {
        self.description = description
        self.tags = tags
        self.isPublic = isPublic
        self.player = player
        self.playerLocation = playerLocation
        self.location = location
    }
}

/// `recordings:` and `recording_defaults:` under a live stream key.
extension FragmentDecoder {
    static let recordingDefaultKeys = ["description", "tags", "is_public", "player"]

    mutating func recordingDefaults(_ node: YAMLNode, of stream: String) -> RecordingDefaultsSpec? {
        let what = "live_stream.\(stream).recording_defaults"
        // No title: every recording would have the same one (give each its own under `recordings:`).
        guard let f = reader.mapping(node, allowed: Self.recordingDefaultKeys, what: what) else { return nil }
        let before = reader.diagnostics.diagnostics.count
        var spec = RecordingDefaultsSpec(location: reader.location(node))
        if let d = f["description"], let v = reader.string(d, what: "description") {
            spec.description = v
            reader.checkLength(v, 0...1000, what: "description", at: d)
        }
        spec.tags = f["tags"].map { tagList($0) } ?? nil
        spec.isPublic = f["is_public"].map { reader.bool($0, what: "is_public") } ?? nil
        if let p = f["player"], let ref = playerReference(p) {
            spec.player = ref.name
            spec.playerLocation = reader.location(ref.node)
        }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        return hasErrors ? nil : spec
    }

    static let recordingKeys = ["streaming", "id", "title", "description", "tags", "is_public", "player"]

    /// The key's recordings; `streamings` are the names of the key's streamings (what `streaming:` may name).
    mutating func recordingEntries(_ node: YAMLNode, of stream: String, streamings: [String]) -> [RecordingSpec] {
        var out: [RecordingSpec] = []
        var selected: [RecordingSpec.Selector: YAMLNode] = [:]
        for entry in reader.namedEntries(node, what: "recordings") {
            guard let spec = recording(entry.name, of: stream, key: entry.key, node: entry.value, streamings: streamings)
            else { continue }
            if let first = selected[spec.selector] {
                reader.error(
                    "two recordings of live_stream.\(stream) select the same recording (the other is at line \(first.mark.line)); "
                        + "each entry manages a different recording", at: entry.key)
                continue
            }
            selected[spec.selector] = entry.key
            out.append(spec)
        }
        return out
    }

    mutating func recording(_ name: String, of stream: String, key: YAMLNode, node: YAMLNode, streamings: [String])
        -> RecordingSpec?
    {
        let what = "live_stream.\(stream).recording.\(name)"
        guard let f = reader.mapping(node, allowed: Self.recordingKeys, what: what) else { return nil }
        let before = reader.diagnostics.diagnostics.count
        var selector: RecordingSpec.Selector?
        switch (f["streaming"], f["id"]) {
        case (let s?, nil):
            if let v = reader.string(s, what: "streaming") {
                if streamings.contains(v) {
                    selector = .streaming(v)
                } else {
                    var message = "\(what) selects streaming \(v), which live_stream.\(stream) does not define"
                    message += Suggest.closest(to: v, in: streamings.sorted()).map { "; did you mean \($0)?" } ?? "."
                    message +=
                        streamings.isEmpty
                        ? " The key has no streamings: select the recording by its media id (id:) instead."
                        : " Its streamings: \(streamings.sorted().joined(separator: ", "))."
                    reader.error(message, at: s)
                }
            }
        case (nil, let i?):
            if let v = reader.string(i, what: "id") {
                if v.isEmpty || v.count > 255 || v.contains(where: { $0.isWhitespace || $0 == "/" }) {
                    reader.error("id must be a media id as `streamplan status` lists it (no spaces or '/')", at: i)
                } else {
                    selector = .mediaID(v)
                }
            }
        case (_?, let i?):
            reader.error("\(what) has both streaming and id; select the recording one way", at: i)
        case (nil, nil):
            reader.error(
                "\(what) selects no recording: write streaming: NAME (a streaming of this key) "
                    + "or id: MEDIA_ID (as `streamplan status` lists the key's saved recordings)", at: key)
        }
        var title: String?
        if let t = f["title"], let v = reader.string(t, what: "title") {
            title = v
            reader.checkLength(v, 1...255, what: "title", at: t)
        }
        var description: String?
        if let d = f["description"], let v = reader.string(d, what: "description") {
            description = v
            reader.checkLength(v, 0...1000, what: "description", at: d)
        }
        let tags = f["tags"].map { tagList($0) }
        let isPublic = f["is_public"].map { reader.bool($0, what: "is_public") }
        var player: String?
        var playerLocation: SourceLocation?
        if let p = f["player"], let ref = playerReference(p) {
            player = ref.name
            playerLocation = reader.location(ref.node)
        }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard !hasErrors, let selector else { return nil }
        return RecordingSpec(
            name: name, liveStream: stream, selector: selector, title: title, description: description,
            tags: tags ?? nil, isPublic: isPublic ?? nil, player: player, playerLocation: playerLocation,
            location: reader.location(key))
    }
}
