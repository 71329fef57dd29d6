import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A response whose status was 2xx, with its body collected.
struct SuccessResponse: Sendable {
    var status: Int
    var body: ByteBuffer
}

/// What a request sends: one buffer (JSON, a form, a part or an image that fits in a chunk), or a
/// stream (a larger part or image, read from disk as it goes).
enum OutgoingBody: Sendable {
    case bytes(ByteBuffer)
    case stream(HTTPClientRequest.Body)
}

extension AIOZClient {
    /// The largest JSON response read into memory.
    static let maximumResponseBytes = 16 << 20
    /// Attempts of one request left unanswered (each for its whole deadline) before it fails.
    static let unansweredAttempts = 2

    /// `body`'s result, or `HTTPClientError.deadlineExceeded` once `limit` has passed. The deadline is a
    /// timer on `eventLoop` that cancels the work: one task per request, where a task group with a
    /// sleeping child cost two more tasks and a timer thread's wake-ups on every request.
    static func within<T: Sendable>(
        _ limit: Duration, on eventLoop: any EventLoop, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let work = Task { try await body() }
        let expired = NIOLockedValueBox(false)
        let timer = eventLoop.scheduleTask(in: TimeAmount(max(limit, .zero))) {
            expired.withLockedValue { $0 = true }
            work.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch {
            if expired.withLockedValue({ $0 }) { throw HTTPClientError.deadlineExceeded }
            throw error
        }
    }

    /// Sends one attempt: adds the key headers, maps non-2xx and transport failures to `AIOZError`.
    ///
    /// A request without a body or with one buffer goes through AsyncHTTPClient's delegate API: the
    /// answer arrives whole, in one resumption of the task, under one deadline that covers its body
    /// (`HTTPClient.execute(request:delegate:deadline:)`). A streamed body goes through the async API,
    /// whose deadline ends with the answer's head, so its body is read under `within`. The first is
    /// the path of every JSON request and of small parts and thumbnails: measured per request, the
    /// async API's streamed answer costs several hops between the event loop and the task
    /// (docs/benchmarks.md, "Apply of 10,000 against a reference that sends streamplan's create bodies").
    func sendOnce(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], headers: HTTPHeaders = [:],
        body: OutgoingBody?, timeout: Duration, context: RequestContext
    ) async throws -> SuccessResponse {
        var headers = headers
        headers.replaceOrAdd(name: "stream-public-key", value: configuration.credentials.publicKey)
        headers.replaceOrAdd(name: "stream-secret-key", value: configuration.credentials.secretKey)
        if !headers.contains(name: "accept") { headers.add(name: "accept", value: "application/json") }
        headers.replaceOrAdd(name: "user-agent", value: configuration.userAgent)
        let url = configuration.endpoint.url(path, query: query)

        let clock = ContinuousClock()
        let started = clock.now
        let status: Int
        let responseHeaders: HTTPHeaders
        let buffer: ByteBuffer
        do {
            switch body {
            case .stream(let streamed)?:
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers = headers
                request.body = streamed
                let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
                status = Int(response.status.code)
                responseHeaders = response.headers
                // The body within the same deadline: a server that sends its headers and then nothing
                // would otherwise hold the attempt for the connection's read timeout (120 s).
                buffer = try await Self.within(timeout - (clock.now - started), on: httpClient.eventLoopGroup.any()) {
                    try await response.body.collect(upTo: Self.maximumResponseBytes)
                }
            case .bytes(let bytes)?:
                (status, responseHeaders, buffer) = try await whole(method, url, headers, .byteBuffer(bytes), timeout)
            case nil:
                (status, responseHeaders, buffer) = try await whole(method, url, headers, nil, timeout)
            }
        } catch {
            let failure = TransportFailure.classify(error, context: context)
            logger.debug(
                "\(method) \(path) failed after \(Self.milliseconds(clock.now - started)) ms: \(failure.error.detail ?? "")")
            throw failure
        }
        logger.debug("\(method) \(path) → \(status) in \(Self.milliseconds(clock.now - started)) ms")
        guard (200..<300).contains(status) else {
            var error = context.error(AIOZError.code(forStatus: status), status: status, message: Self.errorMessage(in: buffer))
            if status == 429 || status == 503 {
                error.retryAfterSeconds =
                    RetryPolicy.parseRetryAfter(responseHeaders.first(name: "Retry-After"))
                    ?? RetryPolicy.parseRetryAfter(responseHeaders.first(name: "X-RateLimit-Retry-After"))
            }
            // A 429 is refused before any work is done; a create can safely be sent again.
            throw TransportFailure(error: error, requestNotProcessed: status == 429)
        }
        return SuccessResponse(status: status, body: buffer)
    }

    /// One request whose answer is read whole (`sendOnce`): its status, headers and body, all within
    /// `timeout`; the task's cancellation cancels the request.
    private func whole(
        _ method: HTTPMethod, _ url: String, _ headers: HTTPHeaders, _ body: HTTPClient.Body?, _ timeout: Duration
    ) async throws -> (Int, HTTPHeaders, ByteBuffer) {
        let request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body)
        let task = httpClient.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: Self.maximumResponseBytes),
            deadline: .now() + TimeAmount(timeout))
        let response = try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
        return (Int(response.status.code), response.headers, response.body ?? ByteBuffer())
    }

    /// Runs `attempt` under the retry policy. Non-idempotent requests are retried only when the
    /// server certainly did nothing; otherwise they fail with `.outcomeUnknown`.
    func withRetries<T: Sendable>(_ context: RequestContext, _ attempt: () async throws -> T) async throws -> T {
        let policy = configuration.retryPolicy
        var number = 1
        var unanswered = 0
        while true {
            do {
                return try await attempt()
            } catch let failure as TransportFailure {
                var error = failure.error
                error.attempts = number
                guard error.isTransient, !failure.isPermanent else { throw error }
                if failure.unanswered { unanswered += 1 }
                if !context.idempotent && !failure.requestNotProcessed {
                    error.code = .outcomeUnknown
                    error.detail = [error.httpStatus.map { "HTTP \($0)" }, error.serverMessage, error.detail]
                        .compactMap { $0 }.joined(separator: "; ")
                    error.serverMessage = nil
                    throw error
                }
                guard number < policy.maxAttempts else { throw error }
                // A server that takes connections but twice answers nothing is down: failing now
                // bounds a request at two deadlines (docs/reliability.md, "Timeouts").
                guard unanswered < Self.unansweredAttempts else {
                    error.detail =
                        (error.detail.map { $0 + "; " } ?? "")
                        + "no answer to \(unanswered) attempts in a row; not retried again"
                    throw error
                }
                let delay = policy.delay(afterAttempt: number, retryAfterSeconds: error.retryAfterSeconds)
                logger.debug(
                    "retrying \(context.operation) (attempt \(number + 1) of \(policy.maxAttempts)) in \(Self.milliseconds(delay)) ms: \(error.code)"
                )
                try await Task.sleep(for: delay)
                number += 1
            }
        }
    }

    /// Sends a JSON request (retried per policy) and decodes `data` of the success envelope.
    func requestData<Response: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: (any Encodable & Sendable)? = nil,
        as type: Response.Type, context: RequestContext
    ) async throws -> Response {
        let response = try await requestJSON(method, path, query: query, json: json, context: context)
        do {
            let envelope = try JSONDecoder().decode(DataEnvelope<Response>.self, from: Data(response.body.readableBytesView))
            guard let data = envelope.data else {
                throw context.error(.decoding, status: response.status, detail: "the response has no \"data\" field")
            }
            return data
        } catch let error as AIOZError {
            throw error
        } catch {
            throw context.error(.decoding, status: response.status, detail: Self.describe(decoding: error))
        }
    }

    /// Sends a JSON request (retried per policy) whose success answer carries only a message.
    func requestMessage(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: (any Encodable & Sendable)? = nil,
        context: RequestContext
    ) async throws {
        _ = try await requestJSON(method, path, query: query, json: json, context: context)
    }

    private func requestJSON(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], json: (any Encodable & Sendable)?,
        context: RequestContext
    ) async throws -> SuccessResponse {
        var headers = HTTPHeaders()
        var bytes: ByteBuffer?
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                bytes = ByteBuffer(bytes: try encoder.encode(json))
            } catch {
                throw context.error(.invalidRequest, detail: "could not encode the request body: \(error)")
            }
            headers.add(name: "content-type", value: "application/json")
        }
        return try await withRetries(context) {
            try await sendOnce(
                method, path: path, query: query, headers: headers, body: bytes.map { .bytes($0) },
                timeout: configuration.requestTimeout, context: context
            )
        }
    }

    /// The `message` of an error envelope, or a short excerpt of a non-JSON body.
    static func errorMessage(in buffer: ByteBuffer) -> String? {
        guard buffer.readableBytes > 0 else { return nil }
        let data = Data(buffer.readableBytesView)
        if let envelope = try? JSONDecoder().decode(MessageEnvelope.self, from: data) {
            return envelope.message ?? envelope.error
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static func describe(decoding error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.isEmpty ? "the top level" : "data" + joined
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c):
            return "\(path(c)): missing field \"\(key.stringValue)\""
        @unknown default:
            return "\(error)"
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

/// `{"status":"success","data":…}`.
struct DataEnvelope<Payload: Decodable>: Decodable {
    var status: String?
    var data: Payload?
}

/// `{"status":"error","message":…}` (some gateways say `error`).
struct MessageEnvelope: Decodable {
    var status: String?
    var message: String?
    var error: String?
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(AIOZClient.milliseconds(duration) * 1_000_000)
    }
}

extension AIOZClient {
    /// Streams the body at `url` (an asset URL the API gave out) into the file at `path`, with the key
    /// headers only when `url` is on the API's own origin (never to a CDN or a logo's host); the file
    /// is written whole or not at all (a temporary file renamed at the end).
    func download(_ url: String, to path: String, context: RequestContext) async throws {
        var request = HTTPClientRequest(url: url)
        if configuration.endpoint.sameOrigin(url) {
            request.headers.add(name: "stream-public-key", value: configuration.credentials.publicKey)
            request.headers.add(name: "stream-secret-key", value: configuration.credentials.secretKey)
        }
        request.headers.add(name: "user-agent", value: configuration.userAgent)
        let temporary = path + ".part-\(getpid())"
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.uploadTimeout))
            guard (200..<300).contains(Int(response.status.code)) else {
                throw context.error(AIOZError.code(forStatus: Int(response.status.code)), status: Int(response.status.code))
            }
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw context.error(.invalidRequest, detail: "cannot write \(temporary)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            for try await chunk in response.body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            try handle.synchronize()
        } catch let error as AIOZError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TransportFailure.classify(error, context: context).error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw context.error(.invalidRequest, detail: "cannot move the download into \(path): \(reason)")
        }
    }
}
