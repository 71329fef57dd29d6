import Hummingbird
import Synchronization

/// Answers 405 with an `Allow` header, not 404, to a method a served path does not take (RFC 9110
/// §15.5.6; found by the schemathesis run, scripts/contract-fuzz.py). The routes are known only
/// once they are all registered, after the middleware is added: `RouteMethods.load` fills them in.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw APIError(
                status: .methodNotAllowed,
                message: "Method not allowed: \(request.uri.path) takes \(allowed.joined(separator: ", ")).",
                extraHeaders: [.allow: allowed.joined(separator: ", ")])
        }
    }
}

/// The methods of each registered route, matched element by element as the router matches them.
final class RouteMethods: Sendable {
    private let table = Mutex<[(path: RouterPath, method: String)]>([])

    func load(_ routes: [(path: RouterPath, method: String)]) {
        table.withLock { $0 = routes }
    }

    /// The methods of the routes the router would pick for `path`: where a literal segment and a
    /// capture both match (`/media/create`, `/media/:id`), the router takes the literal, so only the
    /// most specific matches count.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let routes = table.withLock { $0 }
        var best: [Int] = []
        var found: Set<String> = []
        for route in routes {
            guard let rank = Self.rank(route.path, segments) else { continue }
            if rank.lexicographicallyPrecedes(best) { continue }
            if rank != best { (best, found) = (rank, []) }
            found.insert(route.method)
        }
        return found.sorted()
    }

    /// Per segment, 1 for a literal match and 0 for any other (capture, wildcard); nil for no match.
    private static func rank(_ pattern: RouterPath, _ segments: [Substring]) -> [Int]? {
        guard pattern.components.count == segments.count else { return nil }
        var rank: [Int] = []
        for (element, segment) in zip(pattern.components, segments) {
            guard element ~= segment else { return nil }
            rank.append(element.description == segment ? 1 : 0)
        }
        return rank
    }
}
