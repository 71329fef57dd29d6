import Foundation
import Manifest
import Providers
import TestSupport
import Testing
import YAMLNodes

@testable import Planning

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
private let goldenDirectory = packageRoot + "/Tests/PlanningTests/Golden"

/// A plan with every action, awkward user text, a live stream and a blocked streaming.
let samplePlan = Plan(
    project: "demo",
    changes: [
        ResourceChange(
            address: "video.intro", action: .create,
            attributes: [
                AttributeChange(name: "title", before: nil, after: "Intro | <b>bold</b> `code` *star*"),
                AttributeChange(name: "source", before: nil, after: "media/intro.mp4"),
                AttributeChange(name: "tags", before: nil, after: "[a, b]"),
            ], thumbnail: .set, uploadBytes: 3_500_000),
        ResourceChange(
            address: "video.talk", action: .update, remoteID: "v-2",
            attributes: [
                AttributeChange(name: "title", before: "Old\nline", after: "New & improved")
            ], thumbnail: .remove),
        ResourceChange(
            address: "video.clip", action: .replace, remoteID: "v-3", reasons: ["source changed"],
            attributes: [
                AttributeChange(name: "source", before: "sha256 aaaaaaaaaaaa", after: "media/clip.mp4 (sha256 bbbbbbbbbbbb)")
            ], uploadBytes: 1024, replaceOrder: .createThenDelete),
        ResourceChange(
            address: "video.old", action: .delete, remoteID: "v-4", reasons: ["it is no longer in the manifests"],
            attributes: [AttributeChange(name: "title", before: "Old one", after: nil)]),
        ResourceChange(
            address: "live_stream.townhall", action: .create,
            attributes: [
                AttributeChange(name: "name", before: nil, after: "Town hall")
            ]),
        ResourceChange(
            address: "live_stream.townhall.streaming.main", action: .update, remoteID: "s-1",
            attributes: [AttributeChange(name: "title", before: "A", after: "B")],
            blocked: "the live stream is broadcasting", parentID: "ls-1"),
    ], unchanged: ["video.same"])

/// Compares `text` with a golden file; `RECORD_GOLDEN=1 swift test` rewrites the file instead.
func expectGolden(_ text: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let path = goldenDirectory + "/" + name
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(atPath: goldenDirectory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        Issue.record("recorded \(name); review the diff and run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
        return
    }
    let golden = try #require(
        try? String(contentsOfFile: path, encoding: .utf8),
        "no golden file \(name); run with RECORD_GOLDEN=1 to write it", sourceLocation: sourceLocation)
    #expect(text == golden, "differs from \(name); run with RECORD_GOLDEN=1 and review the diff", sourceLocation: sourceLocation)
}

@Suite("plan as JSON")
struct PlanJSONTests {
    @Test("each action has its own past tense for apply's report: imported, not importd")
    func pastTenses() {
        #expect(
            ChangeAction.allCases.map(\.pastTense) == [
                "created", "updated", "replaced", "deleted", "resumed", "imported", "moved", "protected", "unprotected",
            ])
    }

    @Test("a plan with every action and kind validates against schemas/plan.schema.json")
    func validates() throws {
        let partial = PartialPlan(targets: ["video.*"], excludes: [], omitted: ["live_stream.x"])
        for document in [
            try PlanJSON.render(samplePlan), try PlanJSON.render(samplePlan, partial: partial),
            try PlanJSON.render(Plan(project: "demo", changes: [])),
            try PlanJSON.render(samplePlan, shard: Shard("2/3")),
        ] {
            let (status, output) = try ToolRun.checkPlanSchema(json: document)
            #expect(status == 0, "\(output)\n\(document)")
            #expect(output.contains("check-plan-schema: 1 file(s), 0 invalid"), "\(output)")
        }
    }

    @Test("the schema rejects a document that breaks it (an unknown action)")
    func schemaBites() throws {
        let document = try PlanJSON.render(samplePlan).replacingOccurrences(of: "\"replace\"", with: "\"rebuild\"")
        let (status, output) = try ToolRun.checkPlanSchema(json: document)
        #expect(status == 1)
        // The finding itself, so that a missing jsonschema (also exit 1) cannot pass for it.
        #expect(output.contains("error: 'rebuild' is not one of"), "\(output)")
        #expect(output.contains("(at changes/2/action)"), "\(output)")
        #expect(output.contains("check-plan-schema: 1 file(s), 1 invalid"), "\(output)")
    }

    @Test("the JSON document is pinned by a golden file and reads back as the same plan")
    func golden() throws {
        let text = try PlanJSON.render(samplePlan)
        try expectGolden(text, "sample.json")
        let back = try JSONDecoder().decode(PlanDocument.self, from: Data(text.utf8))
        #expect(back == PlanDocument(samplePlan))
        #expect(back.changes.map(\.address) == samplePlan.changes.map(\.address.description))
        #expect(back.summary.create == 2 && back.summary.uploadBytes == 3_501_024)
    }
}

@Suite("plan as Markdown")
struct PlanMarkdownTests {
    @Test("summary table and one collapsible section per resource, sorted by address, user text escaped")
    func sample() throws {
        try expectGolden(PlanMarkdownRenderer().render(samplePlan), "sample.md")
    }

    @Test("a partial plan says so")
    func partial() throws {
        let partial = PartialPlan(targets: ["video.*"], excludes: ["video.old"], omitted: ["live_stream.x"])
        try expectGolden(PlanMarkdownRenderer().render(samplePlan, partial: partial), "partial.md")
    }

    @Test("no changes")
    func empty() throws {
        try expectGolden(PlanMarkdownRenderer().render(Plan(project: "demo", changes: [], unchanged: ["video.a"])), "empty.md")
    }

    @Test("a plan too large for a comment keeps the summary and says what was cut")
    func cut() throws {
        let changes = (0..<2000).map { i in
            ResourceChange(
                address: Address(.video, "v\(String(format: "%04d", i))"), action: .create,
                attributes: [AttributeChange(name: "title", before: nil, after: String(repeating: "x", count: 40))],
                uploadBytes: 1)
        }
        let text = PlanMarkdownRenderer().render(Plan(project: "demo", changes: changes))
        #expect(text.utf8.count <= 65_000)
        #expect(text.contains("| 2000 | 0 | 0 | 0 | 0 | 2.0 KiB |"))
        #expect(text.contains("resources are not shown**: the comment would exceed 65000 characters"))
        #expect(text.contains("video.v0000"))
        #expect(!text.contains("video.v1999"))
        let small = PlanMarkdownRenderer(limit: 1200).render(samplePlan)
        #expect(small.utf8.count <= 1200)
        try expectGolden(small, "cut.md")
    }
}

@Suite("target and exclude")
struct AddressFilterTests {
    @Test(
        "patterns",
        arguments: [
            ("video.*", "video.intro", true),
            ("video.*", "live_stream.townhall", false),
            ("video.intro", "video.intro", true),
            ("video.intro", "video.intro2", false),
            ("video.in?ro", "video.intro", true),
            ("live_stream.townhall*", "live_stream.townhall.streaming.main", true),
            ("live_stream.townhall", "live_stream.townhall.streaming.main", true),
            ("live_stream.town", "live_stream.townhall", false),
            ("*", "video.a", true),
            ("*.streaming.*", "live_stream.a.streaming.b", true),
            ("*.streaming.*", "live_stream.a", false),
        ])
    func pattern(pattern: String, address: String, expected: Bool) {
        #expect(AddressFilter.matches(pattern, address) == expected)
    }

    @Test("targets keep, excludes drop, and what was left out is recorded")
    func filter() {
        let (plan, partial) = AddressFilter(targets: ["video.*"], excludes: ["video.old"]).apply(to: samplePlan)
        #expect(plan.changes.map(\.address) == ["video.intro", "video.talk", "video.clip"] as [Address])
        #expect(partial?.omitted == ["live_stream.townhall", "live_stream.townhall.streaming.main", "video.old"])
        #expect(
            partial?.warning.hasPrefix("warning: this plan is partial: --target video.*; --exclude video.old; 3 changes left out")
                == true)
        #expect(AddressFilter().apply(to: samplePlan).partial == nil)
    }
}

@Suite("saved plans")
struct SavedPlanTests {
    static let here = YAMLNodes.SourceLocation(file: "m.yaml", line: 1, column: 1)

    @Test("round-trip through JSON, with paths under the plan's directory made relative")
    func roundTrip() throws {
        let spec = VideoSpec(
            name: "intro", title: "Intro", description: "d",
            source: LocalFile(written: "media/intro.mp4", path: "/work/repo/media/intro.mp4", size: 10, format: .mp4),
            thumbnail: LocalFile(written: "/abs/t.jpg", path: "/abs/t.jpg", size: 2, format: .jpeg),
            isPublic: false, tags: ["a"], metadata: [MetadataEntry(key: "k", value: "v")], qualities: nil, profile: nil,
            location: Self.here)
        let desired = DesiredVideo(spec: spec, sourceSHA256: "s1", thumbnailSHA256: "t1")
        var plan = samplePlan
        plan.changes[0].desired = .video(desired)
        plan.changes[0].fingerprint = RemoteFingerprint(address: "video.intro", remoteID: nil, exists: false)
        let saved = SavedPlan(plan: plan, partial: nil, manifestsDigest: "abc", directory: "/work/repo")
        #expect(saved.changes[0].desired?.video?.source.path == "media/intro.mp4")
        #expect(saved.changes[0].desired?.video?.thumbnail?.path == "/abs/t.jpg")
        let back = try SavedPlan.decode(try saved.encoded(), path: "plan.json")
        #expect(back == saved)
        let again = try back.resolvedPlan(directory: "/ci/checkout")
        let video = try #require(again.changes[0].desired?.video)
        #expect(video.source.path == "/ci/checkout/media/intro.mp4")
        #expect(video.metadata(project: "demo") == desired.metadata(project: "demo"))
        #expect(again.changes.map(\.address) == plan.changes.map(\.address))
        #expect(again.changes.map(\.attributes) == plan.changes.map(\.attributes))
        #expect(again.changes[2].replaceOrder == .createThenDelete)
    }

    @Test("a JSON plan document is not a saved plan")
    func refusesPlanDocument() throws {
        #expect(throws: SavedPlanError.self) { try SavedPlan.decode(Data(try PlanJSON.render(samplePlan).utf8), path: "p.json") }
        #expect(throws: SavedPlanError.self) { try SavedPlan.decode(Data("project: demo".utf8), path: "p.yaml") }
    }

    @Test("fingerprints of many changes at once are each change's own: the first live video by id or by address")
    func batchFingerprints() {
        func marked(_ id: String, _ address: String, state: VideoState = .done, title: String = "T") -> RemoteVideo {
            RemoteVideo(
                id: id, title: title, metadata: [MetadataEntry(key: OwnershipMark.address, value: address)], state: state)
        }
        let observed = Observation(videos: [
            marked("gone", "video.a", state: .deleted), marked("v1", "video.a", title: "first"),
            marked("v2", "video.a", title: "second"), marked("v3", "video.b"),
        ])
        let changes = [
            ResourceChange(address: "video.a", action: .create), ResourceChange(address: "video.c", action: .create),
            ResourceChange(address: "video.a", action: .update, remoteID: "v2"),
            ResourceChange(address: "video.b", action: .delete, remoteID: "gone"),
            ResourceChange(address: "video.b", action: .update, remoteID: "v3"),
        ]
        let batch = VideoPlanner().fingerprints(changes, observed)
        #expect(batch == changes.map { VideoPlanner().fingerprint($0, observed) })
        #expect(batch.map(\.remoteID) == ["v1", nil, "v2", "gone", "v3"])
        #expect(batch.map(\.exists) == [true, false, true, false, true])
        #expect(batch[2].fields["title"] == "second")
        let planned = Planner.fingerprinted(changes, observed)
        #expect(planned.map(\.fingerprint) == batch)
    }

    @Test("a fingerprint names what changed, ignores updated_at alone, and notices creation and deletion")
    func differences() {
        let seen = RemoteVideo(id: "v1", title: "A", tags: ["x"], state: .done, updatedAt: "t1")
        let update = ResourceChange(address: "video.a", action: .update, remoteID: "v1")
        func fingerprint(_ video: RemoteVideo) -> RemoteFingerprint {
            VideoPlanner().fingerprint(update, Observation(videos: [video]))
        }
        let before = fingerprint(seen)
        var touched = seen
        touched.updatedAt = "t2"
        #expect(before.differences(fingerprint(touched)).isEmpty)
        touched.title = "B"
        #expect(
            before.differences(fingerprint(touched)) == [
                "video.a (id v1): title changed from \"A\" to \"B\"", "video.a (id v1): updated_at moved from t1 to t2",
            ])
        let gone = RemoteFingerprint(address: "video.a", remoteID: "v1", exists: false)
        #expect(before.differences(gone) == ["video.a (id v1) was deleted since the plan"])
        let absent = RemoteFingerprint(address: "video.n", remoteID: nil, exists: false)
        let appeared = RemoteFingerprint(address: "video.n", remoteID: "v9", exists: true)
        #expect(absent.differences(appeared).first?.contains("was created since the plan") == true)
        #expect(absent.differences(absent).isEmpty)
    }

    @Test("a stale plan's difference is short: long metadata names the keys that changed, never their values")
    func shortDifferences() {
        let marks = (1...6).map {
            MetadataEntry(key: "streamplan.mark-\($0)", value: String(repeating: "0123456789abcdef", count: 4))
        }
        let seen = RemoteVideo(id: "v1", title: "A", metadata: marks, state: .done)
        var touched = seen
        touched.metadata[1].value = "changed"
        touched.metadata.append(MetadataEntry(key: "colour", value: "blue"))
        touched.description = String(repeating: "long text ", count: 10)
        let update = ResourceChange(address: "video.a", action: .update, remoteID: "v1")
        let planner = VideoPlanner()
        let differences = planner.fingerprint(update, Observation(videos: [seen])).differences(
            planner.fingerprint(update, Observation(videos: [touched])))
        #expect(
            differences == [
                "video.a (id v1): description changed since the plan",
                "video.a (id v1): metadata changed since the plan (key colour; streamplan's own marks, which an apply writes)",
            ])
        #expect(differences.allSatisfy { $0.count < 120 })
        // A caption's mark: what streamplan recorded of the file it uploaded.
        #expect(
            RemoteFingerprint.change("mark", from: "dc41adeea13cb6fd", to: "4693919f3c0963c3")
                == "the file uploaded for it changed since the plan (streamplan's mark \"dc41adeea13cb6fd\" then, "
                + "\"4693919f3c0963c3\" now)")
    }
}
