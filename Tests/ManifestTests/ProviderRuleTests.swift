import Foundation
import Testing

@testable import Manifest

/// `provider:` and the limits of providers other than AIOZ Stream, checked by `validate`.
@Suite("provider rules")
struct ProviderRuleTests {
    func aionvision(_ extra: String = "", top: String = "") -> String {
        "project: demo\nprovider: aionvision\n" + top + "videos:\n  intro:\n    title: Hello\n    source: clip.mp4\n" + extra
    }

    @Test("the provider defaults to aioz and can be aionvision")
    func chosen() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        #expect(try #require(try ws.load(video()).manifest).provider == .aioz)
        let result = try ws.load(aionvision("    tags: [site-a, floor 3]\n    metadata: {course: \"101\"}\n"))
        #expect(ws.findings(result) == [])
        #expect(try #require(result.manifest).provider == .aionvision)
    }

    @Test("an unknown provider is refused with a suggestion")
    func unknown() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load("project: demo\nprovider: aionvison\n")
        #expect(
            ws.findings(result).contains { $0.hasPrefix("m.yaml:2:11: error:") && $0.contains("did you mean \"aionvision\"?") })
    }

    @Test("two files naming different providers are refused")
    func disagree() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load("project: demo\nprovider: aioz\n---\nprovider: aionvision\n")
        #expect(
            ws.findings(result).contains {
                $0.hasPrefix("m.yaml:4:11: error:") && $0.contains("disagrees with provider \"aioz\"")
            })
    }

    @Test(
        "keys Aionvision cannot honour are refused where they are written, naming the provider",
        arguments: [
            ("    qualities: [720p]\n", "m.yaml:7:5", "cannot honour `qualities`"),
            ("    description: text\n", "m.yaml:7:5", "cannot honour `description`"),
            ("    thumbnail: thumb.png\n", "m.yaml:7:5", "cannot honour `thumbnail`"),
            ("    is_public: false\n", "m.yaml:7:5", "cannot honour `is_public`"),
            ("    tags: [ok, \"a.b\"]\n", "m.yaml:7:16", "tag \"a.b\" is not accepted by Aionvision"),
            ("    tags: [\(String(repeating: "t", count: 51))]\n", "m.yaml:7:12", "is not accepted by Aionvision"),
            (
                "    tags: [\((1...21).map { "t\($0)" }.joined(separator: ", "))]\n", "m.yaml:7:5",
                "21 tags; Aionvision allows at most 20"
            ),
        ])
    func refusedKeys(extra: String, at: String, says: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(aionvision(extra))
        let findings = ws.findings(result)
        #expect(
            findings.contains {
                $0.hasPrefix("\(at): error:") && $0.contains(says) && $0.contains("provider: aionvision at m.yaml:2:11")
            }, "\(findings)")
        #expect(result.manifest == nil)
    }

    @Test("profiles and live streams are refused under aionvision")
    func profilesAndLive() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            aionvision(
                "live_streams:\n  town:\n    name: Town Hall\n", top: "profiles:\n  ladder: [720p]\n"))
        let findings = ws.findings(result)
        #expect(
            findings.contains { $0.hasPrefix("m.yaml:4:3: error: profile.ladder: Aionvision cannot honour encoding ladders") })
        #expect(findings.contains { $0.hasPrefix("m.yaml:10:3: error: live_stream.town: Aionvision has no live streams") })
    }

    @Test("a source over 10 GB is refused under aionvision, not under aioz")
    func tooLarge() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let handle = try #require(FileHandle(forWritingAtPath: ws.path + "/clip.mp4"))
        try handle.truncate(atOffset: UInt64(ProviderRules.aionvisionMaxSize + 1))
        try handle.close()
        let result = try ws.load(aionvision())
        #expect(ws.findings(result).contains { $0.hasPrefix("m.yaml:6:5: error:") && $0.contains("at most 10 GB") })
        #expect(try ws.load(video()).manifest != nil)
    }
}
