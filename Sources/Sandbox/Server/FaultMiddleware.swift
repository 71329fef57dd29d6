import Hummingbird
import NIOCore

/// Injects the configured faults into `/api` requests, decided by `FaultPlan`.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let plan: FaultPlan

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let path = request.uri.path
        guard let route = Self.route(path), let kind = await plan.draw(method: request.method.rawValue, path: route)
        else { return try await next(request, context) }
        let configuration = plan.configuration
        switch kind {
        case .internalError: return JSONResponse.error(.internalServerError, "Injected fault: internal server error.")
        case .badGateway: return JSONResponse.error(.badGateway, "Injected fault: bad gateway.")
        case .unavailable: return JSONResponse.error(.serviceUnavailable, "Injected fault: service unavailable.")
        case .tooManyRequests:
            var response = JSONResponse.error(.tooManyRequests, "Injected fault: too many requests.")
            response.headers[.retryAfter] = String(configuration.retryAfterSeconds)
            response.headers[.rateLimitRetryAfter] = String(configuration.retryAfterSeconds)
            return response
        case .latency:
            try await Task.sleep(for: .milliseconds(configuration.latencyMilliseconds))
            return try await next(request, context)
        case .dropConnection:
            // Read at most one chunk so the client is mid-body, then close the connection under it.
            var iterator = request.body.makeAsyncIterator()
            _ = try? await iterator.next()
            try? await context.channel.close()
            throw DroppedConnection()
        }
    }
}

extension FaultMiddleware {
    /// The path faults are drawn for: AIOZ's without `/api` (`/videos/…`), Aionvision's whole
    /// (`/aionvision/api/v2/…`, `/aionvision-s3/…`); nil for paths faults never touch.
    static func route(_ path: String) -> String? {
        if path.hasPrefix("/api/") { return String(path.dropFirst(4)) }
        if path.hasPrefix("/aionvision/") || path.hasPrefix("/aionvision-s3/") { return path }
        return nil
    }
}

/// Decides which requests fail. The n-th request to a route (ids replaced by `:id`) always gets the same
/// verdict for a given seed, so a run is reproducible even when requests interleave.
actor FaultPlan {
    nonisolated let configuration: FaultConfiguration
    private var counters: [String: UInt64] = [:]

    init(configuration: FaultConfiguration) { self.configuration = configuration }

    func draw(method: String, path: String) -> FaultConfiguration.Kind? {
        guard configuration.isEnabled else { return nil }
        let route = Self.route(path)
        guard
            configuration.pathPrefixes.isEmpty || configuration.pathPrefixes.contains(where: { Self.matches($0, method, route) })
        else { return nil }
        let key = "\(method) \(route)"
        let count = counters[key, default: 0]
        counters[key] = count + 1
        var state = configuration.seed ^ Self.fnv1a(key) ^ (count &* 0x9E37_79B9_7F4A_7C15)
        let roll = Double(SplitMix64.next(&state) >> 11) / Double(1 << 53)
        guard roll < configuration.rate else { return nil }
        let choice = Int(SplitMix64.next(&state) % UInt64(configuration.kinds.count))
        return configuration.kinds[choice]
    }

    /// A prefix `/videos` matches every method; `POST /live_streams/:id/streamings` only that method
    /// (ids written as `:id`, as routes are).
    static func matches(_ prefix: String, _ method: String, _ route: String) -> Bool {
        let parts = prefix.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return route.hasPrefix(prefix) }
        return parts[0].uppercased() == method.uppercased() && route.hasPrefix(Self.route(parts[1]))
    }

    /// `/videos/0b8e…/part` → `/videos/:id/part`; the 2026 family `/media/…` counts as `/videos/…` (the
    /// same resources), so fault prefixes name resources whichever generation a client speaks.
    static func route(_ path: String) -> String {
        let path = path.hasPrefix("/media") ? "/videos" + path.dropFirst("/media".count) : path
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.count == 36 && $0.filter({ $0 == "-" }).count == 4 ? ":id" : String($0) }
            .joined(separator: "/")
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

/// A tiny, well-known PRNG step; enough for reproducible fault draws.
enum SplitMix64 {
    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
