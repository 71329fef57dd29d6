import Foundation
import Hummingbird

/// `/webhooks…`: create (JSON or form body), list with its filters, get, patch, delete, and
/// `/webhooks/check/{id}`, which really sends a test event to the webhook's URL.
struct WebhookRoutes {
    let env: SandboxEnvironment
    let dispatcher: WebhookDispatcher

    func register(on router: Router<SandboxContext>) {
        let group = router.group("api/webhooks")
        group.post { request, context in
            let account = try context.requireAccount()
            let body = try await WebhookBody.decode(request)
            try Self.validateName(body.name)
            guard let url = body.url else { throw APIError.badRequest("url is required.") }
            try Self.validateURL(url)
            let hook = try await env.store.createWebhook(account, name: body.name ?? "", url: url, events: body.events)
            return try JSONResponse.data(WebhookData(webhook: try await view(hook, account)), status: .created)
        }
        group.get { request, context in try await list(request, context) }
        group.get(":id") { _, context in
            let account = try context.requireAccount()
            let hook = try await env.store.webhook(account, try webhookID(context))
            return try JSONResponse.data(WebhookData(webhook: try await view(hook, account)))
        }
        group.patch(":id") { request, context in
            let account = try context.requireAccount()
            let id = try webhookID(context)
            let body = try await WebhookBody.decode(request)
            try Self.validateName(body.name)
            if let url = body.url { try Self.validateURL(url) }
            _ = try await env.store.updateWebhook(account, id, name: body.name, url: body.url, events: body.events)
            return JSONResponse.message("Update webhook successfully.")
        }
        group.delete(":id") { _, context in
            try await env.store.deleteWebhook(try context.requireAccount(), try webhookID(context))
            return JSONResponse.message("Delete webhook successfully.")
        }
        group.post("check/:id") { _, context in
            let account = try context.requireAccount()
            let hook = try await env.store.webhook(account, try webhookID(context))
            switch await dispatcher.check(account: account, hook) {
            case .success(let status) where (200..<300).contains(status):
                return JSONResponse.message("Check webhook successfully: the URL answered \(status).")
            case .success(let status):
                throw APIError.badRequest("The webhook's URL answered \(status) to the test event.")
            case .failure(let error):
                throw APIError.badRequest("The webhook's URL could not be reached: \(error).")
            }
        }
    }

    func webhookID(_ context: SandboxContext) throws -> String { try requireID(context, what: "webhook") }

    func view(_ hook: StoredWebhook, _ account: String) async throws -> WebhookView {
        WebhookView(hook: hook, userID: try env.store.userID(account))
    }

    static func validateName(_ name: String?) throws {
        guard let name else { return }
        guard name.count <= 255 else { throw APIError.badRequest("name must be at most 255 characters long.") }
    }

    /// An absolute http(s) URL with a host [inferred: AIOZ's rules are not documented].
    static func validateURL(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else { throw APIError.badRequest("url must be an absolute http or https URL.") }
    }

    /// `GET /webhooks?search&sort_by=created_at|name&order_by&offset&limit&file_received&encoding_started&encoding_finished`.
    func list(_ request: Request, _ context: SandboxContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.formQuery
        let paging = try Paging(
            offset: try query.integer("offset"), limit: try query.integer("limit"), orderBy: query["order_by"],
            defaultAscending: true)
        let sortBy = try Paging.filter(query["sort_by"], named: "sort_by") ?? "created_at"
        guard ["created_at", "name"].contains(sortBy) else { throw APIError.badRequest("sort_by must be created_at or name.") }
        var filter = WebhookFilter()
        filter.search = query["search"].map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        filter.byName = sortBy == "name"
        // The documented filters; the other two flags are accepted the same way.
        for event in StoredWebhook.eventNames {
            guard let text = query[event] else { continue }
            guard let value = Bool(text) else { throw APIError.badRequest("\(event) must be true or false.") }
            filter.events[event] = value
        }
        let (hooks, total) = try await env.store.listWebhooks(account, filter, paging: paging)
        var views: [WebhookView] = []
        for hook in hooks { views.append(try await view(hook, account)) }
        return try JSONResponse.data(Page(key: "webhooks", items: views, total: total))
    }
}

/// `{webhook: {...}}`, the `data` of create and get.
struct WebhookData: Encodable, Sendable {
    let webhook: WebhookView
}

/// The Webhook object as the API returns it.
struct WebhookView: Encodable, Sendable {
    let hook: StoredWebhook
    let userID: String

    enum CodingKeys: String, CodingKey {
        case id, name, url
        case userID = "user_id"
        case fileReceived = "file_received"
        case encodingStarted = "encoding_started"
        case encodingFinished = "encoding_finished"
        case encodingFailed = "encoding_failed"
        case partialFinished = "partial_finished"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastTriggeredAt = "last_triggered_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hook.id, forKey: .id)
        try c.encode(userID, forKey: .userID)
        try c.encode(hook.name, forKey: .name)
        try c.encode(hook.url, forKey: .url)
        try c.encode(hook.fileReceived, forKey: .fileReceived)
        try c.encode(hook.encodingStarted, forKey: .encodingStarted)
        try c.encode(hook.encodingFinished, forKey: .encodingFinished)
        try c.encode(hook.encodingFailed, forKey: .encodingFailed)
        try c.encode(hook.partialFinished, forKey: .partialFinished)
        try c.encode(Timestamp.format(hook.createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(hook.updatedAt), forKey: .updatedAt)
        // Never triggered: null, as Go encodes a nil time pointer.
        try c.encode(hook.lastTriggeredAt.map(Timestamp.format), forKey: .lastTriggeredAt)
    }
}

/// The body of create and patch: JSON or `application/x-www-form-urlencoded`.
struct WebhookBody: Sendable {
    var name: String?
    var url: String?
    var events: [String: Bool] = [:]

    static func decode(_ request: Request) async throws -> WebhookBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            var request = request
            let buffer = try await request.collectBody(upTo: RequestDecoding.maxJSONBody)
            return try form(String(decoding: buffer.readableBytesView, as: UTF8.self))
        }
        let json = try await RequestDecoding.json(JSONBody.self, from: request)
        var body = WebhookBody(name: json.name, url: json.url)
        for (event, value) in json.flags { body.events[event] = value }
        return body
    }

    static func form(_ text: String) throws -> WebhookBody {
        var body = WebhookBody()
        for (name, value) in FormPairs.decode(text) {
            switch name {
            case "name": body.name = value
            case "url": body.url = value
            case let event where StoredWebhook.eventNames.contains(event):
                guard let flag = Bool(value.lowercased()) else { throw APIError.badRequest("\(event) must be true or false.") }
                body.events[event] = flag
            default: continue
            }
        }
        return body
    }

    struct JSONBody: Decodable {
        var name: String?
        var url: String?
        var flags: [(String, Bool)] = []

        enum CodingKeys: String, CodingKey {
            case name, url
            case fileReceived = "file_received"
            case encodingStarted = "encoding_started"
            case encodingFinished = "encoding_finished"
            case encodingFailed = "encoding_failed"
            case partialFinished = "partial_finished"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            url = try c.decodeIfPresent(String.self, forKey: .url)
            for key in [CodingKeys.fileReceived, .encodingStarted, .encodingFinished, .encodingFailed, .partialFinished] {
                if let value = try c.decodeIfPresent(Bool.self, forKey: key) { flags.append((key.stringValue, value)) }
            }
        }
    }
}
