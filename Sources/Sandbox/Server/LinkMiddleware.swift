import Foundation
import Hummingbird
import NIOCore

/// Emulates a wide-area link for `/api` requests: a latency once per request and a bandwidth cap
/// applied to the request body as it is read and to the response body as it is written. Each HTTP/1.1
/// request has its connection to itself while it runs, so a per-request cap is a per-connection cap:
/// parallel parts each get the full bandwidth, as separate TCP connections on a real network do.
struct LinkMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let link: LinkConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard link.isEnabled, FaultMiddleware.route(request.uri.path) != nil else { return try await next(request, context) }
        if link.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(link.latencyMilliseconds)) }
        guard let rate = link.bytesPerSecond else { return try await next(request, context) }
        var request = request
        request.body = RequestBody(asyncSequence: ThrottledBody(base: request.body, bytesPerSecond: rate))
        var response = try await next(request, context)
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(ThrottledWriter(base: writer, pace: Pace(bytesPerSecond: rate)))
        }
        return response
    }
}

/// Paces bytes to a rate: after each chunk, sleeps until the chunk's share of time has passed.
struct Pace: Sendable {
    let bytesPerSecond: Double
    let start = ContinuousClock.now
    var sent: Double = 0

    mutating func wait(after bytes: Int) async throws {
        sent += Double(bytes)
        let due = start + .milliseconds(Int64(sent / bytesPerSecond * 1000))
        if due > .now { try await Task.sleep(until: due, clock: .continuous) }
    }
}

/// A request body read no faster than the link allows.
struct ThrottledBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let bytesPerSecond: Double

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var pace: Pace

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            try await pace.wait(after: chunk.readableBytes)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), pace: Pace(bytesPerSecond: bytesPerSecond))
    }
}

/// A response body written no faster than the link allows.
struct ThrottledWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    var pace: Pace

    mutating func write(_ buffer: ByteBuffer) async throws {
        try await base.write(buffer)
        try await pace.wait(after: buffer.readableBytes)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
