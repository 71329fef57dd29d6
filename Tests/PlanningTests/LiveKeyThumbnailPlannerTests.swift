import Planning
import Providers
import Testing

/// A managed key `townhall` (id k1) with `registry` extra entries, planned against `want`.
private func plan(_ want: DesiredLiveKey, type: String? = nil, extra: [String: String] = [:]) -> Plan {
    var entries = ["live_stream.townhall": "k1"]
    entries.merge(extra) { _, new in new }
    let observed = Observation(
        registry: RegistryEntries(entries),
        liveKeys: ["k1": ObservedLiveKey(RemoteLiveKey(id: "k1", name: "Town Hall", save: true, type: type))])
    var desired = DesiredState(project: "demo")
    desired.liveKeys = [want]
    return Planner.plan(desired, observed, options: PlanOptions())
}

private func key(thumbnail sha256: String? = nil, type: String? = nil) -> DesiredLiveKey {
    DesiredLiveKey(
        address: "live_stream.townhall", name: "Town Hall", save: true, type: type,
        thumbnail: sha256.map { DesiredFile(written: "media/c.png", path: "/m/media/c.png", size: 10, format: .png, sha256: $0) })
}

@Suite("live key thumbnail and type planner")
struct LiveKeyThumbnailPlannerTests {
    let entry = DesiredLiveKey.thumbnailEntry("live_stream.townhall").description

    @Test("the thumbnail entry is live_stream.NAME.thumbnail, never read as an address")
    func entryName() {
        #expect(entry == "live_stream.townhall.thumbnail")
        #expect(RegistryEntries([entry: "sha256:aa"]).addresses(of: .liveStream).isEmpty)
    }

    @Test("set when none is recorded, replaced when the hash differs, unchanged when it is the same, removed when dropped")
    func thumbnail() throws {
        let set = try #require(plan(key(thumbnail: "aa")).changes.first)
        #expect(set.action == .update && set.thumbnail == .set && set.fields == [.thumbnail])
        let replace = try #require(plan(key(thumbnail: "bb"), extra: [entry: "sha256:aa"]).changes.first)
        #expect(replace.thumbnail == .replace)
        #expect(replace.attributes == [AttributeChange(name: "thumbnail", before: "sha256 aa", after: "media/c.png (sha256 bb)")])
        #expect(plan(key(thumbnail: "aa"), extra: [entry: "sha256:aa"]).changes.isEmpty)
        let remove = try #require(plan(key(), extra: [entry: "sha256:aa"]).changes.first)
        #expect(remove.thumbnail == .remove && remove.fields == [.thumbnail])
        #expect(plan(key()).changes.isEmpty)
    }

    @Test("a type other than the key's is a blocked replace; the same type, or none written, is no change")
    func type() throws {
        #expect(plan(key(type: "audio"), type: "audio").changes.isEmpty)
        #expect(plan(key(), type: "audio").changes.isEmpty)
        #expect(plan(key(type: "video")).changes.isEmpty)
        let change = try #require(plan(key(type: "audio"), type: "video").changes.first)
        #expect(change.action == .replace && change.blocked != nil)
        #expect(!Plan(project: "demo", changes: [change]).isDestructive)
    }

    @Test("a key's fingerprint holds its thumbnail entry, and its type when the manifests write one")
    func fingerprint() {
        let change = ResourceChange(
            address: "live_stream.townhall", action: .update, remoteID: "k1", fields: [.thumbnail],
            desired: .liveKey(key(thumbnail: "bb", type: "audio")))
        let observed = Observation(
            registry: RegistryEntries(["live_stream.townhall": "k1", entry: "sha256:aa"]),
            liveKeys: ["k1": ObservedLiveKey(RemoteLiveKey(id: "k1", name: "Town Hall", save: true, type: "audio"))])
        let print = LiveKeyPlanner().fingerprint(change, observed)
        #expect(print.fields["thumbnail_entry"] == "sha256:aa" && print.fields["type"] == "audio")
    }
}
