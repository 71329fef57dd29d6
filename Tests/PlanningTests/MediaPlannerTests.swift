import Foundation
import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private func desired(
    type: MediaType = .video, watermark: WatermarkSpec? = nil, segment: Int? = nil, source: String = "aaa"
) -> DesiredVideo {
    var spec = VideoSpec(
        name: "a", title: "Title", description: nil,
        source: LocalFile(written: "media/a.m4a", path: "/m/media/a.m4a", size: 1000, format: type == .audio ? .m4a : .mp4),
        thumbnail: nil, isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil, location: here)
    spec.mediaType = type
    spec.watermark = watermark
    spec.segmentDuration = segment
    return DesiredVideo(spec: spec, sourceSHA256: source, thumbnailSHA256: nil)
}

/// The video an apply of `want` leaves behind; `reportedType` is the service's `type`.
private func observed(_ want: DesiredVideo, reportedType: String? = nil) -> RemoteVideo {
    var video = RemoteVideo(id: "v1", title: want.title, metadata: want.metadata(project: "demo"))
    video.mediaType = reportedType
    return video
}

private func plan(_ want: DesiredVideo, _ have: [RemoteVideo], options: PlanOptions = PlanOptions()) -> Plan {
    Planner.plan(DesiredState(project: "demo", videos: [want]), Observation(videos: have), options: options)
}

private let logo = WatermarkSpec(id: "logo", top: "10px", right: "5%", opacity: "80%")

@Suite("planner: type, watermark and segment_duration")
struct MediaPlannerTests {
    @Test("a create shows the create-time fields and its metadata carries the create-options mark")
    func create() throws {
        let want = desired(type: .audio, segment: 6)
        let change = try #require(plan(want, []).changes.first)
        #expect(change.action == .create)
        #expect(change.attributes.contains(AttributeChange(name: "type", before: nil, after: "audio")))
        #expect(change.attributes.contains(AttributeChange(name: "segment_duration", before: nil, after: "6 s")))
        let mark = want.metadata(project: "demo").first { $0.key == OwnershipMark.createOptions }
        #expect(mark?.value == "segment_duration=6,type=audio")
        let marked = desired(watermark: logo).metadata(project: "demo").first { $0.key == OwnershipMark.createOptions }
        #expect(marked?.value == "watermark=" + OwnershipMark.watermarkHash(logo))
    }

    @Test("what an apply left is no change, whether the service reports the type or not")
    func noChanges() {
        let want = desired(type: .audio, watermark: nil, segment: 4)
        #expect(!plan(want, [observed(want, reportedType: "audio")]).hasChanges)
        #expect(!plan(want, [observed(want)]).hasChanges)
        let video = desired(watermark: logo, segment: 2)
        #expect(!plan(video, [observed(video, reportedType: "video")]).hasChanges)
    }

    @Test("a video without the mark (made before it, or by 0.1.0) is the defaults: never a replace for it")
    func absentMarkIsDefault() {
        let want = desired()
        #expect(want.createOptionsMark == nil)
        #expect(!want.metadata(project: "demo").contains { $0.key == OwnershipMark.createOptions })
        #expect(!plan(want, [observed(want, reportedType: "video")]).hasChanges)
    }

    @Test("a changed watermark is a replace that says what forces it, with the hashes")
    func watermarkChanged() throws {
        let old = desired(watermark: logo)
        var moved = logo
        moved.right = "10%"
        let change = try #require(plan(desired(watermark: moved), [observed(old)]).changes.first)
        #expect(change.action == .replace && change.replaceOrder == .createThenDelete)
        #expect(change.reasons == ["the watermark is fixed at creation"])
        let attribute = try #require(change.attributes.first { $0.name == "watermark" })
        #expect(attribute.before == "sha256 \(OwnershipMark.watermarkHash(logo))")
        #expect(attribute.after?.hasPrefix("{id: logo, top: 10px, right: 10%, opacity: 80%} (sha256 ") == true)
        // Removing it is a replace too.
        let removed = try #require(plan(desired(), [observed(old)]).changes.first)
        #expect(removed.action == .replace && removed.reasons == ["the watermark is fixed at creation"])
    }

    @Test("a changed segment_duration is a replace with before and after")
    func segmentChanged() throws {
        let change = try #require(plan(desired(segment: 10), [observed(desired(segment: 6))]).changes.first)
        #expect(change.action == .replace)
        #expect(change.reasons == ["segment_duration is fixed at creation"])
        #expect(change.attributes.contains(AttributeChange(name: "segment_duration", before: "6 s", after: "10 s")))
        let added = try #require(plan(desired(segment: 10), [observed(desired())]).changes.first)
        #expect(
            added.attributes.contains(AttributeChange(name: "segment_duration", before: "the service's default", after: "10 s")))
    }

    @Test("a type the service reports differently from the manifests is a replace")
    func typeChanged() throws {
        let want = desired(type: .audio)
        let change = try #require(plan(want, [observed(desired(), reportedType: "video")]).changes.first)
        #expect(change.action == .replace && change.reasons == ["the media type is fixed at creation"])
        #expect(change.attributes.contains(AttributeChange(name: "type", before: "video", after: "audio")))
    }

    @Test("a service without audio media blocks the create of one, with its reason")
    func audioBlocked() throws {
        var options = PlanOptions()
        options.audioMediaUnsupported = "no audio here"
        let change = try #require(plan(desired(type: .audio), [], options: options).changes.first)
        #expect(change.blocked == "no audio here")
        #expect(plan(desired(), [], options: options).changes.first?.blocked == nil)
    }

    @Test("a saved plan's desired video keeps the fields, and one without them encodes as before")
    func coding() throws {
        let want = desired(type: .audio, segment: 6)
        let data = try JSONEncoder().encode(want)
        #expect(try JSONDecoder().decode(DesiredVideo.self, from: data) == want)
        let plain = String(decoding: try JSONEncoder().encode(desired()), as: UTF8.self)
        #expect(!plain.contains("media_type") && !plain.contains("watermark") && !plain.contains("segment_duration"))
    }

    @Test("an import of an audio media as a video is blocked with the key to write; the watermark is recorded, said so")
    func importing() throws {
        var state = DesiredState(project: "demo", videos: [desired(watermark: logo)])
        state.imports[Address(.video, "a")] = "x1"
        var have = RemoteVideo(id: "x1", title: "Title")
        have.mediaType = "audio"
        var options = PlanOptions()
        options.trustSource = true
        let blocked = try #require(Planner.plan(state, Observation(videos: [have]), options: options).changes.first)
        #expect(blocked.action == .import)
        #expect(blocked.blocked?.contains("write `type: audio` to adopt it") == true, "\(blocked.blocked ?? "")")
        have.mediaType = "video"
        let adopted = try #require(Planner.plan(state, Observation(videos: [have]), options: options).changes.first)
        #expect(adopted.blocked == nil)
        #expect(adopted.reasons.contains { $0.contains("its watermark cannot be read back") }, "\(adopted.reasons)")
    }
}
