import Hummingbird

/// Wires middleware and routes together.
enum SandboxRouter {
    static func make(env: SandboxEnvironment, configuration: SandboxConfiguration) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(middleware: FaultMiddleware(plan: FaultPlan(configuration: configuration.faults)))
        router.add(middleware: LinkMiddleware(link: configuration.link))
        router.add(
            middleware: AuthMiddleware(store: env.store, rateLimiter: RateLimiter(limit: configuration.rateLimitPerMinute)))
        VideoRoutes(env: env).register(on: router)
        UploadRoutes(env: env).register(on: router)
        LiveStreamRoutes(env: env, rtmpHost: configuration.host).register(on: router)
        AdminRoutes(env: env).register(on: router)
        return router
    }
}
