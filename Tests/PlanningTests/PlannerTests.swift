import Manifest
import Providers
import TestSupport
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private func spec(
    _ name: String, title: String = "Title", tags: [String] = [], thumbnail: Bool = false,
    qualities: [QualitySpec]? = nil
) -> VideoSpec {
    VideoSpec(
        name: name, title: title, description: nil,
        source: LocalFile(written: "media/\(name).mp4", path: "/m/media/\(name).mp4", size: 1000, format: .mp4),
        thumbnail: thumbnail ? LocalFile(written: "media/\(name).jpg", path: "/m/\(name).jpg", size: 10, format: .jpeg) : nil,
        isPublic: true, tags: tags, metadata: [], qualities: qualities, profile: nil, location: here)
}

private func desired(
    _ name: String, title: String = "Title", source: String = "aaa", thumb: String? = nil,
    tags: [String] = [], qualities: [QualitySpec]? = nil
) -> DesiredVideo {
    DesiredVideo(
        spec: spec(name, title: title, tags: tags, thumbnail: thumb != nil, qualities: qualities),
        sourceSHA256: source, thumbnailSHA256: thumb)
}

/// The remote video an apply of `want` leaves behind.
private func observed(_ want: DesiredVideo, id: String, project: String = "demo", status: String = "done") -> RemoteVideo {
    RemoteVideo(
        id: id, title: want.title, isPublic: want.isPublic, tags: want.tags,
        metadata: want.metadata(project: project), state: VideoState(rawValue: status))
}

/// The video planner's plan, through the planner loop.
private func planVideos(project: String = "demo", desired: [DesiredVideo], observed: [RemoteVideo]) -> Plan {
    Planner.plan(DesiredState(project: project, videos: desired), Observation(videos: observed))
}

@Suite("planner")
struct PlannerTests {
    @Test("a first plan only creates")
    func firstPlan() {
        let plan = planVideos(desired: [desired("a"), desired("b", thumb: "t")], observed: [])
        #expect(plan.changes.map(\.action) == [.create, .create])
        #expect(plan.changes[1].thumbnail == .set)
        #expect(plan.uploadBytes == 2000)
    }

    @Test("plan(x, x) has no changes")
    func noChanges() {
        let want = [desired("a", thumb: "t", tags: ["x", "y"]), desired("b")]
        let plan = planVideos(desired: want, observed: want.enumerated().map { observed($1, id: "id\($0)") })
        #expect(!plan.hasChanges)
        #expect(plan.unchanged == ["video.a", "video.b"])
    }

    @Test("a title change is one in-place update")
    func titleChange() throws {
        let old = desired("a", title: "Old")
        let plan = planVideos(desired: [desired("a", title: "New")], observed: [observed(old, id: "v1")])
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.action == .update && change.remoteID == "v1")
        #expect(change.fields == [.title])
        #expect(change.attributes == [AttributeChange(name: "title", before: "Old", after: "New")])
        #expect(change.desired?.video == desired("a", title: "New"))
        #expect(change.fingerprint?.fields["title"] == "Old")
    }

    @Test("changed source bytes are a replace with the reason")
    func sourceChanged() {
        let plan = planVideos(desired: [desired("a", source: "bbb")], observed: [observed(desired("a"), id: "v1")])
        #expect(plan.changes.first?.action == .replace)
        #expect(plan.changes.first?.reasons == ["source changed"])
        #expect(plan.changes.first?.replaceOrder == .createThenDelete)
        #expect(plan.isDestructive)
    }

    @Test("changed qualities are a replace: they are fixed at creation")
    func qualitiesChanged() {
        let ladder = [QualityRules.shorthand("720p")!]
        let plan = planVideos(desired: [desired("a", qualities: ladder)], observed: [observed(desired("a"), id: "v1")])
        #expect(plan.changes.first?.reasons == ["qualities are fixed at creation"])
    }

    @Test(
        "thumbnails: added, changed, removed",
        arguments: [
            (nil, "t1", ThumbnailChange.set), ("t1", "t2", .replace), ("t1", nil, .remove),
        ] as [(String?, String?, ThumbnailChange)])
    func thumbnails(before: String?, after: String?, expected: ThumbnailChange) {
        let plan = planVideos(
            desired: [desired("a", thumb: after)],
            observed: [observed(desired("a", thumb: before), id: "v1")])
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes.first?.thumbnail == expected)
    }

    @Test("a marked video that left the manifests is a delete")
    func delete() {
        let plan = planVideos(desired: [], observed: [observed(desired("gone"), id: "v9")])
        #expect(plan.changes.map(\.action) == [.delete])
        #expect(plan.changes.first?.reasons == ["it is no longer in the manifests"])
    }

    @Test("videos without the mark, or of another project, are never touched nor shown")
    func foreignVideos() {
        let unmarked = RemoteVideo(id: "u1", title: "Made by hand")
        let other = observed(desired("a"), id: "o1", project: "other-project")
        let plan = planVideos(desired: [], observed: [unmarked, other])
        #expect(!plan.hasChanges)
    }

    @Test("a marked video still in status new is resumed, not duplicated")
    func resume() {
        let plan = planVideos(desired: [desired("a")], observed: [observed(desired("a"), id: "v1", status: "new")])
        #expect(plan.changes.map(\.action) == [.resume])
        #expect(plan.changes.first?.remoteID == "v1")
    }

    @Test("two videos with one address: the furthest along is kept, the other deleted")
    func duplicates() {
        let want = desired("a")
        let plan = planVideos(
            desired: [want],
            observed: [observed(want, id: "v-new", status: "new"), observed(want, id: "v-done")])
        #expect(plan.changes.map(\.action) == [.delete])
        #expect(plan.changes.first?.remoteID == "v-new")
    }

    @Test("a replace interrupted between its create and its delete keeps the new video and resumes it")
    func interruptedReplace() {
        let old = observed(desired("a", source: "old"), id: "v-old")
        let new = observed(desired("a", source: "new"), id: "v-new", status: "new")
        let plan = planVideos(desired: [desired("a", source: "new")], observed: [old, new])
        #expect(plan.changes.map(\.action) == [.delete, .resume])
        #expect(plan.changes.map(\.remoteID) == ["v-old", "v-new"])
    }

    @Test("the quality hash is pinned: a new field in a model must never turn every video into a replace")
    func qualityHash() throws {
        // The values 0.1.0 wrote on accounts for the examples (Tests/Fixtures/compat-0.1.0): never change them.
        let manifest = try #require(ManifestLoader(environmentSecret: nil).load([ToolRun.packageRoot + "/manifests"]).manifest)
        let videos = Dictionary(uniqueKeysWithValues: manifest.videos.map { ($0.name, $0) })
        #expect(
            OwnershipMark.qualitiesHash(videos["lesson-2"]?.qualities)
                == "61b61f194fe3d263e147898670b8893b29db4df2fc2bdbe53970bd2fb4bd5be1")
        #expect(
            OwnershipMark.qualitiesHash(videos["office-hours"]?.qualities)
                == "d7736b119ac080be9de7e2baf110a442d440daf1cdaa84d59c3bbbf1221dcc24")
        #expect(OwnershipMark.qualitiesHash(nil) == "server-default")
        #expect(
            OwnershipMark.all == [
                "streamplan.project", "streamplan.address", "streamplan.source_sha256",
                "streamplan.qualities_sha256", "streamplan.thumbnail_sha256",
            ])
    }
}

@Suite("plan text")
struct PlanTextRendererTests {
    @Test("the summary line counts each action")
    func summary() {
        let plan = Plan(
            project: "demo",
            changes: [
                ResourceChange(address: "video.a", action: .create, uploadBytes: 2048),
                ResourceChange(address: "video.b", action: .update, remoteID: "1"),
                ResourceChange(address: "video.c", action: .replace, remoteID: "2", reasons: ["source changed"]),
                ResourceChange(address: "video.d", action: .delete, remoteID: "3", reasons: ["it is no longer in the manifests"]),
            ])
        let text = PlanTextRenderer().render(plan)
        #expect(text.contains("Plan: 1 to create, 1 to update, 1 to replace, 1 to delete. 2.0 KiB to upload."))
        #expect(text.contains("  # video.c must be replaced: source changed\n"))
        #expect(text.contains("-/+ video.c (id 2)"))
        #expect(text.contains("refuses it unless given --allow-delete"))
        #expect(!text.contains("\u{1B}["))
    }

    @Test("an attribute change shows old -> new")
    func attribute() {
        let plan = Plan(
            project: "demo",
            changes: [
                ResourceChange(
                    address: "video.a", action: .update, remoteID: "1",
                    attributes: [AttributeChange(name: "title", before: "Old", after: "New")])
            ])
        #expect(PlanTextRenderer().render(plan).contains("title: \"Old\" -> \"New\""))
    }

    @Test("no changes says so")
    func empty() {
        #expect(PlanTextRenderer().render(Plan(project: "demo", changes: [], unchanged: ["video.a"])).hasPrefix("No changes."))
    }
}

@Suite("planner, for a service that cannot change videos in place")
struct FixedVideoPlannerTests {
    @Test("an update is planned as blocked with the reason; a source change is still a replace")
    func blockedUpdate() {
        let have = observed(desired("a"), id: "id1")
        let options = PlanOptions(serviceName: "Aionvision", videosUpdatable: false)
        let renamed = Planner.plan(
            DesiredState(project: "demo", videos: [desired("a", title: "Renamed")]), Observation(videos: [have]),
            options: options)
        #expect(renamed.changes.map(\.action) == [.update])
        #expect(renamed.changes.first?.blocked?.contains("Aionvision offers no call to change a video") == true)
        let resourced = Planner.plan(
            DesiredState(project: "demo", videos: [desired("a", source: "bbb")]), Observation(videos: [have]), options: options)
        #expect(resourced.changes.map(\.action) == [.replace])
        #expect(resourced.changes.first?.blocked == nil)
    }

    @Test("abandoning incomplete uploads turns resumes into deletes and leaves other changes alone")
    func abandon() {
        let interrupted = observed(desired("a"), id: "id1", status: "new")
        let plan = Planner.plan(
            DesiredState(project: "demo", videos: [desired("a"), desired("b")]), Observation(videos: [interrupted]))
        #expect(plan.changes.map(\.action) == [.resume, .create])
        let abandoned = plan.abandoningIncompleteUploads()
        #expect(abandoned.changes.map(\.action) == [.delete, .create])
        #expect(abandoned.changes.first?.remoteID == "id1")
        #expect(
            abandoned.changes.first?.reasons == ["an earlier apply left its upload incomplete; abandoned (--abort-incomplete)"])
    }
}
