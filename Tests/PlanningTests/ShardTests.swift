import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)

private func want(_ name: String, title: String? = nil, source: String = "aaa") -> DesiredVideo {
    let spec = VideoSpec(
        name: name, title: title ?? name, description: nil,
        source: LocalFile(written: "media/\(name).mp4", path: "/m/\(name).mp4", size: 100, format: .mp4), thumbnail: nil,
        isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil, location: here)
    return DesiredVideo(spec: spec, sourceSHA256: source, thumbnailSHA256: nil)
}

private func have(_ video: DesiredVideo, id: String, state: VideoState = .done) -> RemoteVideo {
    RemoteVideo(id: id, title: video.title, metadata: video.metadata(project: "demo"), state: state)
}

/// A catalogue with every action: creates, updates, replaces, resumes, deletes, duplicates and live
/// objects.
private func catalogue() -> (DesiredState, Observation) {
    var desired: [DesiredVideo] = []
    var observed: [RemoteVideo] = []
    for i in 0..<60 {
        let name = "v\(i)"
        let video = want(name)
        desired.append(video)
        switch i {
        case 0..<15: observed.append(have(video, id: "id-\(i)"))
        case 15..<25: observed.append(have(want(name, title: "old title"), id: "id-\(i)"))
        case 25..<32: observed.append(have(want(name, source: "old bytes"), id: "id-\(i)"))
        case 32..<36: observed.append(have(video, id: "id-\(i)", state: .new))
        case 36..<39:
            observed.append(have(video, id: "id-\(i)"))
            observed.append(have(video, id: "dup-\(i)", state: .new))
        default: break
        }
    }
    for i in 0..<12 { observed.append(have(want("gone\(i)"), id: "gone-\(i)")) }
    // Imports: videos made outside streamplan (no marks), adopted by `import:` blocks.
    var imports: [Address: String] = [:]
    for i in 60..<66 {
        let video = want("v\(i)")
        desired.append(video)
        observed.append(RemoteVideo(id: "made-\(i)", title: "by hand \(i)"))
        imports[video.address] = "made-\(i)"
    }
    let manifest = Manifest(
        project: "demo",
        liveStreams: [
            LiveStreamSpec(
                name: "townhall", displayName: "Town Hall", save: true,
                streamings: [
                    StreamingSpec(name: "main", liveStream: "townhall", title: "Main", save: true, qualities: [], location: here)
                ], location: here)
        ])
    var state = DesiredState(manifest, videos: desired)
    state.imports = imports
    return (state, Observation(videos: observed))
}

@Suite("sharding")
struct ShardTests {
    @Test(
        "N shards together make exactly the changes of one run, each change in one shard, live ones in shard 1",
        arguments: 1...5)
    func union(count: Int) {
        let (desired, observed) = catalogue()
        let full = Planner.plan(desired, observed)
        // Moves and protection records are not in the catalogue (MoveCLITests, ProtectCLITests).
        #expect(
            Set(full.changes.map(\.action)) == Set(ChangeAction.allCases).subtracting([.move, .protect, .unprotect]),
            "the catalogue must hold every action")
        let parts = (1...count).map { Shard(index: $0, count: count)!.apply(to: full) }
        func key(_ c: ResourceChange) -> String { "\(c.address) \(c.action) \(c.remoteID ?? "-")" }
        let union = parts.flatMap(\.changes).map(key)
        #expect(union.sorted() == full.changes.map(key).sorted())
        #expect(Set(union).count == union.count, "a change is in two shards")
        #expect(parts.flatMap(\.unchanged).map(\.description).sorted() == full.unchanged.map(\.description).sorted())
        for (index, part) in parts.enumerated() where index > 0 {
            #expect(part.changes.allSatisfy { $0.kind == .video }, "live changes belong to shard 1")
        }
        // Each shard keeps a plan's order.
        for part in parts {
            let order = full.changes.map(key)
            let positions = part.changes.map(key).compactMap { order.firstIndex(of: $0) }
            #expect(positions == positions.sorted())
        }
        if count > 1 {
            #expect(parts.allSatisfy { !$0.changes.isEmpty }, "60 videos should reach every shard")
        }
    }

    @Test("the owner of an address is stable and spread; the text form is I/N")
    func owner() {
        #expect(Shard.owner(of: "video.intro", count: 4) == Shard.owner(of: "video.intro", count: 4))
        #expect(Shard.owner(of: "live_stream.townhall.streaming.main", count: 7) == 1)
        let counts = (0..<400).reduce(into: [Int: Int]()) { counts, i in
            counts[Shard.owner(of: Address(.video, "v\(i)"), count: 4), default: 0] += 1
        }
        #expect(counts.keys.sorted() == [1, 2, 3, 4] && counts.values.allSatisfy { $0 > 60 }, "\(counts)")
        // Pinned: a shard's addresses must not move between releases (saved plans, CI matrices).
        #expect(Shard.owner(of: "video.intro", count: 4) == 3)  // SHA-256("video.intro"), first 8 bytes, mod 4, + 1
        #expect(Shard("2/3")?.description == "2/3")
        #expect(Shard("0/3") == nil && Shard("4/3") == nil && Shard("x") == nil && Shard("1/0") == nil)
    }
}
