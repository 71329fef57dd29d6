import Foundation
import Hummingbird

/// `/live_streams/multicast/{stream_key}` (the 2026 document): a key's restream destinations,
/// addressed by the key's secret `stream_key` (not its id). GET returns the key's
/// `LiveStreamMulticast` (`id`, `live_stream_key_id`, `live_stream_multicast_urls`, `user_id`), POST
/// adds `multicast_urls`, DELETE removes them all (it takes no body). Served at the same path for
/// both API generations, as the other live routes are.
struct MulticastRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/live_streams/multicast")
        group.get(":stream_key") { _, context in
            let account = try context.requireAccount()
            let found = try await env.store.multicast(account, streamKey: try streamKey(context))
            return try JSONResponse.data(try await view(found, account))
        }
        group.post(":stream_key") { request, context in
            let account = try context.requireAccount()
            let key = try streamKey(context)
            let body = try await RequestDecoding.json(MulticastBody.self, from: request)
            guard let urls = body.multicastURLs, !urls.isEmpty else {
                throw APIError.badRequest("multicast_urls is required and must not be empty.")
            }
            for url in urls { try Self.validate(url) }
            let saved = try await env.store.addMulticast(account, streamKey: key, urls: urls)
            return try JSONResponse.data(try await view(saved, account))
        }
        group.delete(":stream_key") { _, context in
            try await env.store.deleteMulticast(try context.requireAccount(), streamKey: try streamKey(context))
            return JSONResponse.message("Delete live stream multicast successfully.")
        }
    }

    /// The path's stream key; never echoed in an error (it is a secret).
    func streamKey(_ context: SandboxContext) throws -> String {
        let raw = try context.parameters.require("stream_key")
        guard !raw.isEmpty, raw.count <= 128 else { throw APIError.badRequest("The stream key is not valid.") }
        return raw
    }

    func view(_ multicast: StoredMulticast, _ account: String) async throws -> MulticastView {
        MulticastView(multicast: multicast, userID: try env.store.userID(account))
    }

    /// An absolute rtmp:// or rtmps:// URL with a host [inferred: the document gives only strings].
    /// The URL itself is never echoed: it carries the destination's stream key.
    static func validate(_ url: String) throws {
        guard url.utf8.count <= Limits.multicastURLLength else {
            throw APIError.badRequest("A multicast URL may have at most \(Limits.multicastURLLength) bytes.")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["rtmp", "rtmps"].contains(scheme), let host = components.host, !host.isEmpty
        else { throw APIError.badRequest("Each multicast URL must be an rtmp:// or rtmps:// URL with a host.") }
    }
}

struct MulticastBody: Decodable, Sendable {
    var multicastURLs: [String]?

    enum CodingKeys: String, CodingKey {
        case multicastURLs = "multicast_urls"
    }
}

/// The 2026 document's `LiveStreamMulticast`.
struct MulticastView: Encodable, Sendable {
    let multicast: StoredMulticast
    let userID: String

    enum CodingKeys: String, CodingKey {
        case id
        case keyID = "live_stream_key_id"
        case urls = "live_stream_multicast_urls"
        case userID = "user_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(multicast.id, forKey: .id)
        try c.encode(multicast.keyID, forKey: .keyID)
        try c.encode(multicast.urls, forKey: .urls)
        try c.encode(userID, forKey: .userID)
    }
}
