import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)
private let hashA = String(repeating: "a", count: 64)
private let hashB = String(repeating: "b", count: 64)

private func video() -> DesiredVideo {
    DesiredVideo(
        spec: VideoSpec(
            name: "intro", title: "Intro", description: nil,
            source: LocalFile(written: "media/intro.mp4", path: "/m/media/intro.mp4", size: 1000, format: .mp4),
            thumbnail: nil, isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil, location: here),
        sourceSHA256: "src", thumbnailSHA256: nil)
}

private func caption(_ language: String, _ sha: String = hashA, isDefault: Bool = false) -> DesiredTextTrack {
    DesiredTextTrack(
        address: Address(.caption, language, parent: "video.intro"), written: "subs/\(language).vtt",
        path: "/m/subs/\(language).vtt", sha256: sha, isDefault: isDefault)
}

/// The video as an apply left it, with the captions mark `mark`.
private func remote(mark: String?) -> RemoteVideo {
    var metadata = video().metadata(project: "demo")
    if let mark { metadata.append(MetadataEntry(key: TextTrackMark.captionsKey, value: mark)) }
    return RemoteVideo(id: "v1", title: "Intro", metadata: metadata)
}

private func plan(
    _ tracks: [DesiredTextTrack], mark: String?, have: [RemoteTextTrack], contents: [String: String] = [:]
) -> Plan {
    var desired = DesiredState(project: "demo", videos: [video()])
    desired.textTracks = tracks
    var observed = Observation(videos: [remote(mark: mark)])
    observed.textTracks["v1"] = ObservedTextTracks(captions: have)
    observed.textTracks["v1"]?.contentSHA256 = contents
    return Planner.plan(desired, observed)
}

private let a16 = String(hashA.prefix(16))

@Suite("caption and chapter planner")
struct TextTrackPlannerTests {
    @Test("a video this plan creates gets its captions as creates after it, with no parent id")
    func newVideo() {
        var desired = DesiredState(project: "demo", videos: [video()])
        desired.textTracks = [caption("en", isDefault: true)]
        let result = Planner.plan(desired, Observation())
        #expect(result.changes.map(\.address.description) == ["video.intro", "video.intro.caption.en"])
        #expect(result.changes[1].action == .create && result.changes[1].parentID == nil)
        #expect(result.changes[1].fields == [.isDefault])
        #expect(result.changes[1].attributes.map(\.name) == ["file", "sha256", "default"])
    }

    @Test("marked and present with the same hash: unchanged; another hash: an update of the file")
    func compare() {
        let same = plan([caption("en")], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en")])
        #expect(!same.hasChanges)
        #expect(same.unchanged.contains("video.intro.caption.en"))
        let changed = plan([caption("en", hashB)], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en")])
        #expect(changed.changes.map(\.action) == [.update])
        #expect(changed.changes[0].fields == [.file])
        #expect(changed.changes[0].parentID == "v1")
        #expect(changed.changes[0].attributes == [AttributeChange(name: "sha256", before: a16, after: String(hashB.prefix(16)))])
    }

    @Test("a marked language that left the manifests is deleted; an unmarked one is never touched")
    func delete() {
        let result = plan(
            [], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en"), RemoteTextTrack(language: "fr")])
        #expect(result.changes.map(\.address.description) == ["video.intro.caption.en"])
        #expect(result.changes[0].action == .delete && result.changes[0].isDestructive)
    }

    @Test("a wanted language that exists unmarked: adopted when its content equals the file, else an update, never blocked")
    func unmanaged() {
        let same = plan(
            [caption("fr", isDefault: true)], mark: nil, have: [RemoteTextTrack(language: "fr")], contents: ["caption.fr": hashA])
        #expect(same.changes.map(\.action) == [.import])
        #expect(same.changes[0].blocked == nil)
        // Adopting writes the mark; the default is the one thing it changes.
        #expect(same.changes[0].fields == [.isDefault])
        #expect(same.changes[0].reasons[0].contains("with the same content as subs/fr.vtt"))
        let differs = plan([caption("fr")], mark: nil, have: [RemoteTextTrack(language: "fr")], contents: ["caption.fr": hashB])
        #expect(differs.changes.map(\.action) == [.update])
        #expect(differs.changes[0].fields == [.file])
        #expect(differs.changes[0].blocked == nil)
        #expect(
            differs.changes[0].attributes == [
                AttributeChange(name: "sha256", before: String(hashB.prefix(16)) + " (not uploaded by streamplan)", after: a16)
            ])
        #expect(differs.changes[0].reasons[0].contains("streamplan did not upload, and it differs from subs/fr.vtt"))
        let unreadable = plan([caption("fr")], mark: nil, have: [RemoteTextTrack(language: "fr")])
        #expect(unreadable.changes.map(\.action) == [.update])
        #expect(unreadable.changes[0].reasons[0].contains("could not be read to compare"))
    }

    @Test("a marked language gone from the service is created again, saying so; pending is uploaded again")
    func missingAndPending() {
        let gone = plan([caption("en")], mark: "en=\(a16)", have: [])
        #expect(gone.changes.map(\.action) == [.create])
        #expect(gone.changes[0].reasons == ["it is no longer on AIOZ Stream"])
        let pending = plan([caption("en")], mark: "en=pending", have: [RemoteTextTrack(language: "en")])
        #expect(pending.changes.map(\.action) == [.update])
        #expect(pending.changes[0].reasons == ["an earlier apply did not finish uploading it"])
    }

    @Test("the default caption is an update of its own when the service shows another")
    func defaultCaption() {
        let result = plan(
            [caption("en", isDefault: true)], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en", isDefault: false)])
        #expect(result.changes.map(\.action) == [.update])
        #expect(result.changes[0].fields == [.isDefault])
        let done = plan(
            [caption("en", isDefault: true)], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en", isDefault: true)])
        #expect(!done.hasChanges)
    }

    @Test("fingerprints hold the mark entry, existence and default; a change there makes them differ")
    func fingerprint() {
        let result = plan([caption("en", hashB)], mark: "en=\(a16)", have: [RemoteTextTrack(language: "en")])
        let print = try! #require(result.changes.first?.fingerprint)
        #expect(print.fields == ["video_id": "v1", "mark": a16, "default": "false"])
        var later = Observation(videos: [remote(mark: "en=pending")])
        later.textTracks["v1"] = ObservedTextTracks(captions: [RemoteTextTrack(language: "en")])
        let now = TextTrackPlanner(.caption).fingerprint(result.changes[0], later)
        #expect(!print.differences(now).isEmpty)
    }

    @Test("a video without captions or chapters gets no mark and no track lines")
    func noTracks() {
        let result = Planner.plan(DesiredState(project: "demo", videos: [video()]), Observation())
        #expect(result.changes.count == 1)
        #expect(video().metadata(project: "demo").allSatisfy { !TextTrackMark.keys.contains($0.key) })
    }

    @Test("the mark's value: languages sorted, removed whole when empty")
    func mark() {
        var mark = TextTrackMark(parsing: "vi=2,en=1")
        #expect(mark.value == "en=1,vi=2")
        mark.entries = [:]
        let metadata = mark.applied(
            to: [MetadataEntry(key: "a", value: "b"), MetadataEntry(key: TextTrackMark.captionsKey, value: "en=1")],
            kind: .caption)
        #expect(metadata == [MetadataEntry(key: "a", value: "b")])
    }
}
