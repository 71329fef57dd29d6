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
                id: try await env.store.userID(account), balance: Pricing.format(balance), debt: Pricing.format(0))
            return try JSONResponse.data(MeView(user: user))
        }
    }
}

/// `data` of `GetMeResponse`.
struct MeView: Encodable, Sendable {
    let user: UserView
}

/// The spec's `User`, as far as the sandbox knows it: every field it has is a string there,
/// `balance` and `debt` included (in the unit of `price`).
struct UserView: Encodable, Sendable {
    let id: String
    let balance: String
    let debt: String
}
