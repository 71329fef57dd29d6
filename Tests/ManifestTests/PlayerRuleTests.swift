import Foundation
import Testing

@testable import Manifest

/// A manifest with one player (its body's lines at 4 spaces) and the intro video using `player`.
private func players(_ body: String, player: String? = "brand") -> String {
    "project: demo\nplayers:\n  brand:\n" + body + "videos:\n  intro:\n    title: Hello\n    source: clip.mp4\n"
        + (player.map { "    player: \($0)\n" } ?? "")
}

let playerRuleCases: [RuleCase] = [
    RuleCase(
        rule: "player: a colour that is not one", yaml: players("    theme: {main_color: orange}\n"), at: "m.yaml:4:25",
        says: "main_color \"orange\" is not a colour: #rgb, #rrggbb or #rrggbbaa in hex, or rgb(r, g, b)"),
    RuleCase(
        rule: "player: a hex colour with five digits", yaml: players("    theme:\n      text_color: \"#12345\"\n"),
        at: "m.yaml:5:19", says: "text_color \"#12345\" is not a colour"),
    RuleCase(
        rule: "player: a size without px", yaml: players("    theme: {control_bar_height: \"40\"}\n"), at: "m.yaml:4:33",
        says: "control_bar_height \"40\" is not a size in pixels: a number from 0 to 1000 followed by px, e.g. 40px"),
    RuleCase(
        rule: "player: an unknown theme field", yaml: players("    theme: {main_colour: \"#fff\"}\n"), at: "m.yaml:4:13",
        says: "unknown key \"main_colour\" in player.brand theme; did you mean \"main_color\"?"),
    RuleCase(
        rule: "player: a control that is not a boolean", yaml: players("    controls: {force_loop: often}\n"),
        at: "m.yaml:4:28", says: "force_loop must be true or false"),
    RuleCase(
        rule: "player: an unknown control", yaml: players("    controls: {autoplay: true}\n"), at: "m.yaml:4:16",
        says: "unknown key \"autoplay\" in player.brand controls"),
    RuleCase(
        rule: "player: a logo image that does not exist",
        yaml: players("    logo: {image: logo.png, link: https://example.com}\n"), at: "m.yaml:4:19",
        says: "logo image file \"logo.png\" does not exist"),
    RuleCase(
        rule: "player: a logo image that is not PNG or JPEG",
        yaml: players("    logo: {image: notes.txt, link: https://example.com}\n"), at: "m.yaml:4:19",
        says: "logo image \"notes.txt\" is not PNG or JPEG judging by its contents"),
    RuleCase(
        rule: "player: a logo link that is not https",
        yaml: players("    logo: {image: thumb.png, link: http://example.com}\n"), at: "m.yaml:4:36",
        says: "link \"http://example.com\" is not an https:// URL"),
    RuleCase(
        rule: "player: a logo without a link", yaml: players("    logo: {image: thumb.png}\n"), at: "m.yaml:4:12",
        says: "player.brand logo is missing link"),
    RuleCase(
        rule: "player: an empty name", yaml: players("    name: ''\n"), at: "m.yaml:4:11", says: "name must not be empty"),
    RuleCase(
        rule: "video: an unknown player with a did-you-mean", yaml: players("    name: Brand\n", player: "brnad"),
        at: "m.yaml:9:13", says: "unknown player \"brnad\"; did you mean \"brand\"? Defined players: brand."),
    RuleCase(
        rule: "video: a player when none is defined",
        yaml: "project: demo\nvideos:\n  intro:\n    title: Hello\n    source: clip.mp4\n    player: brand\n",
        at: "m.yaml:6:13", says: "unknown player \"brand\". No players are defined"),
    RuleCase(
        rule: "player: defined twice",
        yaml: players("    name: A\n", player: nil) + "---\nplayers:\n  brand: {name: B}\n", at: "m.yaml:11:3",
        says: "player.brand is defined twice: here and at "),
    RuleCase(
        rule: "player: default that is not a boolean", yaml: players("    default: yes please\n"), at: "m.yaml:4:14",
        says: "default"),
    RuleCase(
        rule: "player: two defaults, the second reported with the first's position",
        yaml: players("    default: true\n", player: nil) + "---\nplayers:\n  other:\n    default: true\n",
        at: "m.yaml:12:14",
        says: "player.other has default: true, but player.brand is already the default (m.yaml:4:14); the account "
            + "has one default player theme"),
]

@Suite("player theme rules")
struct PlayerRuleTests {
    @Test("each player rule is reported at its exact file:line:column", arguments: playerRuleCases)
    func rule(_ c: RuleCase) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(c.yaml)
        let findings = ws.findings(result)
        let expected = "\(c.at): \(c.severity.rawValue): "
        #expect(
            findings.contains { $0.hasPrefix(expected) && $0.contains(c.says) },
            "expected \(expected)…\(c.says)… in:\n\(findings.joined(separator: "\n"))")
        #expect(result.manifest == nil)
    }

    @Test("a valid player loads with the fields written, its logo, and the name defaulting to the key")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            players(
                """
                    theme: {main_color: "#ff6600", text_color: "rgba(255, 255, 255, 0.8)", control_bar_height: 40px}
                    controls: {enable_controls: true, force_autoplay: false}
                    logo: {image: thumb.png, link: https://example.com/home}

                """))
        #expect(ws.findings(result) == [])
        let manifest = try #require(result.manifest)
        let player = try #require(manifest.players.first)
        #expect(player.displayName == "brand")
        #expect(
            player.theme == ["main_color": "#ff6600", "text_color": "rgba(255, 255, 255, 0.8)", "control_bar_height": "40px"])
        #expect(player.controls == ["enable_controls": true, "force_autoplay": false])
        #expect(player.logo?.link == "https://example.com/home" && player.logo?.image.format == .png)
        #expect(manifest.videos.first?.player == "brand")
    }

    @Test("default: true on one player and false on another load; left out, it is not managed")
    func defaults() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            players("    default: true\n", player: nil) + "---\nplayers:\n  other: {default: false}\n  third: {}\n")
        #expect(ws.findings(result) == [])
        let manifest = try #require(result.manifest)
        let byName = Dictionary(uniqueKeysWithValues: manifest.players.map { ($0.name, $0.isDefault.map { String($0) } ?? "-") })
        #expect(byName == ["brand": "true", "other": "false", "third": "-"])
    }

    @Test("colours, sizes and links: what is allowed")
    func values() {
        for good in ["#fff", "#FF6600", "#ff660080", "rgb(0, 0, 0)", "rgba(255,255,255,0.5)"] {
            #expect(PlayerFields.isColor(good), "\(good)")
        }
        for bad in ["fff", "#ggg", "#12345", "rgb(256, 0, 0)", "rgba(0, 0, 0)", "rgba(0,0,0,2)", "red"] {
            #expect(!PlayerFields.isColor(bad), "\(bad)")
        }
        for good in ["0px", "40px", "12.5px", "1000px"] { #expect(PlayerFields.isSize(good), "\(good)") }
        for bad in ["40", "px", "-1px", "1001px", "4 0px", "40em"] { #expect(!PlayerFields.isSize(bad), "\(bad)") }
        #expect(PlayerFields.isLink("https://example.com"))
        for bad in ["http://example.com", "https://", "https://a b", "example.com"] {
            #expect(!PlayerFields.isLink(bad), "\(bad)")
        }
    }

    @Test("fmt orders a player's keys as the documentation does; the names under players: keep their order")
    func format() {
        #expect(
            ManifestFormat.canonicalKeys(at: ["players", "brand"]) == [
                "name", "default", "theme", "controls", "logo", "protect", "ignore",
            ])
        #expect(ManifestFormat.canonicalKeys(at: ["players", "brand", "logo"]) == ["image", "link"])
        #expect(ManifestFormat.canonicalKeys(at: ["players", "brand", "theme"])?.first == "main_color")
        #expect(ManifestFormat.canonicalKeys(at: ["players"]) == nil)
        #expect(ManifestFormat.canonicalKeys(at: ["videos", "intro"])?.suffix(3) == ["player", "protect", "ignore"])
    }

    @Test("provider aionvision refuses players: and a video's player:, where they are written")
    func aionvision() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            "project: demo\nprovider: aionvision\nplayers:\n  brand: {name: B}\n"
                + "videos:\n  intro:\n    title: Hello\n    source: clip.mp4\n    player: brand\n")
        let findings = ws.findings(result)
        #expect(findings.contains { $0.hasPrefix("m.yaml:4:3: error:") && $0.contains("Aionvision has no player themes") })
        #expect(findings.contains { $0.hasPrefix("m.yaml:9:5: error:") && $0.contains("cannot honour `player`") })
    }
}
