public import Manifest

/// Desired × observed → Plan. A pure function: no I/O, no clock, no randomness.
public enum Planner {
    /// Plans the changes that make the videos marked with `project` match `desired`.
    ///
    /// Only videos carrying `streamplan.project == project` are considered; everything else on the
    /// account is never touched and never shown.
    public static func plan(project: String, desired: [DesiredVideo], observed: [ObservedVideo]) -> Plan {
        var byAddress: [String: [ObservedVideo]] = [:]
        for video in observed where video.mark(OwnershipMark.project) == project && video.status != "deleted" {
            guard let address = video.mark(OwnershipMark.address) else { continue }
            byAddress[address, default: []].append(video)
        }
        var changes: [ResourceChange] = []
        var unchanged: [String] = []
        let wanted = Set(desired.map(\.address))
        for want in desired.sorted(by: { $0.address < $1.address }) {
            var candidates = byAddress[want.address] ?? []
            guard !candidates.isEmpty else {
                changes.append(create(want))
                continue
            }
            candidates.sort { preferred($0, $1, for: want) }
            let keep = candidates[0]
            for extra in candidates.dropFirst() {
                changes.append(ResourceChange(
                    address: want.address, action: .delete, remoteID: extra.id,
                    reasons: ["a second video carries this address (left by an interrupted apply); \(keep.id) is kept"]))
            }
            if let change = compare(want, keep, project: project) {
                changes.append(change)
            } else {
                unchanged.append(want.address)
            }
        }
        for address in byAddress.keys.sorted() where !wanted.contains(address) {
            for video in byAddress[address] ?? [] {
                changes.append(ResourceChange(
                    address: address, action: .delete, remoteID: video.id,
                    reasons: ["it is no longer in the manifests"],
                    attributes: [AttributeChange(name: "title", before: video.title, after: nil)]))
            }
        }
        return Plan(project: project, changes: changes, unchanged: unchanged)
    }

    /// Which of two videos with one address to keep: one whose source and qualities match the
    /// manifests (after a replace interrupted between its create and its delete, the new one),
    /// then the furthest along, then the newest.
    static func preferred(_ a: ObservedVideo, _ b: ObservedVideo, for want: DesiredVideo) -> Bool {
        func matches(_ v: ObservedVideo) -> Bool {
            v.mark(OwnershipMark.sourceSHA256) == want.sourceSHA256 && v.mark(OwnershipMark.qualitiesSHA256) == want.qualitiesSHA256
        }
        if matches(a) != matches(b) { return matches(a) }
        let rank = ["done": 3, "transcoding": 2, "new": 1, "fail": 0]
        let ra = rank[a.status] ?? 0, rb = rank[b.status] ?? 0
        if ra != rb { return ra > rb }
        return (a.updatedAt ?? "", a.id) > (b.updatedAt ?? "", b.id)
    }

    static func create(_ want: DesiredVideo) -> ResourceChange {
        let spec = want.spec
        var attributes = [
            AttributeChange(name: "title", before: nil, after: spec.title),
            AttributeChange(name: "source", before: nil, after: spec.source.written),
            AttributeChange(name: "qualities", before: nil, after: Describe.qualities(spec)),
            AttributeChange(name: "is_public", before: nil, after: String(spec.isPublic)),
        ]
        if let d = spec.description { attributes.append(AttributeChange(name: "description", before: nil, after: d)) }
        if !spec.tags.isEmpty { attributes.append(AttributeChange(name: "tags", before: nil, after: Describe.list(spec.tags))) }
        if !spec.metadata.isEmpty {
            attributes.append(AttributeChange(name: "metadata", before: nil, after: Describe.metadata(spec.metadata)))
        }
        if let t = spec.thumbnail { attributes.append(AttributeChange(name: "thumbnail", before: nil, after: t.written)) }
        return ResourceChange(address: want.address, action: .create, attributes: attributes,
                           thumbnail: spec.thumbnail == nil ? nil : .set, uploadBytes: spec.source.size)
    }

    static func compare(_ want: DesiredVideo, _ have: ObservedVideo, project: String) -> ResourceChange? {
        let spec = want.spec
        var reasons: [String] = []
        if have.mark(OwnershipMark.sourceSHA256) != want.sourceSHA256 {
            reasons.append("source changed")
        }
        if have.mark(OwnershipMark.qualitiesSHA256) != want.qualitiesSHA256 {
            reasons.append("qualities are fixed at creation")
        }
        if have.status == "fail" {
            reasons.append("transcoding failed on AIOZ Stream")
        }
        if !reasons.isEmpty {
            var change = create(want)
            change.action = .replace
            change.remoteID = have.id
            change.reasons = reasons
            change.attributes = replacementAttributes(want, have, reasons: reasons)
            return change
        }
        var attributes: [AttributeChange] = []
        if have.title != spec.title {
            attributes.append(AttributeChange(name: "title", before: have.title, after: spec.title))
        }
        if have.description != (spec.description ?? "") {
            attributes.append(AttributeChange(name: "description", before: have.description, after: spec.description ?? ""))
        }
        if have.isPublic != spec.isPublic {
            attributes.append(AttributeChange(name: "is_public", before: String(have.isPublic), after: String(spec.isPublic)))
        }
        if Set(have.tags) != Set(spec.tags) || have.tags.count != spec.tags.count {
            attributes.append(AttributeChange(name: "tags", before: Describe.list(have.tags), after: Describe.list(spec.tags)))
        }
        if Describe.sortedPairs(have.userMetadata) != Describe.sortedPairs(spec.metadata) {
            attributes.append(AttributeChange(name: "metadata", before: Describe.metadata(have.userMetadata),
                                              after: Describe.metadata(spec.metadata)))
        }
        let thumbnail = thumbnailChange(have.mark(OwnershipMark.thumbnailSHA256), want.thumbnailSHA256)
        if let thumbnail {
            attributes.append(AttributeChange(name: "thumbnail", before: have.mark(OwnershipMark.thumbnailSHA256).map(Describe.short),
                                              after: want.thumbnailSHA256.map { "\(spec.thumbnail?.written ?? "") (\(Describe.short($0)))" }))
        }
        if have.status == "new" {
            return ResourceChange(address: want.address, action: .resume, remoteID: have.id,
                               reasons: ["an earlier apply stopped before the upload completed"], attributes: attributes,
                               thumbnail: thumbnail ?? (want.thumbnailSHA256 == nil ? nil : .set), uploadBytes: spec.source.size)
        }
        guard !attributes.isEmpty else { return nil }
        return ResourceChange(address: want.address, action: .update, remoteID: have.id, attributes: attributes, thumbnail: thumbnail)
    }

    static func thumbnailChange(_ have: String?, _ want: String?) -> ThumbnailChange? {
        switch (have, want) {
        case (nil, nil): return nil
        case (nil, .some): return .set
        case (.some, nil): return .remove
        case (.some(let a), .some(let b)): return a == b ? nil : .replace
        }
    }

    static func replacementAttributes(_ want: DesiredVideo, _ have: ObservedVideo, reasons: [String]) -> [AttributeChange] {
        var attributes: [AttributeChange] = []
        if have.mark(OwnershipMark.sourceSHA256) != want.sourceSHA256 {
            attributes.append(AttributeChange(
                name: "source", before: have.mark(OwnershipMark.sourceSHA256).map { "sha256 \(Describe.short($0))" },
                after: "\(want.spec.source.written) (sha256 \(Describe.short(want.sourceSHA256)))"))
        }
        if have.mark(OwnershipMark.qualitiesSHA256) != want.qualitiesSHA256 {
            attributes.append(AttributeChange(name: "qualities", before: have.mark(OwnershipMark.qualitiesSHA256).map(Describe.short),
                                              after: Describe.qualities(want.spec)))
        }
        if have.title != want.spec.title {
            attributes.append(AttributeChange(name: "title", before: have.title, after: want.spec.title))
        }
        return attributes
    }
}

/// Short textual forms of values for plans.
enum Describe {
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    static func metadata(_ entries: [MetadataEntry]) -> String {
        "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func sortedPairs(_ entries: [MetadataEntry]) -> [String] {
        entries.map { "\($0.key)\u{0}\($0.value)" }.sorted()
    }

    static func short(_ hash: String) -> String { String(hash.prefix(12)) }

    static func qualities(_ spec: VideoSpec) -> String {
        guard let qualities = spec.qualities else { return "server defaults" }
        let list = qualities.map { "\($0.resolution) \($0.type)" }.joined(separator: ", ")
        return spec.profile.map { "\($0) (\(list))" } ?? list
    }
}
