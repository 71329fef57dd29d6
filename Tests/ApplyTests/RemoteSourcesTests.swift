import AsyncHTTPClient
import Foundation
import Manifest
import Testing

@testable import Apply

/// How S3 requests are addressed and signed from the environment (no network).
@Suite("URL and S3 sources: addressing and signing")
struct RemoteSourcesTests {
    static let base = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "eu-west-3",
    ]

    func source(_ url: String) throws -> RemoteSource { try RemoteSource.parse(url).get() }

    @Test("AWS: virtual-hosted style, path-style for a dotted bucket; the key's segments encoded once")
    func addressing() throws {
        let sources = RemoteSources(environment: Self.base)
        let plain = try sources.request(try source("s3://media/a b/c+d.mp4"), method: .GET, range: 0..<10)
        #expect(plain.url == "https://media.s3.eu-west-3.amazonaws.com/a%20b/c%2Bd.mp4")
        #expect(plain.headers.first(name: "range") == "bytes=0-9")
        let dotted = try sources.request(try source("s3://media.example.com/x.mp4"), method: .HEAD, range: nil)
        #expect(dotted.url == "https://s3.eu-west-3.amazonaws.com/media.example.com/x.mp4")
    }

    @Test("an endpoint override is addressed path-style; AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL")
    func endpoint() throws {
        var environment = Self.base
        environment["AWS_ENDPOINT_URL"] = "https://general.example.com"
        environment["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000"
        let request = try RemoteSources(environment: environment).request(
            try source("s3://media/k.mp4"), method: .GET, range: nil)
        #expect(request.url == "http://127.0.0.1:9000/media/k.mp4")
        #expect(request.headers.first(name: "host") == "127.0.0.1:9000")
        environment["AWS_ENDPOINT_URL_S3"] = nil
        let general = try RemoteSources(environment: environment).request(
            try source("s3://media/k.mp4"), method: .GET, range: nil)
        #expect(general.url == "https://general.example.com/media/k.mp4")
    }

    @Test("plain http is refused for a non-loopback endpoint; an access key without a secret is refused")
    func refusals() throws {
        var environment = Self.base
        environment["AWS_ENDPOINT_URL_S3"] = "http://minio.internal:9000"
        #expect(throws: ApplyError.self) {
            try RemoteSources(environment: environment).request(try source("s3://media/k.mp4"), method: .GET, range: nil)
        }
        environment = Self.base
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        do {
            _ = try S3Settings.fromEnvironment(environment)
            Issue.record("accepted an access key without a secret")
        } catch {
            #expect("\(error)".contains("AWS_SECRET_ACCESS_KEY is not"))
        }
    }

    @Test("a signed request carries the access key id, the session token and a signature, never the secret")
    func signing() throws {
        var environment = Self.base
        environment["AWS_SESSION_TOKEN"] = "session-token-123"
        let sources = RemoteSources(environment: environment)
        let remote = try source("s3://media/k.mp4")
        var request = try sources.request(remote, method: .GET, range: 0..<1)
        try sources.sign(&request, remote)
        let authorization = try #require(request.headers.first(name: "authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
        #expect(authorization.contains("/eu-west-3/s3/aws4_request"))
        #expect(authorization.contains("x-amz-security-token"))
        #expect(request.headers.first(name: "x-amz-security-token") == "session-token-123")
        let everything = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + request.url
        #expect(!everything.contains(Self.base["AWS_SECRET_ACCESS_KEY"]!))
        // Without credentials: unsigned (a public bucket); a URL is never signed.
        var unsigned = try RemoteSources(environment: [:]).request(remote, method: .GET, range: nil)
        try RemoteSources(environment: [:]).sign(&unsigned, remote)
        #expect(unsigned.headers.first(name: "authorization") == nil)
        let web = try source("https://example.com/v.mp4")
        var url = try sources.request(web, method: .GET, range: nil)
        try sources.sign(&url, web)
        #expect(url.headers.first(name: "authorization") == nil)
    }
}
