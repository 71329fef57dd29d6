import Hummingbird

/// `GET /user/me` (2026 spec, `GetMeResponse`): the account behind the keys, with its balance.
/// Served whatever the video API's generation: the 2025 spec has no user endpoint, and a client
/// that asks the sandbox for a balance should get one either way.
struct UserRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>) {
        router.get("api/user/me") { _, context in
            let account = try context.requireAccount()
            let balance = try await env.store.balance(account)
            let user = UserView(
                id: try env.store.userID(account), balance: Pricing.format(balance), debt: Pricing.format(0),
                createdAt: try env.store.accountCreatedAt(account))
            return try JSONResponse.data(MeView(user: user))
        }
    }
}

/// `data` of `GetMeResponse`.
struct MeView: Encodable, Sendable {
    let user: UserView
}

/// The spec's `User`: every field it lists is sent (the contract check requires them), strings as
/// there, `balance` and `debt` included (in the unit of `price`). `created_at` and `updated_at` are
/// when the sandbox first served the account (nothing updates an account), in the format of every
/// other timestamp; `deleted_at` is `null`. What a sandbox account does not have otherwise is an
/// obvious placeholder (name, e-mail at `sandbox.invalid`).
struct UserView: Encodable, Sendable {
    let id: String
    let balance: String
    let debt: String
    let createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, balance, debt, email
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
        case firstName = "first_name"
        case lastName = "last_name"
        case exclusiveCode = "exclusive_code"
        case lastRequestedAt = "last_requested_at"
        case mediaQualitiesConfig = "media_qualities_config"
        case walletAddress = "wallet_address"
        case walletConnection = "wallet_connection"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(balance, forKey: .balance)
        try c.encode(debt, forKey: .debt)
        try c.encode("\(id)@sandbox.invalid", forKey: .email)
        try c.encode("Sandbox", forKey: .firstName)
        try c.encode("Account", forKey: .lastName)
        try c.encode(Timestamp.format(createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(createdAt), forKey: .updatedAt)
        try c.encodeNil(forKey: .deletedAt)
        try c.encode("", forKey: .exclusiveCode)
        try c.encode(Timestamp.format(Timestamp.now()), forKey: .lastRequestedAt)
        try c.encode("", forKey: .mediaQualitiesConfig)
        try c.encode("", forKey: .walletAddress)
        try c.encode("", forKey: .walletConnection)
    }
}
