import Crypto
import Foundation

/// A plan written by `plan --out FILE` and executed by `apply FILE` without planning again.
///
/// It holds the plan document (the same as `plan --format json`, for people and tools) and, per
/// change, what apply executes: the typed change with its desired value and the fingerprint of the
/// remote object as the plan saw it. `apply FILE` re-reads only those objects and refuses when any
/// fingerprint no longer holds. No secrets: keys come from the environment at apply time.
public struct SavedPlan: Sendable, Hashable, Codable {
    /// 2: typed changes with their desired values and fingerprints (1 carried display strings).
    public static let currentFormatVersion = 2
    /// Marks the file as a saved plan (a JSON plan document cannot be applied).
    public static let kindValue = "streamplan-saved-plan"

    public var kind: String
    public var formatVersion: Int
    public var toolVersion: String
    /// SHA-256 over the sorted manifest file paths and contents (informational; see docs/ci.md).
    public var manifestsDigest: String
    public var plan: PlanDocument
    /// What apply executes, one per change of `plan`, in the same order.
    public var changes: [SavedChange]
    /// The manifests' `provider:` when it is not AIOZ Stream (absent: AIOZ Stream, so plans saved for
    /// AIOZ are what they were), so `apply FILE` talks to the service the plan was made against.
    public var provider: String?
    /// The manifest paths `plan --out` was given (absent in plans saved before it was kept), so that a
    /// stale plan's advice names the command that plans the same manifests again.
    public var manifests: [String]?

    enum CodingKeys: String, CodingKey {
        case kind, plan, changes, provider, manifests
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
        case manifestsDigest = "manifests_digest"
    }

    /// `directory` is where `plan` runs; local files under it are stored relative to it.
    public init(plan: Plan, partial: PartialPlan?, manifestsDigest: String, directory: String, shard: Shard? = nil) {
        kind = Self.kindValue
        formatVersion = Self.currentFormatVersion
        toolVersion = ToolVersion.current
        self.manifestsDigest = manifestsDigest
        self.plan = PlanDocument(plan, partial: partial, shard: shard)
        changes = plan.changes.map { SavedChange($0, relativeTo: directory) }
    }

    public func encoded() throws -> Data {
        var data = try PlanJSON.encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// The plan again, its local paths resolved against `directory` (where apply runs). The display
    /// text comes from the document; everything apply acts on from the typed changes.
    public func resolvedPlan(directory: String) throws -> Plan {
        guard plan.changes.count == changes.count else {
            throw SavedPlanError(
                "the saved plan has \(changes.count) typed changes for \(plan.changes.count) shown (the file is damaged)")
        }
        var resolved: [ResourceChange] = []
        for (shown, saved) in zip(plan.changes, changes) {
            guard shown.address == saved.address.description, shown.action == saved.action else {
                throw SavedPlanError("\(saved.address): the typed change does not match the one shown (the file is damaged)")
            }
            resolved.append(
                ResourceChange(
                    address: saved.address, action: saved.action, remoteID: saved.remoteID, reasons: shown.reasons,
                    attributes: shown.attributes, fields: Set(saved.fields), thumbnail: saved.thumbnail,
                    uploadBytes: saved.uploadBytes, blocked: saved.blocked, parentID: saved.parentID,
                    replaceOrder: saved.replaceOrder, desired: saved.desired?.mapFiles { $0.resolved(against: directory) },
                    fingerprint: saved.fingerprint, untracked: saved.untracked, movedFrom: saved.movedFrom))
        }
        var resolvedPlan = Plan(
            project: plan.project, changes: resolved, unchanged: plan.unchanged.compactMap(Address.init(parsing:)))
        // The cost as planned, for people; apply FILE prices the transcodes and reads the balance again.
        resolvedPlan.cost = plan.cost
        return resolvedPlan
    }

    /// Reads a saved plan, refusing other JSON and other format versions with a sentence.
    public static func decode(_ data: Data, path: String) throws -> SavedPlan {
        struct Header: Decodable {
            var kind: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey {
                case kind
                case formatVersion = "format_version"
            }
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SavedPlanError("\(path) is not a saved plan (not JSON); write one with `streamplan plan --out \(path)`")
        }
        guard header.kind == kindValue else {
            throw SavedPlanError(
                "\(path) is not a saved plan (a `plan --format json` document cannot be applied); "
                    + "write one with `streamplan plan --out \(path)`")
        }
        guard header.formatVersion == currentFormatVersion else {
            throw SavedPlanError(
                "\(path) has format_version \(header.formatVersion.map(String.init) ?? "none"); this streamplan "
                    + "(\(ToolVersion.current)) applies format_version \(currentFormatVersion) only. Plan again with this version."
            )
        }
        do {
            return try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch {
            throw SavedPlanError("\(path) is damaged: \(error)")
        }
    }

    /// SHA-256 over the manifest files: each path (as given, sorted), a NUL, its bytes, a NUL.
    public static func manifestsDigest(files: [String]) throws -> String {
        var hasher = SHA256()
        for file in files.sorted() {
            hasher.update(data: Data(file.utf8) + [0])
            hasher.update(data: try Data(contentsOf: URL(fileURLWithPath: file)) + [0])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// An error reading a saved plan.
public struct SavedPlanError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One change as a saved plan keeps it for apply: typed, with its desired value and fingerprint.
public struct SavedChange: Sendable, Hashable, Codable {
    public var address: Address
    public var action: ChangeAction
    public var remoteID: String?
    public var parentID: String?
    public var fields: [ChangedField]
    public var thumbnail: ThumbnailChange?
    public var uploadBytes: Int64
    public var blocked: String?
    public var replaceOrder: ReplaceOrder?
    public var desired: DesiredValue?
    public var fingerprint: RemoteFingerprint?
    public var untracked: Bool
    /// For a move, the address the object had.
    public var movedFrom: Address?

    enum CodingKeys: String, CodingKey {
        case address, action, fields, thumbnail, blocked, desired, fingerprint, untracked
        case movedFrom = "moved_from"
        case remoteID = "remote_id"
        case parentID = "parent_id"
        case uploadBytes = "upload_bytes"
        case replaceOrder = "replace_order"
    }

    public init(_ change: ResourceChange, relativeTo directory: String) {
        address = change.address
        action = change.action
        remoteID = change.remoteID
        parentID = change.parentID
        fields = change.fields.sorted()
        thumbnail = change.thumbnail
        uploadBytes = change.uploadBytes
        blocked = change.blocked
        replaceOrder = change.replaceOrder
        desired = change.desired?.mapFiles { $0.relative(to: directory) }
        fingerprint = change.fingerprint
        untracked = change.untracked
        movedFrom = change.movedFrom
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(Address.self, forKey: .address)
        action = try c.decode(ChangeAction.self, forKey: .action)
        remoteID = try c.decodeIfPresent(String.self, forKey: .remoteID)
        parentID = try c.decodeIfPresent(String.self, forKey: .parentID)
        fields = try c.decode([ChangedField].self, forKey: .fields)
        thumbnail = try c.decodeIfPresent(ThumbnailChange.self, forKey: .thumbnail)
        uploadBytes = try c.decode(Int64.self, forKey: .uploadBytes)
        blocked = try c.decodeIfPresent(String.self, forKey: .blocked)
        replaceOrder = try c.decodeIfPresent(ReplaceOrder.self, forKey: .replaceOrder)
        fingerprint = try c.decodeIfPresent(RemoteFingerprint.self, forKey: .fingerprint)
        untracked = try c.decodeIfPresent(Bool.self, forKey: .untracked) ?? false
        movedFrom = try c.decodeIfPresent(Address.self, forKey: .movedFrom)
        // The desired value's type follows the address's kind: the one its planner names.
        desired = try Planner.planner(for: address.kind).desiredType.decodeValue(c, forKey: .desired)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(action, forKey: .action)
        try c.encode(remoteID, forKey: .remoteID)
        try c.encode(parentID, forKey: .parentID)
        try c.encode(fields, forKey: .fields)
        try c.encode(thumbnail, forKey: .thumbnail)
        try c.encode(uploadBytes, forKey: .uploadBytes)
        try c.encode(blocked, forKey: .blocked)
        try c.encode(replaceOrder, forKey: .replaceOrder)
        try c.encode(fingerprint, forKey: .fingerprint)
        if untracked { try c.encode(untracked, forKey: .untracked) }
        if let movedFrom { try c.encode(movedFrom, forKey: .movedFrom) }
        if let desired { try desired.encode(to: &c, forKey: .desired) } else { try c.encodeNil(forKey: .desired) }
    }
}
