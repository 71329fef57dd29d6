import Foundation
import Testing

@testable import Manifest

private let hash = String(repeating: "0f", count: 32)

@Suite("URL and S3 sources in manifests")
struct RemoteSourceRuleTests {
    @Test("s3:// and https:// sources are read without the network; source_sha256 is kept; the format comes from the extension")
    func valid() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            "project: demo\nvideos:\n  a:\n    title: A\n    source: s3://my-bucket/dir/intro one.mp4\n"
                + "    source_sha256: sha256:\(hash)\n  b:\n    title: B\n    source: https://media.example.com/b.webm?X-Amz-Signature=abc\n"
                + "  c:\n    title: C\n    source: http://127.0.0.1:8080/c.mov\n")
        #expect(ws.findings(result) == [])
        let videos = try #require(result.manifest?.videos)
        #expect(videos[0].source.remote?.bucketAndKey?.bucket == "my-bucket")
        #expect(videos[0].source.remote?.bucketAndKey?.key == "dir/intro one.mp4")
        #expect(videos[0].source.remote?.declaredSHA256 == hash)
        #expect(videos[0].source.format == .mp4)
        #expect(videos[1].source.format == .webm)
        #expect(videos[1].source.written == "https://media.example.com/b.webm?…", "a presigned URL's query is not shown")
        #expect(videos[2].source.remote?.scheme == .http)
    }

    @Test(
        "malformed remote sources are refused with the reason",
        arguments: [
            ("source: http://media.example.com/a.mp4", "plain http:// is allowed only to a loopback address"),
            ("source: ftp://media.example.com/a.mp4", "not a valid URL or S3 source"),
            ("source: s3://my-bucket", "no key"),
            ("source: s3://My_Bucket/a.mp4", "is not 3 to 63 lowercase letters"),
            ("source: https://user:pw@media.example.com/a.mp4", "user name or password"),
            ("source: https://media.example.com/a.txt", "judged by the extension"),
            ("source: s3://my-bucket/a.mp4\n    source_sha256: abc", "64 lowercase hex digits"),
        ])
    func malformed(line: String, reason: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load("project: demo\nvideos:\n  a:\n    title: A\n    \(line)\n")
        let findings = ws.findings(result)
        #expect(findings.contains { $0.contains(reason) }, "\(findings)")
    }

    @Test("a video's thumbnail may be a URL (an image by extension); a playlist's may not")
    func thumbnails() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let result = try ws.load(
            "project: demo\nvideos:\n  a:\n    title: A\n    source: s3://my-bucket/a.mp4\n    thumbnail: s3://my-bucket/a.png\n"
                + "  b:\n    title: B\n    source: s3://my-bucket/b.mp4\n    thumbnail: https://example.com/b.mp4\n"
                + "    captions: {en: https://example.com/en.vtt}\n"
                + "playlists:\n  p:\n    title: P\n    thumbnail: https://example.com/p.png\n")
        let findings = ws.findings(result)
        #expect(findings.contains { $0.contains("thumbnail \"https://example.com/b.mp4\" is a URL or S3 object") }, "\(findings)")
        #expect(findings.filter { $0.contains("only a video's source and thumbnail may be a URL") }.count == 2, "\(findings)")
        #expect(!findings.contains { $0.contains("a.png") }, "\(findings)")
    }

    @Test("source_sha256 beside a local file is an error")
    func localWithHash() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("media/a.mp4", bytes: [0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0, count: 64))
        let result = try ws.load(
            "project: demo\nvideos:\n  a:\n    title: A\n    source: media/a.mp4\n    source_sha256: \(hash)\n")
        #expect(ws.findings(result).contains { $0.contains("source_sha256 is for a source that is a URL or an S3 object") })
    }
}
