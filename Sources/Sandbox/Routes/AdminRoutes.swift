import Foundation
import Hummingbird

/// `/_sandbox/…`: controls the real API lacks, for tests. Same keys as the API.
struct AdminRoutes {
    let env: SandboxEnvironment

    func register(on router: Router<SandboxContext>) {
        let group = router.group("_sandbox")
        group.post("live_streams/:id/broadcasting") { request, context in
            let account = try context.requireAccount()
            let keyID = try requireID(context, what: "live stream key")
            let body = try await RequestDecoding.json(BroadcastingBody.self, from: request)
            _ = try await env.store.setBroadcasting(account, keyID: keyID, body.broadcasting)
            return try JSONResponse.data(BroadcastingBody(broadcasting: body.broadcasting))
        }
        group.post("videos/:id/fail") { _, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "video")
            let before = try env.store.video(account, id)
            try await env.store.failVideo(account, id)
            // A complete upload that was transcoding: its webhooks hear `encoding_failed`.
            if before.completedAt != nil, !before.failed { env.webhooks?.videoFailed(account: account, videoID: id) }
            return JSONResponse.message("The video will end in fail.")
        }
        // Every webhook delivery the sandbox tried (its own log; the API has none).
        group.get("webhook_deliveries") { _, context in
            _ = try context.requireAccount()
            let deliveries: [WebhookDispatcher.Delivery] = await env.webhooks?.deliveries ?? []
            return try JSONResponse.data(deliveries)
        }
        // A key's thumbnail as uploaded (the API has no URL for it): for tests.
        group.get("live_streams/:id/thumbnail") { _, context in
            let account = try context.requireAccount()
            let id = try requireID(context, what: "live stream key")
            _ = try await env.store.key(account, id)
            let path = env.files.thumbnailPath(liveStreamKey: id)
            guard FileManager.default.fileExists(atPath: path) else {
                throw APIError.notFound("This live stream key has no thumbnail.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: try await FileIO().loadFile(path: path, context: context))
        }
        group.get("balance") { _, context in
            try JSONResponse.data(BalanceBody(balance: try await env.store.balance(try context.requireAccount())))
        }
        group.post("balance") { request, context in
            let account = try context.requireAccount()
            let body = try await RequestDecoding.json(BalanceBody.self, from: request)
            try await env.store.setBalance(account, body.balance)
            return try JSONResponse.data(body)
        }
    }
}
