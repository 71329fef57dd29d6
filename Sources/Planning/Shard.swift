import Crypto
import Foundation

/// One of N parts of a project, so that a catalogue too large for one runner is planned and applied
/// by N CI jobs (`--shard I/N`): each shard owns the addresses whose stable hash falls to it, deletes
/// included, and the N shards together make exactly the changes one run would.
///
/// Videos (and whatever lives under a video) go by a SHA-256 of their top-level address, so a
/// shard's objects do not depend on the account or on the other addresses. Live stream keys, their
/// streamings and the registry that records them belong to shard 1 only.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// From 1.
    public let index: Int
    public let count: Int

    public static let maxCount = 1000

    public init?(index: Int, count: Int) {
        guard (1...Self.maxCount).contains(count), (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (1 ≤ I ≤ N ≤ 1000).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (from 1) that owns `address` when the project is split into `count`.
    public static func owner(of address: Address, count: Int) -> Int {
        let root = address.root
        guard root.kind == .video, count > 1 else { return 1 }
        let digest = Array(SHA256.hash(data: Data(root.description.utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(value % UInt64(count)) + 1
    }

    public func owns(_ address: Address) -> Bool { Self.owner(of: address, count: count) == index }

    /// The part of `plan` this shard performs: its changes and its up-to-date addresses.
    public func apply(to plan: Plan) -> Plan {
        Plan(project: plan.project, changes: plan.changes.filter { owns($0.address) }, unchanged: plan.unchanged.filter(owns))
    }

    /// The name that keeps this shard's lock and lease apart from the other shards'.
    public func qualify(_ project: String) -> String { "\(project).shard-\(index)-of-\(count)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let shard = Shard(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a shard: \(text)"))
        }
        self = shard
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
