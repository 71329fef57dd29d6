import AsyncHTTPClient
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
public import Providers
import _NIOFileSystem

/// The HTTP client for Aionvision's video upload and file calls (Bearer auth), and for the
/// presigned chunk URLs it hands out (no auth header: the URL carries its own signature).
///
/// Retries: a request that failed transiently (connection lost, 429, 5xx) is sent again after a
/// capped, jittered exponential wait, except a create (`initiate`) whose answer may have been lost:
/// that one reports `outcomeUnknown` so the engine looks for the media before creating again.
public struct AionvisionClient: Sendable {
    public struct Configuration: Sendable {
        /// The API base, e.g. `https://api.aionvision.tech/api/v2` (no trailing slash).
        public var baseURL: String
        public var credentials: AionvisionCredentials
        /// Attempts per request, the first included.
        public var maxAttempts: Int
        public var baseDelay: Duration
        public var maxDelay: Duration
        public var requestTimeout: Duration
        /// Deadline of one chunk PUT.
        public var uploadTimeout: Duration
        public var userAgent: String

        public init(
            baseURL: String = "https://api.aionvision.tech/api/v2", credentials: AionvisionCredentials, maxAttempts: Int = 4,
            baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(10), requestTimeout: Duration = .seconds(60),
            uploadTimeout: Duration = .seconds(30 * 60), userAgent: String = "streamplan"
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.credentials = credentials
            self.maxAttempts = max(1, maxAttempts)
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.requestTimeout = requestTimeout
            self.uploadTimeout = uploadTimeout
            self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    let http: HTTPClient

    public init(configuration: Configuration) {
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(10), read: .seconds(120))
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        self.configuration = configuration
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    // MARK: Retries

    /// Runs `attempt` until it succeeds, fails for good, or the attempts run out.
    func withRetries<T: Sendable>(_ attempt: () async throws -> T) async throws -> T {
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch let error as AionvisionError where error.isTransient && number < configuration.maxAttempts {
                try await Task.sleep(for: delay(afterAttempt: number))
                number += 1
            }
        }
    }

    /// Full jitter over a capped exponential: attempt n waits up to min(max, base × 2^(n-1)).
    func delay(afterAttempt attempt: Int) -> Duration {
        let ceiling = min(configuration.maxDelay, configuration.baseDelay * (1 << min(attempt - 1, 20)))
        return ceiling * Double.random(in: 0..<1)
    }

    // MARK: JSON calls

    enum Method: String {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    /// One authenticated JSON call, retried when transient (and `retriable`); the decoded answer.
    func call<Answer: Decodable & Sendable>(
        _ method: Method, _ path: String, body: (any Encodable & Sendable)? = nil, operation: String,
        retriable: Bool = true, as type: Answer.Type = Answer.self
    ) async throws -> Answer {
        let data = try await callRaw(method, path, body: body, operation: operation, retriable: retriable)
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw AionvisionError(.server, operation: operation, detail: "the answer could not be read: \(error)")
        }
    }

    func callRaw(
        _ method: Method, _ path: String, body: (any Encodable & Sendable)? = nil, operation: String, retriable: Bool = true
    ) async throws -> Data {
        let encoded = try body.map { try JSONEncoder().encode($0) }
        let once = { try await self.sendOnce(method, path, body: encoded, operation: operation) }
        if retriable { return try await withRetries(once) }
        do {
            return try await once()
        } catch let error as AionvisionError where error.status == 429 {
            // Refused before it was processed: safe to send again.
            return try await withRetries(once)
        } catch let error as AionvisionError where error.isTransient {
            throw AionvisionError(
                .outcomeUnknown, operation: operation,
                detail: "the answer was lost (\(error.detail)); the service may or may not have done it", status: error.status)
        }
    }

    private func sendOnce(_ method: Method, _ path: String, body: Data?, operation: String) async throws -> Data {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Authorization", value: configuration.credentials.authorization)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .init(configuration.requestTimeout))
            bytes = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw AionvisionError(.transport, operation: operation, detail: configuration.credentials.redact("\(error)"))
        }
        let data = Data(bytes.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw AionvisionError(
                Self.kind(status), operation: operation, detail: configuration.credentials.redact(Self.detail(data)),
                status: status)
        }
        return data
    }

    static func kind(_ status: Int) -> AionvisionError.Kind {
        switch status {
        case 401, 403: .unauthorized
        case 404: .notFound
        case 413: .quotaExceeded
        case 429, 500...: .server
        default: .badRequest
        }
    }

    /// The service's `detail` (a sentence, or FastAPI's list of field errors), else the body's start.
    static func detail(_ data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let text = object["detail"] as? String { return text }
            if let list = object["detail"] as? [[String: Any]] {
                return list.compactMap { $0["msg"] as? String }.joined(separator: "; ")
            }
            if let text = object["message"] as? String { return text }
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self)
        return text.isEmpty ? "no explanation given" : text
    }

    // MARK: Presigned chunk PUT

    /// What a presigned PUT answered: S3's `ETag` (as sent, quoted) and the MD5 of the bytes sent.
    public struct ChunkAnswer: Sendable, Hashable {
        public var etag: String
        public var md5: String
    }

    /// PUTs `range` of `file` to a presigned URL, streamed from disk (256 KiB reads) and hashed on the
    /// way. Sends `Content-Type` and `Content-Length` only: never the API key, which the presigned
    /// host must not see. One attempt: the caller decides about renewals and retries.
    public func putChunk(
        url: String, file: String, range: Range<Int64>, contentType: String, operation: String,
        onBytes: @escaping @Sendable (Int64) -> Void = { _ in }, observe: ChunkBytesObserver? = nil
    ) async throws -> ChunkAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: contentType)
        let digest = NIOLockedValueBox<String?>(nil)
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            (response, bytes) = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(file)) { handle in
                request.body = .stream(
                    HashingChunks(
                        base: handle.readChunks(in: range, chunkLength: .kibibytes(256)),
                        onChunk: { onBytes(Int64($0)) }, onDigest: { hex in digest.withLockedValue { $0 = hex } },
                        firstOffset: range.lowerBound, observe: observe),
                    length: .known(range.upperBound - range.lowerBound))
                let response = try await http.execute(request, timeout: .init(configuration.uploadTimeout))
                return (response, try await response.body.collect(upTo: 1 << 20))
            }
        } catch let error as FileSystemError {
            throw AionvisionError(.invalidFile, operation: operation, detail: "cannot read \(file): \(error.message)")
        } catch {
            throw AionvisionError(.transport, operation: operation, detail: configuration.credentials.redact("\(error)"))
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let (code, message) = Self.s3Error(Data(bytes.readableBytesView))
            let kind: AionvisionError.Kind =
                status == 403 ? .urlRefused : (status >= 500 || status == 429 ? .server : .badRequest)
            throw AionvisionError(kind, operation: operation, detail: message ?? "refused", status: status, s3Code: code)
        }
        guard let etag = response.headers.first(name: "ETag"), !etag.isEmpty else {
            throw AionvisionError(
                .integrity, operation: operation, detail: "the storage answered without an ETag", status: status)
        }
        guard let md5 = digest.withLockedValue({ $0 }) else {
            throw AionvisionError(.transport, operation: operation, detail: "the chunk was not read to its end")
        }
        return ChunkAnswer(etag: etag, md5: md5)
    }

    /// `Code` and `Message` of S3's XML error document.
    static func s3Error(_ data: Data) -> (code: String?, message: String?) {
        let text = String(decoding: data, as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let open = text.range(of: "<\(name)>"),
                let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
            else { return nil }
            return String(text[open.upperBound..<close.lowerBound])
        }
        return (element("Code"), element("Message"))
    }
}

/// File chunks passed through unchanged, hashed (MD5) and counted on the way.
struct HashingChunks<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let onChunk: @Sendable (Int) -> Void
    let onDigest: @Sendable (String) -> Void
    /// Where the first chunk starts in the file, and who sees the bytes with their offsets.
    var firstOffset: Int64 = 0
    var observe: ChunkBytesObserver? = nil

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let owner: HashingChunks
        var md5 = Insecure.MD5()
        var finished = false
        var offset: Int64? = nil

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if let chunk = try await base.next() {
                let at = offset ?? owner.firstOffset
                chunk.withUnsafeReadableBytes { bytes in
                    md5.update(bufferPointer: bytes)
                    owner.observe?(at, bytes)
                }
                offset = at + Int64(chunk.readableBytes)
                owner.onChunk(chunk.readableBytes)
                return chunk
            }
            finished = true
            owner.onDigest(md5.finalize().map { String(format: "%02x", $0) }.joined())
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), owner: self) }
}
