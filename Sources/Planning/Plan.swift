/// What a plan does to one resource.
public enum ChangeAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Create the video, upload its source, complete it, set its thumbnail.
    case create
    /// Change fields in place (title, description, tags, metadata, is_public, thumbnail).
    case update
    /// Create a new video and delete the old one: the source or the qualities changed.
    case replace
    /// Delete a video streamplan created that left the manifests.
    case delete
    /// Finish an upload that an interrupted apply left in status `new`.
    case resume
}

/// One attribute's old and new value, as text for people.
public struct AttributeChange: Sendable, Hashable, Codable {
    public var name: String
    public var before: String?
    public var after: String?

    public init(name: String, before: String?, after: String?) {
        self.name = name
        self.before = before
        self.after = after
    }
}

/// What happens to a video's thumbnail.
public enum ThumbnailChange: String, Sendable, Hashable, Codable {
    case set, replace, remove
}

/// The kinds of remote object a plan manages.
public enum ResourceKind: String, Sendable, Hashable, Codable {
    case video
    case liveStream = "live_stream"
    case streaming
}

/// The planned change of one remote object, addressed as `video.NAME`, `live_stream.NAME` or
/// `live_stream.NAME.streaming.NAME`.
public struct ResourceChange: Sendable, Hashable, Codable {
    public var kind: ResourceKind
    public var address: String
    public var action: ChangeAction
    /// The remote video's id, for everything but a create.
    public var remoteID: String?
    /// Why a replace or a delete happens, in words.
    public var reasons: [String]
    /// The attributes that change (for a create: the attributes set).
    public var attributes: [AttributeChange]
    public var thumbnail: ThumbnailChange?
    /// Bytes of source to upload (create, replace, resume).
    public var uploadBytes: Int64
    /// Why apply will not perform this change (e.g. the live stream is broadcasting); nil when it will.
    public var blocked: String?
    /// The id of the parent object (a streaming's live stream key), when there is one.
    public var parentID: String?

    public init(kind: ResourceKind = .video, address: String, action: ChangeAction, remoteID: String? = nil,
                reasons: [String] = [], attributes: [AttributeChange] = [], thumbnail: ThumbnailChange? = nil,
                uploadBytes: Int64 = 0, blocked: String? = nil, parentID: String? = nil) {
        self.kind = kind
        self.address = address
        self.action = action
        self.remoteID = remoteID
        self.reasons = reasons
        self.attributes = attributes
        self.thumbnail = thumbnail
        self.uploadBytes = uploadBytes
        self.blocked = blocked
        self.parentID = parentID
    }
}

/// The whole plan: plain data, built without side effects, rendered and executed elsewhere.
public struct Plan: Sendable, Hashable, Codable {
    public var project: String
    public var changes: [ResourceChange]
    /// Addresses that already match the manifests.
    public var unchanged: [String]

    public init(project: String, changes: [ResourceChange], unchanged: [String] = []) {
        self.project = project
        self.changes = changes
        self.unchanged = unchanged
    }

    public var hasChanges: Bool { !changes.isEmpty }

    public func count(_ action: ChangeAction) -> Int {
        changes.filter { $0.action == action }.count
    }

    /// Whether the plan deletes or replaces something (apply needs `--allow-delete`); blocked
    /// changes are not performed, so they do not count.
    public var isDestructive: Bool {
        changes.contains { $0.blocked == nil && ($0.action == .delete || $0.action == .replace) }
    }

    /// Changes apply will not perform (e.g. deleting a broadcasting live stream key).
    public var blockedChanges: [ResourceChange] { changes.filter { $0.blocked != nil } }

    /// Whether a planned delete or replace ends a live stream key (its stream key stops working).
    public var changesStreamKeys: Bool {
        changes.contains { $0.kind == .liveStream && ($0.action == .delete || $0.action == .replace) }
    }

    public var uploadBytes: Int64 { changes.reduce(0) { $0 + $1.uploadBytes } }
}
