import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private func pendingWant(identity: FileIdentity?) -> DesiredVideo {
    let spec = VideoSpec(
        name: "a", title: "Title", description: nil,
        source: LocalFile(written: "media/a.mp4", path: "/m/media/a.mp4", size: 1000, format: .mp4), thumbnail: nil,
        isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil,
        location: SourceLocation(file: "m.yaml", line: 1, column: 1))
    return DesiredVideo(spec: spec, sourceSHA256: nil, thumbnailSHA256: nil, sourceIdentity: identity)
}

/// A video whose create carried the pending source mark of `identity`, in `status`.
private func pendingVideo(_ identity: FileIdentity, status: String = "new") -> RemoteVideo {
    var created = pendingWant(identity: identity)
    created.source.sha256 = nil
    return RemoteVideo(
        id: "v1", title: "Title", isPublic: true, tags: [], metadata: created.metadata(project: "demo"),
        state: VideoState(rawValue: status))
}

@Suite("the planner and a video whose upload was interrupted before its source mark")
struct PendingSourcePlannerTests {
    let file = FileIdentity(size: 1000, mtimeNanoseconds: 1_700_000_000_000_000_000, inode: 42)

    @Test("the pending mark pins the file by size, modification time and inode; a hash never looks pending")
    func markFormat() {
        #expect(OwnershipMark.pendingSource(file) == "pending:size=1000,mtime_ns=1700000000000000000,inode=42")
        #expect(OwnershipMark.isPendingSource(OwnershipMark.pendingSource(file)))
        #expect(!OwnershipMark.isPendingSource(String(repeating: "ab", count: 32)))
        #expect(!OwnershipMark.isPendingSource(nil))
    }

    @Test("the same file (same identity) resumes the unfinished video")
    func sameFileResumes() {
        let plan = Planner.plan(
            DesiredState(project: "demo", videos: [pendingWant(identity: file)]), Observation(videos: [pendingVideo(file)]))
        #expect(plan.changes.map(\.action) == [.resume])
        #expect(plan.changes.first?.remoteID == "v1")
    }

    @Test(
        "another file, an unknown identity, or a pending video no longer new is replaced, with the reason",
        arguments: [
            ("changed", "the source changed since an interrupted upload began"),
            ("unknown", "the source changed since an interrupted upload began"),
            ("transcoding", "its upload was never confirmed (the source mark is still pending)"),
        ])
    func otherwiseReplaced(case: String, reason: String) {
        var identity: FileIdentity? = file
        if `case` == "changed" { identity?.mtimeNanoseconds += 1 }
        if `case` == "unknown" { identity = nil }
        let remote = pendingVideo(file, status: `case` == "transcoding" ? "transcoding" : "new")
        let plan = Planner.plan(
            DesiredState(project: "demo", videos: [pendingWant(identity: identity)]), Observation(videos: [remote]))
        #expect(plan.changes.map(\.action) == [.replace])
        #expect(plan.changes.first?.reasons == [reason])
        #expect(plan.changes.first?.attributes.first { $0.name == "source" }?.before == "interrupted upload")
    }
}
