import Foundation
import Testing

@testable import Manifest

/// `live_streams: KEY: restream:`: the ${NAME} rule, the URL rules, each at its position.
@Suite("restream manifests")
struct RestreamManifestTests {
    func manifest(_ destinations: String) -> String {
        "project: demo\nlive_streams:\n  townhall:\n    name: Town Hall\n    restream:\n" + destinations
    }

    func load(_ text: String, _ ws: Workspace) throws -> ManifestLoadResult {
        try WebhookURL.$environmentOverride.withValue(["YT_KEY": "yt-Secret-0a1b2c3d", "OTHER": "x-1"]) {
            try ws.load(text)
        }
    }

    @Test("a destination whose stream key is ${NAME}: expanded, the written form kept, its address under the key")
    func decoded() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try load(manifest("      youtube:\n        url: \"rtmp://a.rtmp.youtube.com/live2/${YT_KEY}\"\n"), ws)
        #expect(ws.findings(result) == [])
        let spec = try #require(result.manifest?.liveStreams.first?.restreams.first)
        #expect(spec.address == "live_stream.townhall.restream.youtube")
        #expect(spec.url == "rtmp://a.rtmp.youtube.com/live2/yt-Secret-0a1b2c3d")
        #expect(spec.writtenURL == "rtmp://a.rtmp.youtube.com/live2/${YT_KEY}")
        #expect(RestreamURL.masked(spec.url) == "rtmp://a.rtmp.youtube.com/live2/***")
        #expect(RestreamURL.credentials(spec.url).contains("yt-Secret-0a1b2c3d"))
    }

    @Test(
        "each rule is reported where it is broken, never echoing a literal key",
        arguments: [
            ("      youtube:\n        url: rtmp://a.rtmp.youtube.com/live2/abcdef123456\n", "m.yaml:7:14", "written literally"),
            (
                "      youtube:\n        url: \"https://a.example.com/live2/${YT_KEY}\"\n", "m.yaml:7:14",
                "use rtmp:// or rtmps://"
            ),
            (
                "      youtube:\n        url: \"rtmp://a.rtmp.youtube.com/live2/${STREAMPLAN_SURELY_UNSET}\"\n", "m.yaml:7:14",
                "environment variable STREAMPLAN_SURELY_UNSET is not set"
            ),
            (
                "      youtube:\n        url: \"rtmp://a.rtmp.youtube.com/${YT_KEY}/x?token=T0ken0123456\"\n", "m.yaml:7:14",
                "written literally"
            ),
            ("      youtube:\n        key: x\n", "m.yaml:7:9", "unknown key"),
            ("      youtube: {}\n", "m.yaml:6:16", "is missing url"),
            (
                "      a:\n        url: \"rtmp://h.example.com/app/${YT_KEY}\"\n"
                    + "      b:\n        url: \"rtmp://h.example.com/app/${YT_KEY}\"\n",
                "m.yaml:8:7", "have the same url"
            ),
        ])
    func rules(body: String, at: String, says: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try load(manifest(body), ws)
        let findings = ws.findings(result)
        #expect(findings.contains { $0.hasPrefix("\(at): error:") && $0.contains(says) }, "\(findings)")
        #expect(!findings.joined().contains("abcdef123456") && !findings.joined().contains("T0ken0123456"), "\(findings)")
        #expect(result.manifest == nil)
    }
}
