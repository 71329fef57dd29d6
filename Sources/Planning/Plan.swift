/// What a plan does to one object.
public enum ChangeAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Create the object (a video: then upload its source, complete it, set its thumbnail).
    case create
    /// Change fields in place.
    case update
    /// Put a new object in the old one's place (see `ReplaceOrder`): something fixed at creation changed.
    case replace
    /// Delete an object streamplan created that left the manifests.
    case delete
    /// Finish an upload that an interrupted apply left unfinished.
    case resume
    /// Adopt an object made outside streamplan (an `import:` block): write its marks or registry
    /// entry, and change what differs from the manifests.
    case `import`
    /// Give a managed object a new address (a `moved:` block, or a video found under a new name by
    /// its source's hash): apply rewrites its ownership (address mark or registry entry) only.
    case move
    /// Remember on the service that the object must never be deleted or replaced (`protect: true`).
    case protect
    /// Forget that protection (`protect:` removed from an object the manifests still define).
    case unprotect

    /// The verb in the past tense, as apply reports what it did ("video.intro: imported, id …").
    public var pastTense: String {
        switch self {
        case .create: "created"
        case .update: "updated"
        case .replace: "replaced"
        case .delete: "deleted"
        case .resume: "resumed"
        case .import: "imported"
        case .move: "moved"
        case .protect: "protected"
        case .unprotect: "unprotected"
        }
    }
}

/// The two ways to replace an object, as Terraform tells them apart.
public enum ReplaceOrder: String, Sendable, Hashable, Codable {
    /// The replacement is made (a video: uploaded) before the old object is deleted, so the address
    /// is never without an object. Videos, playlists, streamings.
    case createThenDelete = "create_then_delete"
    /// The old object is deleted first. No kind plans it any more (streamings did until issue 26);
    /// kept so that a saved plan that says so still reads (its streaming is replaced create-first).
    case deleteThenCreate = "delete_then_create"
}

/// A field apply changes in place (or, for a resume, sends again). Typed, so apply never decides
/// from a display string.
public enum ChangedField: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case title, description
    case isPublic = "is_public"
    case tags, metadata, thumbnail
    case name, save
    /// A caption's or chapter's WebVTT file (uploaded again).
    case file
    /// Whether a caption is the video's default.
    case isDefault = "default"
    case url, events
    /// A playlist's videos or their order.
    case items
    /// A player theme's `theme` and `controls` groups and its logo; a video's player theme.
    case theme, controls, logo, player
    /// A streaming's resolutions (changed in place only while it is live).
    case qualities

    public static func < (a: ChangedField, b: ChangedField) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One attribute's old and new value, as text for people. Made by the kind's planner when it plans
/// (it has both objects in hand) and only ever rendered: apply never reads it.
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

/// The planned change of one remote object.
///
/// Apply reads the typed members: `address`, `action`, the ids, `fields`, `thumbnail`,
/// `replaceOrder`, `desired` and `blocked`. `reasons` and `attributes` are for people only.
public struct ResourceChange: Sendable, Hashable {
    public var address: Address
    public var action: ChangeAction
    /// The remote object's id, for everything but a create.
    public var remoteID: String?
    /// The id of the parent object (a streaming's live stream key), when it exists already.
    public var parentID: String?
    /// Why a replace, resume or delete happens, in words.
    public var reasons: [String]
    /// The attributes that change (for a create: the attributes set), as text.
    public var attributes: [AttributeChange]
    /// The fields an update (or a resume) writes.
    public var fields: Set<ChangedField>
    public var thumbnail: ThumbnailChange?
    /// Bytes of source to upload (create, replace, resume).
    public var uploadBytes: Int64
    /// Why apply will not perform this change (e.g. the live stream is broadcasting); nil when it will.
    public var blocked: String?
    /// Set on a replace.
    public var replaceOrder: ReplaceOrder?
    /// What the object must become (nil for a delete).
    public var desired: DesiredValue?
    /// What the plan saw of the remote object; a saved plan is refused when it no longer holds.
    public var fingerprint: RemoteFingerprint?
    /// A delete of an object the registry does not claim but that carries a managed name (left by an
    /// interrupted or concurrent apply): apply deletes the object and leaves the registry alone.
    public var untracked = false
    /// An update that restores what was changed outside streamplan: the manifests are as the last apply
    /// left them (`streamplan.applied_sha256`), the service is not.
    public var drift = false
    /// For a move: the address the object had (`address` is the new one).
    public var movedFrom: Address?

    public init(
        address: Address, action: ChangeAction, remoteID: String? = nil, reasons: [String] = [],
        attributes: [AttributeChange] = [], fields: Set<ChangedField> = [], thumbnail: ThumbnailChange? = nil,
        uploadBytes: Int64 = 0, blocked: String? = nil, parentID: String? = nil, replaceOrder: ReplaceOrder? = nil,
        desired: DesiredValue? = nil, fingerprint: RemoteFingerprint? = nil, untracked: Bool = false,
        movedFrom: Address? = nil
    ) {
        self.address = address
        self.action = action
        self.remoteID = remoteID
        self.reasons = reasons
        self.attributes = attributes
        self.fields = fields
        self.thumbnail = thumbnail
        self.uploadBytes = uploadBytes
        self.blocked = blocked
        self.parentID = parentID
        self.replaceOrder = replaceOrder
        self.desired = desired
        self.fingerprint = fingerprint
        self.untracked = untracked
        self.movedFrom = movedFrom
    }

    public var kind: ResourceKind { address.kind }

    /// A delete or a replace: apply performs it only with --allow-delete. Not the delete that only
    /// removes a caption's or chapter's language from the video's mark (nothing on the service).
    public var isDestructive: Bool { (action == .delete && !isMarkOnly) || action == .replace }

    /// A delete with nothing on the service to delete (issue 26): a caption's or chapter's language
    /// left in the video's mark, or a registry entry (keys, streamings, players, webhooks) naming an
    /// object that is gone, left by an interrupted apply; only the mark or entry is removed.
    public var isMarkOnly: Bool {
        action == .delete && remoteID == nil && (kind.textTrackKind != nil || ResourceChange.registeredKinds.contains(kind))
    }

    /// The kinds owned through the project's registry (they carry no metadata of their own).
    public static let registeredKinds = Set(
        ResourceKind.allCases.filter { [.registry, .registryUnderParent].contains($0.ownership) })

    /// The registry names `id` for `address`, which is no longer in the manifests, and `id` no longer
    /// exists (an apply killed between the service's delete and the registry's update): a mark-only
    /// delete that removes the entry.
    public static func forgetEntry(_ address: Address, id: String, parentID: String? = nil) -> ResourceChange {
        ResourceChange(
            address: address, action: .delete, remoteID: nil,
            reasons: [
                "the project's registry names \(address.kind.noun) \(id), which no longer exists (left by an interrupted "
                    + "apply); only the registry entry is removed"
            ],
            attributes: [AttributeChange(name: "registry entry", before: id, after: nil)], parentID: parentID)
    }

    /// A move, protect or unprotect: it rewrites only streamplan's own records (marks, registry),
    /// never the object; apply runs it apart from the kinds' executors (`OwnershipExecutor`).
    public var isOwnership: Bool { [.move, .protect, .unprotect].contains(action) }
}

/// The whole plan: plain data, built without side effects, rendered and executed elsewhere.
public struct Plan: Sendable, Hashable {
    public var project: String
    public var changes: [ResourceChange]
    /// Addresses that already match the manifests.
    public var unchanged: [Address]
    /// Sentences about objects that are not changes (shown after the changes).
    public var notes: [PlanNote] = []
    /// What the transcodes cost and whether the balance covers it: attached after planning (never by
    /// the planner, never part of a fingerprint); nil when not asked (`--no-cost`) or nothing costs.
    public var cost: PlanCost?

    public init(project: String, changes: [ResourceChange], unchanged: [Address] = []) {
        self.project = project
        self.changes = changes
        self.unchanged = unchanged
    }

    public var hasChanges: Bool { !changes.isEmpty }

    public func count(_ action: ChangeAction) -> Int {
        changes.filter { $0.action == action }.count
    }

    /// The deletes and replaces apply would perform (blocked ones are not performed).
    public var destructiveChanges: [ResourceChange] {
        changes.filter { $0.blocked == nil && $0.isDestructive }
    }

    /// Whether the plan deletes or replaces something (apply needs `--allow-delete`).
    public var isDestructive: Bool { !destructiveChanges.isEmpty }

    /// Changes apply will not perform (e.g. deleting a broadcasting live stream key).
    public var blockedChanges: [ResourceChange] { changes.filter { $0.blocked != nil } }

    /// Whether a planned delete or replace ends a live stream key (its stream key stops working).
    public var changesStreamKeys: Bool {
        changes.contains { $0.kind == .liveStream && $0.isDestructive }
    }

    public var uploadBytes: Int64 { changes.reduce(0) { $0 + $1.uploadBytes } }

    /// The replace orders the plan uses, in a stable order.
    public var replaceOrders: [ReplaceOrder] {
        let used = Set(changes.compactMap(\.replaceOrder))
        return [ReplaceOrder.createThenDelete, .deleteThenCreate].filter(used.contains)
    }
}

extension Plan {
    /// The plan with every resume of an interrupted upload turned into a delete of the half-uploaded
    /// video (`apply --abort-incomplete`: the user gives up on it; a presigned-upload service aborts
    /// the upload and frees its parts). The next plan creates the video afresh.
    public func abandoningIncompleteUploads() -> Plan {
        var plan = self
        plan.changes = changes.map { change in
            guard change.action == .resume, change.address.kind == .video, let id = change.remoteID else { return change }
            return ResourceChange(
                address: change.address, action: .delete, remoteID: id,
                reasons: ["an earlier apply left its upload incomplete; abandoned (--abort-incomplete)"])
        }
        return plan
    }
}
