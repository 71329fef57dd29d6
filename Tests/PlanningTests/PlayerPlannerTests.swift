import Foundation
import Manifest
import Providers
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)
private let logoHash = String(repeating: "a", count: 64)

private func brand(
    name: String = "Brand", color: String = "#ff6600", autoplay: Bool = false, logo: String? = logoHash,
    link: String = "https://example.com"
) -> DesiredPlayer {
    DesiredPlayer(
        address: "player.brand", name: name, theme: ["main_color": color, "control_bar_height": "40px"],
        controls: ["force_autoplay": autoplay],
        logo: logo.map {
            DesiredLogo(
                image: DesiredFile(written: "media/logo.png", path: "/m/media/logo.png", size: 10, format: .png, sha256: $0),
                link: link)
        })
}

/// What an apply of `brand()` leaves behind: the player p1, registered with its logo's hash.
private func applied(_ edit: (inout RemotePlayer) -> Void = { _ in }, entries: [String: String] = [:]) -> Observation {
    var player = RemotePlayer(
        id: "p1", name: "Brand", theme: ["main_color": "#ff6600", "control_bar_height": "40px", "text_color": ""],
        controls: ["force_autoplay": false, "enable_api": true], logoImageLink: "https://cdn/logo.png",
        logoLink: "https://example.com")
    edit(&player)
    var registry = ["player.brand": "p1", "player.brand.logo": "sha256:" + logoHash]
    registry.merge(entries) { $1 }
    var observation = Observation(registry: RegistryEntries(registry))
    observation.players = [player.id: player]
    return observation
}

private func video(_ name: String = "intro", player: String? = "brand") -> DesiredVideo {
    var spec = VideoSpec(
        name: name, title: "Intro", description: nil,
        source: LocalFile(written: "media/\(name).mp4", path: "/m/media/\(name).mp4", size: 1000, format: .mp4),
        thumbnail: nil, isPublic: true, tags: [], metadata: [], qualities: nil, profile: nil, location: here)
    spec.player = player
    return DesiredVideo(spec: spec, sourceSHA256: "aaa", thumbnailSHA256: nil)
}

private func remote(_ want: DesiredVideo, id: String = "v1", playerID: String?) -> RemoteVideo {
    var video = RemoteVideo(id: id, title: want.title, isPublic: want.isPublic, metadata: want.metadata(project: "demo"))
    video.playerID = playerID
    return video
}

private func plan(players: [DesiredPlayer], videos: [DesiredVideo] = [], _ observation: Observation) -> Plan {
    var desired = DesiredState(project: "demo", videos: videos)
    desired.players = players
    return Planner.plan(desired, observation)
}

@Suite("player planner")
struct PlayerPlannerTests {
    @Test("an unregistered player is created with every field it writes and its logo")
    func create() throws {
        let result = plan(players: [brand()], Observation())
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .create && change.kind == .player)
        #expect(
            change.attributes.map(\.name) == [
                "name", "theme.control_bar_height", "theme.main_color", "controls.force_autoplay", "logo", "logo.link",
            ])
        #expect(change.attributes[4].after == "media/logo.png (sha256 aaaaaaaaaaaa)")
        #expect(change.fingerprint?.exists == false)
    }

    @Test("a player as applied: no changes (fields the manifests do not write are not compared)")
    func unchanged() {
        let result = plan(players: [brand()], applied())
        #expect(!result.hasChanges, "\(result.changes)")
        #expect(result.unchanged == ["player.brand"])
    }

    @Test("a colour change is one update of the theme, shown field by field")
    func colour() throws {
        let result = plan(players: [brand(color: "#000000", autoplay: true)], applied())
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .update && change.remoteID == "p1")
        #expect(change.fields == [.theme, .controls])
        #expect(
            change.attributes == [
                AttributeChange(name: "theme.main_color", before: "#ff6600", after: "#000000"),
                AttributeChange(name: "controls.force_autoplay", before: "false", after: "true"),
            ])
        #expect(change.fingerprint?.fields["theme.main_color"] == "#ff6600")
    }

    @Test("a new logo image (its hash) or link is a logo update; a dropped logo streamplan uploaded is removed")
    func logo() throws {
        let other = String(repeating: "b", count: 64)
        let image = try #require(plan(players: [brand(logo: other)], applied()).changes.first)
        #expect(image.fields == [.logo])
        #expect(image.attributes.map(\.before) == ["sha256 aaaaaaaaaaaa"])
        let link = try #require(plan(players: [brand(link: "https://example.org")], applied()).changes.first)
        #expect(link.fields == [.logo])
        #expect(link.attributes.map(\.name) == ["logo.link"])
        let dropped = try #require(plan(players: [brand(logo: nil)], applied()).changes.first)
        #expect(dropped.fields == [.logo])
        #expect(dropped.attributes == [AttributeChange(name: "logo", before: "sha256 aaaaaaaaaaaa", after: "(none)")])
        // A logo set by hand (no hash recorded) is left alone when the manifests name none.
        let byHand = applied(entries: [:])
        var registry = byHand.registry
        registry.entries["player.brand.logo"] = nil
        var observation = byHand
        observation.registry = registry
        #expect(!plan(players: [brand(logo: nil)], observation).hasChanges)
        // A logo deleted by hand is uploaded again.
        #expect(plan(players: [brand()], applied { $0.logoImageLink = "" }).changes.first?.fields == [.logo])
    }

    @Test("a registered player that left the manifests is deleted; an unregistered one is never read")
    func delete() throws {
        let result = plan(players: [], applied())
        let change = try #require(result.changes.first)
        #expect(change.action == .delete && change.remoteID == "p1")
        #expect(change.attributes == [AttributeChange(name: "name", before: "Brand", after: nil)])
        #expect(!plan(players: [], Observation()).hasChanges)
    }

    @Test("a video's player is one of its fields: (none) → brand, brand → (none), and a create names it")
    func videoPlayer() throws {
        let want = video()
        let assign = try #require(plan(players: [brand()], videos: [want], withVideo(remote(want, playerID: nil))).changes.first)
        #expect(assign.action == .update && assign.fields == [.player])
        #expect(assign.attributes == [AttributeChange(name: "player", before: "(none)", after: "brand")])
        #expect(assign.fingerprint?.fields["player_id"] == "")
        let same = plan(players: [brand()], videos: [want], withVideo(remote(want, playerID: "p1")))
        #expect(!same.hasChanges)
        let plain = video(player: nil)
        let unassign = try #require(
            plan(players: [brand()], videos: [plain], withVideo(remote(plain, playerID: "p1"))).changes.first)
        #expect(unassign.fields == [.player])
        #expect(unassign.attributes == [AttributeChange(name: "player", before: "brand", after: "(none)")])
        let created = plan(players: [brand()], videos: [want], applied())
        #expect(created.changes.first?.attributes.last == AttributeChange(name: "player", before: nil, after: "brand"))
    }

    @Test("an imported video that names a player gets it with the import; one that names none keeps its own")
    func imported() throws {
        let want = video()
        var handMade = RemoteVideo(id: "h1", title: "Intro", metadata: [])
        handMade.playerID = "hand-made"
        var observation = withVideo(handMade)
        var desired = DesiredState(project: "demo", videos: [want])
        desired.players = [brand()]
        desired.imports = ["video.intro": "h1"]
        var options = PlanOptions()
        options.trustSource = true
        let change = try #require(Planner.plan(desired, observation, options: options).changes.first)
        #expect(change.action == .import && change.fields.contains(.player))
        #expect(change.attributes.last == AttributeChange(name: "player", before: "hand-made (not managed)", after: "brand"))
        desired.videos = [video(player: nil)]
        observation.videos = [handMade]
        let plain = try #require(Planner.plan(desired, observation, options: options).changes.first)
        #expect(!plain.fields.contains(.player))
    }

    @Test("a video without player: keeps a player set by hand, and plans exactly as before (no field, no fingerprint)")
    func handAssigned() throws {
        let plain = video(player: nil)
        let result = plan(players: [brand()], videos: [plain], withVideo(remote(plain, playerID: "hand-made")))
        #expect(!result.hasChanges)
        let retitled = video(player: nil)
        var old = remote(retitled, playerID: "hand-made")
        old.title = "Old"
        let change = try #require(plan(players: [], videos: [retitled], withVideo(old)).changes.first)
        #expect(change.fields == [.title])
        #expect(change.fingerprint?.fields["player_id"] == nil)
        // A video that names a player whose current one was set by hand gets the manifests' player.
        let want = video()
        let taken = try #require(
            plan(players: [brand()], videos: [want], withVideo(remote(want, playerID: "hand-made"))).changes.first)
        #expect(taken.attributes == [AttributeChange(name: "player", before: "hand-made (not managed)", after: "brand")])
    }
}

private func withVideo(_ video: RemoteVideo) -> Observation {
    var observation = applied()
    observation.videos = [video]
    return observation
}
