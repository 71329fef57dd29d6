/// The fields of one object that differ, typed for apply and as text for people; every kind's
/// planner collects its in-place changes with it.
struct FieldChanges {
    private(set) var fields: Set<ChangedField> = []
    private(set) var attributes: [AttributeChange] = []

    var isEmpty: Bool { attributes.isEmpty }

    /// Records `field` when `before` and `after` differ (`differ` decides, by default as text).
    mutating func compare(_ field: ChangedField, _ before: String, _ after: String, differ: Bool? = nil) {
        guard differ ?? (before != after) else { return }
        record(field, before: before, after: after)
    }

    /// Records `field` as changed, with how it is shown.
    mutating func record(_ field: ChangedField, before: String?, after: String?) {
        fields.insert(field)
        attributes.append(AttributeChange(name: field.rawValue, before: before, after: after))
    }
}
