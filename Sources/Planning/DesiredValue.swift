/// One object as the manifests want it: a kind's desired value (`DesiredVideo`, `DesiredWebhook`, …).
/// A change carries it as a `DesiredValue`; a saved plan keeps it as the kind's own JSON under
/// `desired`, decoded back as the type its kind's planner names (`KindPlanner.desiredType`).
public protocol DesiredObject: Sendable, Hashable, Codable {
    var address: Address { get }
    /// The same value with its local paths made relative to a directory (saving a plan) or resolved
    /// against it (applying a saved plan). Kinds without local files keep the default (unchanged).
    func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> Self
}

extension DesiredObject {
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> Self { self }

    /// The value at `key` as this type, if present (a saved change's `desired`).
    static func decodeValue<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws
        -> DesiredValue?
    {
        try container.decodeIfPresent(Self.self, forKey: key).map(DesiredValue.init)
    }
}

/// The typed desired value a change carries: one kind's `DesiredObject`. Each kind's own file gives
/// its constructor and accessor (`.webhook(want)`, `change.desired?.webhook`).
public struct DesiredValue: Sendable, Hashable {
    public let value: any DesiredObject

    public init(_ value: any DesiredObject) {
        self.value = value
    }

    public static func == (a: DesiredValue, b: DesiredValue) -> Bool { AnyHashable(a.value) == AnyHashable(b.value) }
    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(value)) }

    /// The same value with its local paths made relative to `directory` (saving a plan) or resolved
    /// against it (applying a saved plan).
    public func mapFiles(_ transform: (DesiredFile) -> DesiredFile) -> DesiredValue {
        DesiredValue(value.mapFiles(transform))
    }

    /// Writes the value as its own type's JSON (what the saved plan holds under `key`).
    func encode<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        try container.encode(value, forKey: key)
    }
}
