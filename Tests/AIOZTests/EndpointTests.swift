import Testing

@testable import AIOZ

@Suite("Endpoint")
struct EndpointTests {
    @Test("https endpoints are accepted and lose their trailing slash")
    func https() throws {
        #expect(try AIOZEndpoint("https://api.aiozstream.network/api/").baseURL == "https://api.aiozstream.network/api")
        #expect(AIOZEndpoint.production.baseURL == "https://api.aiozstream.network/api")
    }

    @Test(
        "plain http is accepted for loopback hosts",
        arguments: [
            "http://127.0.0.1:8080/api", "http://127.1.2.3/api", "http://localhost:9/api", "http://[::1]:8080/api",
        ])
    func loopback(url: String) throws {
        #expect(try AIOZEndpoint(url).baseURL == url)
    }

    @Test(
        "plain http to another host is refused with a reason",
        arguments: [
            "http://api.aiozstream.network/api", "http://10.0.0.1/api", "http://127.0.0.1.example.com/api",
            "http://128.0.0.1/api",
        ])
    func refusesPlainHTTP(url: String) {
        let error = #expect(throws: AIOZError.self) { try AIOZEndpoint(url) }
        #expect(error?.code == .invalidEndpoint)
        #expect(error?.description.contains("unencrypted") == true)
    }

    @Test("garbage and other schemes are refused", arguments: ["not a url", "ftp://x/api", "https://user:pw@host/api"])
    func refusesGarbage(url: String) {
        #expect(throws: AIOZError.self) { try AIOZEndpoint(url) }
    }

    @Test("query values are percent-encoded")
    func query() throws {
        let endpoint = try AIOZEndpoint("https://h/api")
        #expect(
            endpoint.url("/videos/cost", query: [("qualities", "360p,1080p"), ("duration", "60")])
                == "https://h/api/videos/cost?qualities=360p%2C1080p&duration=60")
    }
}

@Suite("downloads send the API keys only to the API's origin")
struct DownloadOriginTests {
    @Test("the same scheme, host and port is the API's origin; anything else is not")
    func origins() throws {
        let endpoint = try AIOZEndpoint("http://127.0.0.1:8080/api")
        #expect(endpoint.sameOrigin("http://127.0.0.1:8080/api/videos/v1/source"))
        #expect(endpoint.sameOrigin("HTTP://127.0.0.1:8080/other"))
        #expect(!endpoint.sameOrigin("http://127.0.0.1:8081/api/videos/v1/source"))
        #expect(!endpoint.sameOrigin("https://127.0.0.1:8080/api"))
        #expect(!endpoint.sameOrigin("http://localhost:8080/api"))
        #expect(!endpoint.sameOrigin("not a url"))
        #expect(AIOZEndpoint.production.sameOrigin("https://api.aiozstream.network:443/api/x"))
        #expect(!AIOZEndpoint.production.sameOrigin("https://cdn.aiozstream.network/x"))
    }
}
