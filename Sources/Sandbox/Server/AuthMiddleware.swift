import Foundation
import Hummingbird

/// Accepts `stream-public-key` + `stream-secret-key` headers or `Authorization: Basic base64(public:secret)`.
/// The account page (`/`) takes the same keys; without them it answers a 401 that makes a browser ask.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let store: SandboxStore
    let rateLimiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        if Self.isPublicAsset(request) { return try await next(request, context) }
        guard let keys = Self.credentials(request.headers),
            let account = store.authenticate(publicKey: keys.publicKey, secretKey: keys.secretKey)
        else {
            if Self.isPage(request) { return try PageRoutes.unauthorized() }
            throw APIError.unauthorized
        }
        let quota = await rateLimiter.take(account)
        var headers: HTTPFields = [:]
        headers[.rateLimitLimit] = String(quota.limit)
        headers[.rateLimitRemaining] = String(quota.remaining)
        headers[.rateLimitRetryAfter] = String(quota.resetSeconds)
        var response: Response
        if quota.allowed {
            var context = context
            context.account = account
            do {
                response = try await next(request, context)
            } catch {
                response = ErrorEnvelopeMiddleware.response(for: error)
            }
        } else {
            response = JSONResponse.error(.tooManyRequests, "Too many requests; retry after \(quota.resetSeconds) seconds.")
            response.headers[.retryAfter] = String(quota.resetSeconds)
        }
        response.headers.append(contentsOf: headers)
        return response
    }

    /// Asset URLs (source bytes, thumbnail, playlists), player pages, the `player.json` of a video or
    /// playlist and a live stream's player info are fetched without keys, as players do.
    static func isPublicAsset(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let path = request.uri.path
        if path.hasPrefix("/api/_sandbox/embed/") { return true }
        if path.hasPrefix("/api/_sandbox/live/"), path.hasSuffix("/thumbnail") { return true }
        if path.hasPrefix("/api/live_streams/player/"), path.hasSuffix("/media") { return true }
        if path.hasPrefix("/api/playlists/"), path.hasSuffix("/thumbnail") || path.hasSuffix("/player.json") { return true }
        if path.hasPrefix("/api/players/"), path.split(separator: "/").last?.hasPrefix("logo.") == true { return true }
        if path.hasPrefix("/api/videos/") || path.hasPrefix("/api/media/"), path.hasSuffix("/player.json") { return true }
        guard path.hasPrefix("/api/videos/") else { return false }
        if path.hasSuffix(".vtt"), path.contains("/captions/") || path.contains("/chapters/") { return true }
        return ["/source", "/thumbnail", "/mp4", "/m3u8", "/manifest"].contains { path.hasSuffix($0) }
    }

    /// The account page, which a browser opens: a 401 there asks for the keys instead of answering JSON.
    static func isPage(_ request: Request) -> Bool {
        request.uri.path == "/"
    }

    static func credentials(_ headers: HTTPFields) -> SandboxAccount? {
        if let publicKey = headers[.streamPublicKey],
            let secretKey = headers[.streamSecretKey]
        {
            return SandboxAccount(publicKey: publicKey, secretKey: secretKey)
        }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1])),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        return SandboxAccount(parsing: text)
    }
}

/// A fixed one-minute window per account, reported in the `X-RateLimit-*` headers.
actor RateLimiter {
    struct Quota {
        let allowed: Bool
        let limit: Int
        let remaining: Int
        let resetSeconds: Int
    }
    let limit: Int
    private var windows: [String: (start: Double, used: Int)] = [:]

    init(limit: Int) { self.limit = limit }

    func take(_ account: String) -> Quota {
        let now = Timestamp.now()
        var window = windows[account] ?? (now, 0)
        if now - window.start >= 60 { window = (now, 0) }
        let allowed = window.used < limit
        if allowed { window.used += 1 }
        windows[account] = window
        let reset = max(1, Int((60 - (now - window.start)).rounded(.up)))
        return Quota(allowed: allowed, limit: limit, remaining: max(0, limit - window.used), resetSeconds: reset)
    }
}
