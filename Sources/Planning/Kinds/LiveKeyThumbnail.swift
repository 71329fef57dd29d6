/// A live stream key's thumbnail and type, as `LiveKeyPlanner` plans them.
///
/// The service keeps a key's thumbnail but gives no URL, hash or date for it, so the hash of the
/// image streamplan uploaded is kept in the registry entry `live_stream.NAME.thumbnail`
/// (`sha256:HEX`), as a player's logo: the image is uploaded when the manifests' hash differs from
/// the recorded one, and removed when the manifests drop it and the registry records one (an image
/// set by hand, never recorded, is never removed).
extension DesiredLiveKey {
    /// The registry entry recording the key's thumbnail hash.
    public static func thumbnailEntry(_ address: Address) -> Address { Address(.liveStream, address.name + ".thumbnail") }

    /// The value that entry holds for an image of hash `sha256`.
    public static func thumbnailMark(_ sha256: String) -> String { "sha256:" + sha256 }

    /// The key's type as the service reports it for one that says nothing: `video`.
    public static let defaultType = "video"
}

extension LiveKeyPlanner {
    /// What happens to the thumbnail of managed key `want` (nil: nothing), and how it is shown.
    static func thumbnailChange(_ want: DesiredLiveKey, _ registry: RegistryEntries) -> (ThumbnailChange, AttributeChange)? {
        let recorded = registry.entry(DesiredLiveKey.thumbnailEntry(want.address))
        let before = recorded.map { "sha256 \($0.dropFirst("sha256:".count).prefix(12))" } ?? "(none)"
        guard let image = want.thumbnail, let sha256 = image.sha256 else {
            guard recorded != nil else { return nil }
            return (.remove, AttributeChange(name: "thumbnail", before: before, after: "(none)"))
        }
        guard recorded != DesiredLiveKey.thumbnailMark(sha256) else { return nil }
        return (recorded == nil ? .set : .replace, AttributeChange(name: "thumbnail", before: before, after: describe(image)))
    }

    static func describe(_ image: DesiredFile) -> String {
        image.sha256.map { "\(image.written) (sha256 \($0.prefix(12)))" } ?? image.written
    }

    /// A key whose type differs from the manifests': the type is fixed when a key is created (the
    /// document's update types `type` as a boolean of no stated meaning), so it would be a replace,
    /// which ends the stream key: never done for a key, shown blocked with what to do instead.
    static func typeChange(_ want: DesiredLiveKey, _ have: ObservedLiveKey, _ options: PlanOptions) -> ResourceChange? {
        let current = have.key.type ?? DesiredLiveKey.defaultType
        guard let type = want.type, type != current else { return nil }
        return ResourceChange(
            address: want.address, action: .replace, remoteID: have.id,
            reasons: ["a live stream key's type is fixed when it is created", keyStopsWorking(want.address)],
            attributes: [AttributeChange(name: "type", before: current, after: type)],
            blocked: "streamplan never replaces a live stream key (every encoder would need the new stream key); "
                + "to get a key of type \(type), give it a new name under live_streams: (a new key is created, and "
                + "`streamplan apply --allow-delete` deletes this one), or write type: \(current)",
            desired: .liveKey(want))
    }
}
