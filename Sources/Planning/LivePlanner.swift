public import Manifest

/// A live stream key as the plan sees it. It never holds `stream_key` or `rtmp_url`: secrets do not
/// enter plans, so they cannot leak through a rendered, logged or saved plan.
public struct ObservedLiveKey: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var save: Bool
    public var createdAt: String?
    /// Every streaming of the key, oldest first (managed or not: broadcasting is judged on all).
    public var streamings: [ObservedStreaming]

    public init(id: String, name: String, save: Bool, createdAt: String? = nil, streamings: [ObservedStreaming] = []) {
        self.id = id
        self.name = name
        self.save = save
        self.createdAt = createdAt
        self.streamings = streamings
    }

    /// An encoder is pushing to the key: one of its streamings is in status `streaming`.
    public var isBroadcasting: Bool { streamings.contains(where: \.isBroadcasting) }

    /// The streaming `PUT /live_streams/{id}/streamings` updates: the newest one.
    public var latestStreamingID: String? { streamings.last?.id }
}

/// A streaming under a key.
public struct ObservedStreaming: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var save: Bool
    /// `created`, `streaming`, `ended`.
    public var status: String
    public var qualities: [String]
    public var createdAt: String?

    public init(id: String, title: String, save: Bool, status: String = "created", qualities: [String] = [],
                createdAt: String? = nil) {
        self.id = id
        self.title = title
        self.save = save
        self.status = status
        self.qualities = qualities
        self.createdAt = createdAt
    }

    public var isBroadcasting: Bool { status == "streaming" }
}

/// The project's registry: manifest address → remote id, for live stream keys and streamings, which
/// carry no metadata of their own. An address is managed only when the registry names it.
///
/// A value is a remote id, or `pending:<unix seconds>` while a create is in flight (see docs/design.md).
public struct LiveRegistryEntries: Sendable, Hashable, Codable {
    public var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    public static let pendingPrefix = "pending:"

    /// The remote id recorded for an address (nil when absent or still pending).
    public func id(_ address: String) -> String? {
        guard let value = entries[address], !value.hasPrefix(Self.pendingPrefix) else { return nil }
        return value
    }

    /// When a create of `address` was started but its id never recorded: the unix time it started.
    public func pendingSince(_ address: String) -> Int? {
        guard let value = entries[address], value.hasPrefix(Self.pendingPrefix) else { return nil }
        return Int(value.dropFirst(Self.pendingPrefix.count))
    }

    /// Every id the registry claims.
    public var claimedIDs: Set<String> {
        Set(entries.values.filter { !$0.hasPrefix(Self.pendingPrefix) })
    }

    /// Key addresses (`live_stream.NAME`), sorted.
    public var keyAddresses: [String] {
        entries.keys.filter { $0.hasPrefix("live_stream.") && !$0.contains(".streaming.") }.sorted()
    }

    /// Streaming addresses under one key address, sorted.
    public func streamingAddresses(of keyAddress: String) -> [String] {
        entries.keys.filter { $0.hasPrefix(keyAddress + ".streaming.") }.sorted()
    }
}

/// What the account has of the project's live objects.
public struct ObservedLive: Sendable, Hashable {
    public var registry: LiveRegistryEntries
    /// The keys the registry names (by id) that still exist; unmanaged keys are never read in.
    public var keys: [String: ObservedLiveKey]

    public init(registry: LiveRegistryEntries = LiveRegistryEntries(), keys: [String: ObservedLiveKey] = [:]) {
        self.registry = registry
        self.keys = keys
    }
}

/// Desired live streams × observed → changes. Pure, like `Planner`.
public enum LivePlanner {
    /// The sentence every plan that ends a key's life carries.
    public static func keyStopsWorking(_ address: String) -> String {
        "the stream key of \(address) will stop working; every encoder using it must be reconfigured"
    }

    public static func plan(desired: [LiveStreamSpec], observed: ObservedLive, forceLive: Bool = false)
        -> (changes: [ResourceChange], unchanged: [String])
    {
        var changes: [ResourceChange] = []
        var unchanged: [String] = []
        let registry = observed.registry
        let wanted = Set(desired.map(\.address))
        for want in desired.sorted(by: { $0.name < $1.name }) {
            let address = want.address
            guard let id = registry.id(address), let have = observed.keys[id] else {
                var reasons: [String] = []
                if let lost = registry.id(address) {
                    reasons.append("its key \(lost) no longer exists on AIOZ Stream")
                } else if registry.pendingSince(address) != nil {
                    reasons.append("an earlier apply started creating it but never recorded the key")
                }
                changes.append(ResourceChange(
                    kind: .liveStream, address: address, action: .create, reasons: reasons,
                    attributes: [AttributeChange(name: "name", before: nil, after: want.displayName),
                                 AttributeChange(name: "save", before: nil, after: String(want.save))]))
                for streaming in want.streamings.sorted(by: { $0.name < $1.name }) {
                    changes.append(createStreaming(streaming, parentID: nil))
                }
                continue
            }
            var attributes: [AttributeChange] = []
            if have.name != want.displayName {
                attributes.append(AttributeChange(name: "name", before: have.name, after: want.displayName))
            }
            if have.save != want.save {
                attributes.append(AttributeChange(name: "save", before: String(have.save), after: String(want.save)))
            }
            if attributes.isEmpty {
                unchanged.append(address)
            } else {
                changes.append(ResourceChange(kind: .liveStream, address: address, action: .update, remoteID: id,
                                              attributes: attributes))
            }
            changes += streamingChanges(want, have, registry: registry, forceLive: forceLive, unchanged: &unchanged)
        }
        for address in registry.keyAddresses where !wanted.contains(address) {
            guard let id = registry.id(address), let have = observed.keys[id] else { continue }
            var attributes = [AttributeChange(name: "name", before: have.name, after: nil)]
            if !have.streamings.isEmpty {
                attributes.append(AttributeChange(name: "streamings", before: "\(have.streamings.count), deleted with the key",
                                                  after: nil))
            }
            changes.append(ResourceChange(
                kind: .liveStream, address: address, action: .delete, remoteID: id,
                reasons: ["it is no longer in the manifests", keyStopsWorking(address)],
                attributes: attributes, blocked: blocked(have.isBroadcasting, forceLive, what: "the key")))
        }
        return (changes, unchanged)
    }

    static func blocked(_ broadcasting: Bool, _ forceLive: Bool, what: String) -> String? {
        guard broadcasting, !forceLive else { return nil }
        return "\(what) is broadcasting now (a streaming is in status `streaming`); run with --force-live to do it anyway"
    }

    static func createStreaming(_ spec: StreamingSpec, parentID: String?) -> ResourceChange {
        ResourceChange(
            kind: .streaming, address: spec.address, action: .create,
            attributes: [AttributeChange(name: "title", before: nil, after: spec.title),
                         AttributeChange(name: "save", before: nil, after: String(spec.save)),
                         AttributeChange(name: "qualities", before: nil,
                                         after: spec.qualities.isEmpty ? "server defaults" : qualities(spec.qualities))],
            parentID: parentID)
    }

    static func qualities(_ list: [String]) -> String { "[" + list.joined(separator: ", ") + "]" }

    /// Resolutions compared as a set: AIOZ may return them in another order.
    static func sameQualities(_ a: [String], _ b: [String]) -> Bool { Set(a) == Set(b) && a.count == b.count }

    static func streamingChanges(_ want: LiveStreamSpec, _ key: ObservedLiveKey, registry: LiveRegistryEntries,
                                 forceLive: Bool, unchanged: inout [String]) -> [ResourceChange] {
        var changes: [ResourceChange] = []
        let byID = Dictionary(key.streamings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let wanted = Set(want.streamings.map(\.address))
        for spec in want.streamings.sorted(by: { $0.name < $1.name }) {
            guard let id = registry.id(spec.address), let have = byID[id] else {
                var change = createStreaming(spec, parentID: key.id)
                if let lost = registry.id(spec.address) { change.reasons = ["its streaming \(lost) no longer exists on AIOZ Stream"] }
                changes.append(change)
                continue
            }
            var reasons: [String] = []
            var attributes: [AttributeChange] = []
            // Omitted qualities mean the server's defaults, which are not known here: never a replace.
            if !spec.qualities.isEmpty && !sameQualities(have.qualities, spec.qualities) {
                reasons.append("qualities are fixed when a streaming is created")
                attributes.append(AttributeChange(name: "qualities", before: qualities(have.qualities), after: qualities(spec.qualities)))
            }
            var fields: [AttributeChange] = []
            if have.title != spec.title { fields.append(AttributeChange(name: "title", before: have.title, after: spec.title)) }
            if have.save != spec.save {
                fields.append(AttributeChange(name: "save", before: String(have.save), after: String(spec.save)))
            }
            attributes += fields
            if reasons.isEmpty && fields.isEmpty {
                unchanged.append(spec.address)
                continue
            }
            if reasons.isEmpty && key.latestStreamingID != id {
                reasons.append("AIOZ Stream updates only a key's newest streaming, and this one is not the newest")
            }
            if reasons.isEmpty {
                changes.append(ResourceChange(kind: .streaming, address: spec.address, action: .update, remoteID: id,
                                              attributes: fields, parentID: key.id))
            } else {
                changes.append(ResourceChange(
                    kind: .streaming, address: spec.address, action: .replace, remoteID: id, reasons: reasons,
                    attributes: attributes, blocked: blocked(have.isBroadcasting, forceLive, what: "the streaming"),
                    parentID: key.id))
            }
        }
        for address in registry.streamingAddresses(of: want.address) where !wanted.contains(address) {
            guard let id = registry.id(address), let have = byID[id] else { continue }
            changes.append(ResourceChange(
                kind: .streaming, address: address, action: .delete, remoteID: id,
                reasons: ["it is no longer in the manifests"],
                attributes: [AttributeChange(name: "title", before: have.title, after: nil)],
                blocked: blocked(have.isBroadcasting, forceLive, what: "the streaming"), parentID: key.id))
        }
        return changes
    }
}

/// The lines a plan's text adds for live stream keys: the stream key warning and blocked changes.
enum LiveNotes {
    static func footer(_ plan: Plan) -> String {
        var out = ""
        if plan.changesStreamKeys {
            let keys = plan.changes.filter { $0.kind == .liveStream && ($0.action == .delete || $0.action == .replace) }
            out += "\nStream keys change: " + keys.map(\.address).joined(separator: ", ")
                + ". Every encoder (OBS and the like) configured with them must be reconfigured.\n"
        }
        let blocked = plan.blockedChanges
        if !blocked.isEmpty {
            out += "\n\(blocked.count) change\(blocked.count == 1 ? " is" : "s are") blocked and will not be applied:\n"
            for change in blocked {
                out += "  \(change.address) (\(change.action.rawValue)): \(change.blocked ?? "")\n"
            }
        }
        return out
    }
}
