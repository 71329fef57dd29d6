/// The kinds of remote object streamplan manages.
///
/// A kind names its parent (a streaming lives under a live stream key) and the kinds it refers to,
/// which together give the order of apply: parents and referenced objects first on create, last
/// on delete (see `KindOrder`).
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case video
    case liveStream = "live_stream"
    case streaming
    case caption
    case chapter
    case webhook
    case playlist
    case player
    case restream
    /// A saved recording of a live stream key (made by the service; streamplan only updates it).
    case recording

    /// The kind an object of this kind lives under.
    public var parent: ResourceKind? {
        switch self {
        case .video, .liveStream, .webhook, .playlist, .player: nil
        case .streaming, .restream, .recording: .liveStream
        case .caption, .chapter: .video
        }
    }

    /// Kinds whose objects must exist before this kind's can be created: the parent and any kind
    /// referred to (a playlist names videos; a video names its player theme).
    public var dependencies: [ResourceKind] {
        if self == .playlist { return [.video, .recording] }
        // A recording refers to its player theme, as a video does.
        if self == .recording { return [.liveStream, .player] }
        // A video refers to its player theme: players are created first and deleted last.
        if self == .video { return [.player] }
        return parent.map { [$0] } ?? []
    }

    /// How streamplan knows an object of this kind is the project's, which says how it moves and
    /// what a delete of a vanished object removes (docs/design.md, "Moves and protection").
    public var ownership: Ownership {
        switch self {
        case .video, .playlist: .marks
        case .liveStream, .streaming, .webhook, .player: .registry
        case .restream: .registryUnderParent
        case .caption, .chapter, .recording: .parent
        }
    }

    /// What people call one object of this kind, in the singular.
    public var noun: String {
        switch self {
        case .video: "video"
        case .liveStream: "live stream key"
        case .streaming: "streaming"
        case .caption: "caption"
        case .chapter: "chapter list"
        case .webhook: "webhook"
        case .playlist: "playlist"
        case .player: "player theme"
        case .restream: "restream destination"
        case .recording: "recording"
        }
    }
}

/// How the objects of a kind are known to be the project's.
public enum Ownership: Sendable, Hashable {
    /// Their own metadata carries the project and their address (videos, playlists); a move rewrites it.
    case marks
    /// The project's registry records their id at their address (keys, streamings, webhooks, player
    /// themes); a move renames the entry.
    case registry
    /// The registry records them, but they move only with their parent (restream destinations).
    case registryUnderParent
    /// Known through their parent (captions and chapters in the video's mark, recordings by the key's
    /// entry); they move only with it.
    case parent
}

/// Where an object lives in the manifests: `video.intro`, `live_stream.townhall`,
/// `live_stream.townhall.streaming.kickoff`. Parsed once; compared and sorted as its text.
public struct Address: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral, Codable {
    /// One `kind.name` step.
    public struct Step: Sendable, Hashable {
        public var kind: ResourceKind
        public var name: String
    }

    public let steps: [Step]
    public let description: String

    /// The address of an object of `kind` named `name`, under `parent` when the kind has one.
    public init(_ kind: ResourceKind, _ name: String, parent: Address? = nil) {
        steps = (parent?.steps ?? []) + [Step(kind: kind, name: name)]
        description = steps.map { "\($0.kind.rawValue).\($0.name)" }.joined(separator: ".")
    }

    /// Parses `kind.name[.kind.name…]`; nil unless every step names a known kind under its parent.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.count % 2 == 0 else { return nil }
        var steps: [Step] = []
        for index in stride(from: 0, to: parts.count, by: 2) {
            guard let kind = ResourceKind(rawValue: parts[index]), !parts[index + 1].isEmpty,
                kind.parent == steps.last?.kind
            else { return nil }
            steps.append(Step(kind: kind, name: parts[index + 1]))
        }
        self.steps = steps
        description = text
    }

    /// For tests and constants; a malformed literal is a programming error.
    public init(stringLiteral value: String) {
        guard let parsed = Address(parsing: value) else { preconditionFailure("not an address: \(value)") }
        self = parsed
    }

    public var kind: ResourceKind { steps[steps.count - 1].kind }
    public var name: String { steps[steps.count - 1].name }

    /// The address of the object this one lives under.
    public var parent: Address? {
        guard steps.count > 1 else { return nil }
        return Address(steps: Array(steps.dropLast()))
    }

    /// The top-level object this one lives under (itself when it has no parent).
    public var root: Address { steps.count == 1 ? self : Address(steps: [steps[0]]) }

    private init(steps: [Step]) {
        self.steps = steps
        description = steps.map { "\($0.kind.rawValue).\($0.name)" }.joined(separator: ".")
    }

    public static func < (a: Address, b: Address) -> Bool { a.description < b.description }

    public static func == (a: Address, b: Address) -> Bool { a.description == b.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Address(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an address: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
