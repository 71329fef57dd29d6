import Foundation
import Hummingbird
import NIOCore

/// One request and its answer as the client saw them, for checking the traffic against the API's
/// OpenAPI documents (`scripts/check-contract.py`). Bodies larger than `RecordedExchange.bodyLimit`
/// are left out (`requestBody == nil` with `requestBodyOmitted` set), never truncated.
public struct RecordedExchange: Sendable, Codable, Hashable {
    /// Bodies up to this size are kept; larger ones (upload parts) are left out.
    public static let bodyLimit = 256 * 1024

    public var method: String
    /// The request's `User-Agent`: requests are checked only when streamplan's client sent them
    /// (tests also send malformed requests on purpose); answers are always checked.
    public var userAgent: String?
    /// The path as sent, with the `/api` prefix.
    public var path: String
    /// The raw query string, without `?`.
    public var query: String?
    public var requestContentType: String?
    /// The request body, base64; nil when there was none or it was left out.
    public var requestBody: String?
    public var requestBodyOmitted: Bool
    public var status: Int
    public var responseContentType: String?
    /// The response body, base64; nil when there was none or it was left out.
    public var responseBody: String?
    public var responseBodyOmitted: Bool

    enum CodingKeys: String, CodingKey {
        case method, path, query, status
        case userAgent = "user_agent"
        case requestContentType = "request_content_type"
        case requestBody = "request_body"
        case requestBodyOmitted = "request_body_omitted"
        case responseContentType = "response_content_type"
        case responseBody = "response_body"
        case responseBodyOmitted = "response_body_omitted"
    }
}

/// Where recorded exchanges go: a closure (tests collect them in memory) or a JSON Lines file
/// (`streamplan sandbox --record FILE`).
public struct ExchangeRecorder: Sendable {
    public let record: @Sendable (RecordedExchange) -> Void

    public init(_ record: @escaping @Sendable (RecordedExchange) -> Void) {
        self.record = record
    }

    /// Appends one JSON object per line to `path` (created if missing), safe across processes that
    /// share the file: each line is one `write` to a descriptor opened with `O_APPEND`.
    public static func jsonLines(appendingTo path: String) throws -> ExchangeRecorder {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SandboxError.io("cannot open \(path) to record exchanges: \(String(cString: strerror(errno)))")
        }
        let file = RecordFile(descriptor: descriptor)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ExchangeRecorder { exchange in
            guard var line = try? encoder.encode(exchange) else { return }
            line.append(UInt8(ascii: "\n"))
            file.append(line)
        }
    }
}

/// A descriptor kept open for the life of the recorder; writes are serialized.
private final class RecordFile: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    func append(_ data: Data) {
        lock.withLock {
            _ = data.withUnsafeBytes { bytes in write(descriptor, bytes.baseAddress, bytes.count) }
        }
    }
}

/// Records every `/api` exchange (admin routes under `/api/_sandbox` excepted) as the client saw it:
/// outermost in the chain, so injected faults and error envelopes are recorded too.
struct RecordingMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let recorder: ExchangeRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/api/"), !path.hasPrefix("/api/_sandbox") else { return try await next(request, context) }
        var request = request
        var exchange = RecordedExchange(
            method: request.method.rawValue, userAgent: request.headers[.userAgent], path: path, query: request.uri.query,
            requestContentType: request.headers[.contentType], requestBody: nil, requestBodyOmitted: false,
            status: 0, responseContentType: nil, responseBody: nil, responseBodyOmitted: false)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared <= RecordedExchange.bodyLimit {
            let body = try await request.collectBody(upTo: RecordedExchange.bodyLimit)
            if body.readableBytes > 0 { exchange.requestBody = Data(body.readableBytesView).base64EncodedString() }
        } else if declared != nil || request.headers[.transferEncoding] != nil {
            exchange.requestBodyOmitted = true
        }
        var response = try await next(request, context)
        exchange.status = Int(response.status.code)
        exchange.responseContentType = response.headers[.contentType]
        let body = response.body
        let recorder = recorder
        let captured = exchange
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(
                RecordingWriter(base: writer, exchange: captured, recorder: recorder))
        }
        return response
    }
}

/// Passes the response through and keeps a copy of it (up to the limit) for the record.
struct RecordingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    var exchange: RecordedExchange
    let recorder: ExchangeRecorder
    var copy = ByteBuffer()

    init(base: any ResponseBodyWriter, exchange: RecordedExchange, recorder: ExchangeRecorder) {
        self.base = base
        self.exchange = exchange
        self.recorder = recorder
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        if !exchange.responseBodyOmitted {
            if copy.readableBytes + buffer.readableBytes <= RecordedExchange.bodyLimit {
                var buffer = buffer
                copy.writeBuffer(&buffer)
            } else {
                exchange.responseBodyOmitted = true
                copy.clear()
            }
        }
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        if !exchange.responseBodyOmitted, copy.readableBytes > 0 {
            var bytes = Data(copy.readableBytesView)
            if exchange.method == "POST", exchange.path == "/api/api_keys" { bytes = Self.withoutSecret(bytes) }
            exchange.responseBody = bytes.base64EncodedString()
        }
        recorder.record(exchange)
        try await base.finish(trailingHeaders)
    }

    /// A made API key's answer with its secret masked: the record keeps no key (as it keeps no headers).
    static func withoutSecret(_ body: Data) -> Data {
        guard var root = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            var data = root["data"] as? [String: Any], var key = data["api_key"] as? [String: Any],
            key["secret"] is String
        else { return body }
        key["secret"] = "***"
        data["api_key"] = key
        root["data"] = data
        return (try? JSONSerialization.data(withJSONObject: root)) ?? Data()
    }
}
