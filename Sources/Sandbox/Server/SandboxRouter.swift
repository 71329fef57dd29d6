import Hummingbird

/// Wires middleware and routes together.
enum SandboxRouter {
    static func make(
        env: SandboxEnvironment, configuration: SandboxConfiguration, aionvision: AionvisionRoutes? = nil
    ) -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        if let recorder = configuration.recorder { router.add(middleware: RecordingMiddleware(recorder: recorder)) }
        let faults = FaultMiddleware(plan: FaultPlan(configuration: configuration.faults))
        let link = LinkMiddleware(link: configuration.link)
        // Aionvision's routes get the faults and the link but neither AIOZ's error envelope nor its
        // key-pair auth (they have their own): Hummingbird applies the middleware added before a route.
        if let aionvision {
            let group = router.group()
            group.add(middleware: faults)
            group.add(middleware: link)
            aionvision.register(on: group)
        }
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(middleware: faults)
        router.add(middleware: link)
        router.add(
            middleware: AuthMiddleware(store: env.store, rateLimiter: RateLimiter(limit: configuration.rateLimitPerMinute)))
        // Innermost, so the 405 gets the rate-limit headers and the envelope as any answer does.
        let routeMethods = RouteMethods()
        router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))
        // Both generations of the video API, over one store: `/videos` (2025) and `/media` (2026).
        let families = configuration.servesMedia ? ["api/videos", "api/media"] : ["api/videos"]
        for family in families {
            VideoRoutes(env: env).register(on: router, family: family)
            UploadRoutes(env: env).register(on: router, family: family)
            TextTrackRoutes(env: env).register(on: router, family: family)
        }
        // The account page at `/`, the player pages and playlists behind the `assets` links.
        PageRoutes(env: env).register(on: router, families: families)
        AssetFileRoutes(env: env).register(on: router)
        LiveStreamRoutes(env: env, rtmpHost: configuration.host).register(on: router)
        LivePlayerRoutes(env: env).register(on: router)
        AnalyticsRoutes(env: env).register(on: router)
        APIKeyRoutes(env: env).register(on: router)
        MulticastRoutes(env: env).register(on: router)
        PlaylistRoutes(env: env).register(on: router)
        UserRoutes(env: env).register(on: router)
        if let webhooks = env.webhooks { WebhookRoutes(env: env, dispatcher: webhooks).register(on: router) }
        PlayerRoutes(env: env).register(on: router)
        AdminRoutes(env: env).register(on: router)
        routeMethods.load(router.routes.map { (path: $0.path, method: $0.method.rawValue) })
        return router
    }
}
