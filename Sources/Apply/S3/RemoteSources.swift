import AsyncHTTPClient
import Crypto
import Foundation
public import Manifest
import NIOCore
import NIOHTTP1
public import Providers

/// What a HEAD of a remote source says of it.
public struct RemoteHead: Sendable, Hashable {
    public var size: Int64
    /// The object's version: its `ETag`, else its `Last-Modified` (nil: the server names neither).
    public var version: String?
    /// S3's stored SHA-256 of the whole object (`x-amz-checksum-sha256`, as lowercase hex), if any.
    public var sha256: String?
}

/// Where S3 requests go and how they are signed, from the environment: `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` (or `AWS_DEFAULT_REGION`), and
/// `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`) for an S3-compatible store, addressed path-style.
/// Without credentials requests go unsigned (a public bucket).
struct S3Settings: Sendable {
    var signer: SigV4Signer?
    var region: String
    /// The endpoint override: scheme, host and port (path-style addressing).
    var endpoint: (scheme: String, host: String, port: Int?)?

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3Settings {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        var signer: SigV4Signer?
        if let id = value("AWS_ACCESS_KEY_ID") {
            guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
                throw ApplyError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both to read s3:// sources")
            }
            signer = SigV4Signer(
                credentials: .init(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN")),
                region: region)
        }
        var endpoint: (String, String, Int?)?
        if let name = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"].first(where: { value($0) != nil }), let text = value(name) {
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                let host = components.host, !host.isEmpty, scheme == "https" || scheme == "http"
            else {
                throw ApplyError("\(name) is not an http(s) URL: \(text)")
            }
            guard scheme == "https" || RemoteSource.isLoopback(host) else {
                throw ApplyError(
                    "\(name) is plain http:// to \(host); http:// is allowed only to a loopback address, use https://")
            }
            endpoint = (scheme, host, components.port)
        }
        return S3Settings(signer: signer, region: region, endpoint: endpoint)
    }
}

/// Reads sources that are URLs or S3 objects over HTTP (AsyncHTTPClient): HEAD for the size,
/// version and (S3) stored checksum, ranged GETs streamed through for hashing and uploading.
/// Credentials go only into the `Authorization` header; no message names the secret.
public struct RemoteSources: Sendable {
    let http: HTTPClient
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = Self.client
        self.environment = environment
    }

    /// One client for the process, following no redirect by itself: `send` follows them, checking
    /// each target like a written source (https, or http to loopback only), and never for S3
    /// (whose requests carry a signature for one host).
    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// How many redirects a URL source may go through.
    static let maxRedirects = 5

    /// The object's size, version and stored checksum.
    public func head(_ source: RemoteSource) async throws -> RemoteHead {
        var request = try request(source, method: .HEAD, range: nil)
        if source.scheme == .s3 { request.headers.add(name: "x-amz-checksum-mode", value: "ENABLED") }
        try sign(&request, source)
        let response = try await send(request, source, timeout: .seconds(60), what: "HEAD")
        guard response.status == .ok else {
            throw try await failure(response, source, what: "HEAD", retryWithGet: true)
        }
        guard let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
            throw ApplyError("\(source.shown): the server's HEAD answer has no Content-Length; streamplan needs the size")
        }
        var sha256: String?
        if let encoded = response.headers.first(name: "x-amz-checksum-sha256"), let bytes = Data(base64Encoded: encoded),
            bytes.count == 32
        {
            // A composite checksum of a multipart object ("…-N") is not the whole object's hash.
            let type = response.headers.first(name: "x-amz-checksum-type")?.uppercased()
            if type == nil || type == "FULL_OBJECT" { sha256 = bytes.map { String(format: "%02x", $0) }.joined() }
        }
        return RemoteHead(size: length, version: Self.version(response.headers), sha256: sha256)
    }

    /// The bytes of `range`, streamed as the server sends them. `version` (the plan's) must still be
    /// the object's: another one refuses with "changed since the plan".
    public func stream(_ source: RemoteSource, _ range: Range<Int64>, version: String?) async throws
        -> AsyncThrowingStream<ByteBuffer, any Error>
    {
        var request = try request(source, method: .GET, range: range)
        if let version, version.hasPrefix("\"") || version.hasPrefix("W/") {
            request.headers.add(name: "if-match", value: version)
        }
        try sign(&request, source)
        let response = try await send(request, source, timeout: .hours(6), what: "GET")
        if response.status == .preconditionFailed {
            throw ApplyError(Self.changed(source, then: version, now: Self.version(response.headers)))
        }
        guard response.status == .partialContent || response.status == .ok else {
            throw try await failure(response, source, what: "GET", retryWithGet: false)
        }
        if let version, let now = Self.version(response.headers), now != version {
            throw ApplyError(Self.changed(source, then: version, now: now))
        }
        // A server that ignores Range answers 200 with the whole object: the bytes before the range are skipped.
        var skip: Int64 = 0
        if response.status == .ok {
            skip = range.lowerBound
        } else if let contentRange = response.headers.first(name: "content-range"),
            !contentRange.hasPrefix("bytes \(range.lowerBound)-")
        {
            throw ApplyError("\(source.shown): asked for bytes \(range.lowerBound)-…, the server answered \(contentRange)")
        }
        let body = BodyReader(response.body.makeAsyncIterator(), skip: skip, count: Int64(range.count), name: source.shown)
        return AsyncThrowingStream(unfolding: { try await body.next() })
    }

    /// The SHA-256 of the whole object (one streamed GET).
    public func sha256(_ source: RemoteSource, size: Int64, version: String?) async throws -> String {
        var hasher = SHA256()
        if size > 0 {
            for try await chunk in try await stream(source, 0..<size, version: version) {
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A `RangeReader` of one planned version of the object, for an upload.
    public func reader(_ source: RemoteSource, version: String?) -> any RangeReader {
        Reader(sources: self, source: source, version: version)
    }

    struct Reader: RangeReader {
        let sources: RemoteSources
        let source: RemoteSource
        let version: String?
        var name: String { source.shown }

        func stream(_ range: Range<Int64>) async throws -> AsyncThrowingStream<ByteBuffer, any Error> {
            try await sources.stream(source, range, version: version)
        }
    }

    /// Reads ranges synchronously, for `StreamingSHA256`'s catch-up thread (never the cooperative pool).
    public func blockingRead(_ source: RemoteSource, version: String?) -> @Sendable (Range<Int64>) throws -> [UInt8] {
        { range in
            let result = BlockingBox()
            Task.detached {
                do {
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(Int(range.count))
                    for try await chunk in try await self.stream(source, range, version: version) {
                        bytes.append(contentsOf: chunk.readableBytesView)
                    }
                    result.set(.success(bytes))
                } catch {
                    result.set(.failure(error))
                }
            }
            return try result.wait().get()
        }
    }

    final class BlockingBox: @unchecked Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private var value: Result<[UInt8], any Error>?
        func set(_ value: Result<[UInt8], any Error>) {
            self.value = value
            semaphore.signal()
        }
        func wait() -> Result<[UInt8], any Error> {
            semaphore.wait()
            return value!
        }
    }

    /// The response body, cut to the range: `skip` bytes dropped, then `count` bytes handed on.
    final class BodyReader: @unchecked Sendable {
        var iterator: HTTPClientResponse.Body.AsyncIterator
        var skip: Int64
        var remaining: Int64
        let total: Int64
        let name: String

        init(_ iterator: HTTPClientResponse.Body.AsyncIterator, skip: Int64, count: Int64, name: String) {
            self.iterator = iterator
            self.skip = skip
            self.remaining = count
            self.total = count
            self.name = name
        }

        func next() async throws -> ByteBuffer? {
            while remaining > 0 {
                guard var buffer = try await iterator.next() else {
                    throw ApplyError(
                        "\(name): the server ended the answer after \(total - remaining) of \(total) bytes; it is shorter than planned"
                    )
                }
                if skip > 0 {
                    let dropped = Int(min(skip, Int64(buffer.readableBytes)))
                    buffer.moveReaderIndex(forwardBy: dropped)
                    skip -= Int64(dropped)
                }
                if Int64(buffer.readableBytes) > remaining {
                    buffer = buffer.getSlice(at: buffer.readerIndex, length: Int(remaining))!
                }
                remaining -= Int64(buffer.readableBytes)
                if buffer.readableBytes > 0 { return buffer }
            }
            return nil
        }
    }

    // MARK: Requests

    func settings() throws -> S3Settings { try S3Settings.fromEnvironment(environment) }

    /// The request (unsigned) for `source`: an S3 object by virtual-hosted or (endpoint override,
    /// dotted bucket) path-style address; a URL as written.
    func request(_ source: RemoteSource, method: HTTPMethod, range: Range<Int64>?) throws -> HTTPClientRequest {
        var request: HTTPClientRequest
        if let (bucket, key) = source.bucketAndKey {
            let settings = try settings()
            let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false)
                .map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/")
            let scheme: String
            let host: String
            let path: String
            if let endpoint = settings.endpoint {
                scheme = endpoint.scheme
                host = endpoint.host + (endpoint.port.map { ":\($0)" } ?? "")
                path = "/\(SigV4Signer.uriEncode(bucket))/\(encodedKey)"
            } else if bucket.contains(".") {
                scheme = "https"
                host = "s3.\(settings.region).amazonaws.com"
                path = "/\(bucket)/\(encodedKey)"
            } else {
                scheme = "https"
                host = "\(bucket).s3.\(settings.region).amazonaws.com"
                path = "/\(encodedKey)"
            }
            request = HTTPClientRequest(url: "\(scheme)://\(host)\(path)")
            request.headers.add(name: "host", value: host)
        } else {
            request = HTTPClientRequest(url: source.url)
        }
        request.method = method
        if let range { request.headers.add(name: "range", value: "bytes=\(range.lowerBound)-\(range.upperBound - 1)") }
        return request
    }

    /// Signs an S3 request (SigV4, header form) when credentials are set; a URL is sent as it is.
    func sign(_ request: inout HTTPClientRequest, _ source: RemoteSource) throws {
        guard source.scheme == .s3, let signer = try settings().signer else { return }
        let amzDate = SigV4Signer.amzDate(Date())
        request.headers.add(name: "x-amz-date", value: amzDate)
        request.headers.add(name: "x-amz-content-sha256", value: SigV4Signer.emptyPayloadSHA256)
        if let token = signer.credentials.sessionToken { request.headers.add(name: "x-amz-security-token", value: token) }
        let components = URLComponents(string: request.url)
        let path = components?.percentEncodedPath ?? "/"
        let headers = request.headers.map { ($0.name, $0.value) }
        let signed = signer.sign(
            method: request.method.rawValue, path: path, rawQuery: components?.percentEncodedQuery ?? "", headers: headers,
            payloadSHA256: SigV4Signer.emptyPayloadSHA256, amzDate: amzDate)
        request.headers.add(name: "authorization", value: signed.authorization)
    }

    func send(_ request: HTTPClientRequest, _ source: RemoteSource, timeout: TimeAmount, what: String) async throws
        -> HTTPClientResponse
    {
        var request = request
        for _ in 0...Self.maxRedirects {
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout)
            } catch {
                throw ApplyError("\(source.shown): cannot \(what) it: \(error)")
            }
            guard source.scheme != .s3, [301, 302, 303, 307, 308].contains(response.status.code),
                let location = response.headers.first(name: "location")
            else { return response }
            guard let target = URL(string: location, relativeTo: URL(string: request.url))?.absoluteURL.absoluteString else {
                throw ApplyError("\(source.shown): the server redirected to \"\(location.prefix(200))\", which is not a URL")
            }
            if case .failure(let problem) = RemoteSource.parse(target) {
                throw ApplyError(
                    "\(source.shown): the server redirected to \(RemoteSource(url: target, scheme: .https).shown), "
                        + "which streamplan does not follow: \(problem)")
            }
            var next = HTTPClientRequest(url: target)
            next.method = request.method
            for (name, value) in request.headers where name.lowercased() != "host" { next.headers.add(name: name, value: value) }
            request = next
        }
        throw ApplyError("\(source.shown): more than \(Self.maxRedirects) redirects")
    }

    /// A sentence for a refused request, naming the bucket and key (or URL) and never a credential.
    /// A HEAD answer has no body: the error code comes from one GET of its first byte.
    func failure(_ response: HTTPClientResponse, _ source: RemoteSource, what: String, retryWithGet: Bool) async throws
        -> ApplyError
    {
        var code: String?
        if retryWithGet, source.scheme == .s3, response.status.code >= 400 {
            var probe = try request(source, method: .GET, range: 0..<1)
            try sign(&probe, source)
            if let answer = try? await http.execute(probe, timeout: .seconds(60)) {
                code = Self.s3Code(try? await answer.body.collect(upTo: 64 << 10))
            }
        } else if source.scheme == .s3 {
            code = Self.s3Code(try? await response.body.collect(upTo: 64 << 10))
        }
        let status = "\(response.status.code) \(response.status.reasonPhrase)"
        if let (bucket, key) = source.bucketAndKey {
            let signer = try? settings().signer
            let who = signer.map { " with access key id \($0.credentials.accessKeyID)" } ?? " without credentials"
            let reason: String
            switch code {
            case "SignatureDoesNotMatch"?:
                reason =
                    "the request's signature does not match (SignatureDoesNotMatch): AWS_SECRET_ACCESS_KEY is wrong for this access key id"
            case "InvalidAccessKeyId"?:
                reason = "the access key id is unknown (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID"
            case "NoSuchKey"?:
                reason = "no such object (NoSuchKey)"
            case nil where response.status == .notFound:
                reason = "no such object (NoSuchKey)"
            case "NoSuchBucket"?:
                reason = "no such bucket (NoSuchBucket)"
            case "AccessDenied"?:
                reason = "access denied (AccessDenied): the credentials may not read this object"
            case "ExpiredToken"?, "InvalidToken"?:
                reason = "the session token is expired or invalid (\(code!)): check AWS_SESSION_TOKEN"
            case let other?:
                reason = other
            case nil:
                reason = "refused"
            }
            return ApplyError("S3 refused to \(what) bucket \(bucket), key \(key)\(who): \(status): \(reason)")
        }
        return ApplyError("\(source.shown): the server answered \(what) with \(status)")
    }

    static func s3Code(_ body: ByteBuffer?) -> String? {
        guard let body, let text = body.getString(at: body.readerIndex, length: body.readableBytes),
            let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func version(_ headers: HTTPHeaders) -> String? {
        headers.first(name: "etag") ?? headers.first(name: "last-modified")
    }

    static func changed(_ source: RemoteSource, then: String?, now: String?) -> String {
        "the source \(source.shown) changed since the plan (version \(then ?? "unknown") then, \(now ?? "another") now); plan again"
    }
}
