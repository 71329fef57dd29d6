import Foundation
import Hummingbird

/// `/api_keys…` (both documents): more key pairs to the account. A made key's `public_key` and
/// `secret` authenticate requests as the account's own keys do, until it is deleted or its `ttl`
/// (seconds) passes; its secret is answered once, at creation, and kept only as its SHA-256.
struct APIKeyRoutes {
    let env: SandboxEnvironment
    /// A key made without `type` [inferred: the value AIOZ's SDK examples send]. Every key has full access.
    static let defaultType = "full_access"

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/api_keys")
        group.post { request, context in
            let account = try context.requireAccount()
            let body = try await APIKeyBody.decode(request)
            let name = try Self.name(body.apiKeyName)
            var ttlSeconds: Int?
            if let ttl = body.ttl, !ttl.isEmpty {
                guard let seconds = Int(ttl), seconds > 0 else {
                    throw APIError.badRequest("ttl must be a number of seconds greater than 0 (or left out: no expiry).")
                }
                ttlSeconds = seconds
            }
            let type = try Paging.filter(body.type, named: "type") ?? Self.defaultType
            let (key, secret) = try await env.store.createAPIKey(
                account, name: name, ttlSeconds: ttlSeconds, ttl: body.ttl ?? "", type: type)
            let view = APIKeyView(key: key, secret: secret, user: try await user(account))
            return try JSONResponse.data(["api_key": view], status: .created)
        }
        group.get { request, context in
            let account = try context.requireAccount()
            let query = request.formQuery
            let paging = try Paging(
                offset: try query.integer("offset"), limit: try query.integer("limit"), orderBy: query["order_by"],
                defaultAscending: true)
            let sortBy = try Paging.filter(query["sort_by"], named: "sort_by") ?? "created_at"
            guard ["created_at", "name"].contains(sortBy) else {
                throw APIError.badRequest("sort_by must be created_at or name.")
            }
            let search = query["search"].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            let (keys, total) = try await env.store.listAPIKeys(
                account, search: search, byName: sortBy == "name", paging: paging)
            let user = try await user(account)
            let views = keys.map { APIKeyView(key: $0, secret: nil, user: user) }
            return try JSONResponse.data(Page(key: "api_keys", items: views, total: total))
        }
        group.patch(":id") { request, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "API key")
            let body = try await APIKeyBody.decode(request)
            try await env.store.renameAPIKey(account, id, name: try Self.name(body.apiKeyName))
            return JSONResponse.message("Rename API key successfully.")
        }
        group.delete(":id") { _, context in
            let account = try context.requireAccount()
            try await env.store.deleteAPIKey(account, try requireID(context, what: "API key"))
            return JSONResponse.message("Delete API key successfully.")
        }
    }

    static func name(_ name: String?) throws -> String {
        guard let name else { throw APIError.badRequest("api_key_name is required.") }
        guard Limits.titleLength.contains(name.count) else {
            throw APIError.badRequest("api_key_name must be 1 to 255 characters long.")
        }
        return name
    }

    func user(_ account: String) async throws -> UserView {
        UserView(
            id: try env.store.userID(account), balance: Pricing.format(try await env.store.balance(account)),
            debt: Pricing.format(0), createdAt: try env.store.accountCreatedAt(account))
    }
}

/// `CreateApiKeyRequest` and `RenameAPIKeyRequest`, as JSON or `application/x-www-form-urlencoded`.
struct APIKeyBody: Decodable, Sendable {
    var apiKeyName: String?
    var ttl: String?
    var type: String?

    enum CodingKeys: String, CodingKey {
        case ttl, type
        case apiKeyName = "api_key_name"
    }

    static func decode(_ request: Request) async throws -> APIKeyBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return try await RequestDecoding.json(APIKeyBody.self, from: request)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: RequestDecoding.maxJSONBody)
        var body = APIKeyBody()
        for (name, value) in FormPairs.decode(String(decoding: buffer.readableBytesView, as: UTF8.self)) {
            switch name {
            case "api_key_name": body.apiKeyName = body.apiKeyName ?? value
            case "ttl": body.ttl = body.ttl ?? value
            case "type": body.type = body.type ?? value
            default: break
            }
        }
        return body
    }
}

/// The documents' `ApiKey`: every property, `secret` only in the create's answer (null in lists).
struct APIKeyView: Encodable, Sendable {
    let key: StoredAPIKey
    let secret: String?
    let user: UserView

    enum CodingKeys: String, CodingKey {
        case id, name, secret, status, ttl, type, user
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiredAt = "expired_at"
        case lastRequestedAt = "last_requested_at"
        case publicKey = "public_key"
        case truncatedSecret = "truncated_secret"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key.id, forKey: .id)
        try c.encode(key.name, forKey: .name)
        try c.encode(key.publicKey, forKey: .publicKey)
        try c.encode(secret, forKey: .secret)
        try c.encode(key.truncatedSecret, forKey: .truncatedSecret)
        // "active" until the ttl passes [inferred: the documents name no status].
        let expired = key.expiredAt.map { $0 <= Timestamp.now() } ?? false
        try c.encode(expired ? "expired" : "active", forKey: .status)
        try c.encode(key.ttl, forKey: .ttl)
        try c.encode(key.type, forKey: .type)
        try c.encode(Timestamp.format(key.createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(key.updatedAt), forKey: .updatedAt)
        try c.encode(key.expiredAt.map(Timestamp.format), forKey: .expiredAt)
        try c.encode(String?.none, forKey: .lastRequestedAt)
        try c.encode(user, forKey: .user)
    }
}
