import Foundation

/// The version of streamplan recorded in JSON plans and saved plans.
public enum ToolVersion {
    public static let current = "0.1.0"
}

/// The machine-readable form of a plan (`plan --format json`), described by schemas/plan.schema.json.
///
/// Field names are snake_case and spelled out in `CodingKeys`, so renaming a Swift property can never
/// change the document. Adding an optional field is compatible; anything else bumps `formatVersion`.
public struct PlanDocument: Sendable, Hashable, Codable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var toolVersion: String
    public var project: String
    /// Set when --target or --exclude left changes out.
    public var partial: PartialPlan?
    /// Set when the plan is one shard's (`--shard I/N`); absent otherwise.
    public var shard: Shard?
    public var summary: Summary
    public var changes: [Change]
    public var unchanged: [String]
    /// The plan's notes; absent when there are none.
    public var notes: [Note]?
    /// What the transcodes cost (`PlanCost`); absent with `--no-cost` or when nothing is transcoded.
    public var cost: PlanCost?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
        case project, partial, shard, summary, changes, unchanged, notes, cost
    }

    /// One `PlanNote`.
    public struct Note: Sendable, Hashable, Codable {
        public var address: String
        public var text: String
    }

    /// Counts per action and the bytes to upload.
    public struct Summary: Sendable, Hashable, Codable {
        public var create, update, replace, delete, resume: Int
        public var uploadBytes: Int64
        /// Imports; absent when there are none (plans without imports keep their shape).
        public var imports: Int?
        /// Moves; absent when there are none.
        public var moves: Int?
        /// Protection records written or forgotten; absent when there are none.
        public var protections: Int?

        enum CodingKeys: String, CodingKey {
            case create, update, replace, delete, resume
            case uploadBytes = "upload_bytes"
            case imports = "import"
            case moves = "move"
            case protections = "protection"
        }
    }

    /// One `ResourceChange`.
    public struct Change: Sendable, Hashable, Codable {
        public var kind: ResourceKind
        public var address: String
        public var action: ChangeAction
        public var remoteID: String?
        public var parentID: String?
        public var reasons: [String]
        public var attributes: [AttributeChange]
        public var thumbnail: ThumbnailChange?
        public var uploadBytes: Int64
        public var blocked: String?
        /// Written only when the replacement is made after the old object is deleted
        /// (`delete_then_create`); a replace without it creates first, then deletes.
        public var replaceOrder: ReplaceOrder?
        /// True for an update that restores a change made outside streamplan; absent otherwise.
        public var drift: Bool?
        /// For a move, the address the object had; absent otherwise.
        public var movedFrom: String?

        enum CodingKeys: String, CodingKey {
            case kind, address, action, reasons, attributes, thumbnail, blocked
            case remoteID = "remote_id"
            case parentID = "parent_id"
            case uploadBytes = "upload_bytes"
            case replaceOrder = "replace_order"
            case drift
            case movedFrom = "moved_from"
        }

        public init(_ change: ResourceChange) {
            kind = change.kind
            address = change.address.description
            action = change.action
            remoteID = change.remoteID
            parentID = change.parentID
            reasons = change.reasons
            attributes = change.attributes
            thumbnail = change.thumbnail
            uploadBytes = change.uploadBytes
            blocked = change.blocked
            replaceOrder = change.replaceOrder == .deleteThenCreate ? .deleteThenCreate : nil
            drift = change.drift ? true : nil
            movedFrom = change.movedFrom?.description
        }

        // Optional fields are written as null rather than left out, so every change has the same keys.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(address, forKey: .address)
            try c.encode(action, forKey: .action)
            try c.encode(remoteID, forKey: .remoteID)
            try c.encode(parentID, forKey: .parentID)
            try c.encode(reasons, forKey: .reasons)
            try c.encode(attributes, forKey: .attributes)
            try c.encode(thumbnail, forKey: .thumbnail)
            try c.encode(uploadBytes, forKey: .uploadBytes)
            try c.encode(blocked, forKey: .blocked)
            if replaceOrder == .deleteThenCreate { try c.encode(replaceOrder, forKey: .replaceOrder) }
            if drift == true { try c.encode(true, forKey: .drift) }
            if let movedFrom { try c.encode(movedFrom, forKey: .movedFrom) }
        }
    }

    public init(_ plan: Plan, partial: PartialPlan? = nil, shard: Shard? = nil) {
        self.shard = shard
        formatVersion = Self.currentFormatVersion
        toolVersion = ToolVersion.current
        project = plan.project
        self.partial = partial
        summary = Summary(
            create: plan.count(.create), update: plan.count(.update), replace: plan.count(.replace),
            delete: plan.count(.delete), resume: plan.count(.resume), uploadBytes: plan.uploadBytes,
            imports: plan.count(.import) > 0 ? plan.count(.import) : nil,
            moves: plan.count(.move) > 0 ? plan.count(.move) : nil,
            protections: plan.count(.protect) + plan.count(.unprotect) > 0
                ? plan.count(.protect) + plan.count(.unprotect) : nil)
        changes = plan.changes.map(Change.init)
        unchanged = plan.unchanged.map(\.description)
        notes = plan.notes.isEmpty ? nil : plan.notes.map { Note(address: $0.address.description, text: $0.text) }
        cost = plan.cost
    }

    public func encoded() throws -> String {
        PlanJSON.compactEmpty(String(decoding: try PlanJSON.encoder.encode(self), as: UTF8.self)) + "\n"
    }
}

/// JSON settings shared by plan documents and saved plans: sorted keys, so output is deterministic.
public enum PlanJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Foundation's pretty printer writes an empty array or object over three lines (`[`, a blank
    /// line, `]`); this writes `[]` and `{}`. Safe: a JSON string never holds a raw newline.
    public static func compactEmpty(_ json: String) -> String {
        var out = json
        for (open, close) in [("[", "]"), ("{", "}")] {
            let pattern = "\\" + open + "\n\\s*\n\\s*\\" + close
            out = out.replacingOccurrences(of: pattern, with: open + close, options: .regularExpression)
        }
        return out
    }

    /// `plan --format json`.
    public static func render(_ plan: Plan, partial: PartialPlan? = nil, shard: Shard? = nil) throws -> String {
        try PlanDocument(plan, partial: partial, shard: shard).encoded()
    }
}
