import AIOZ
import Foundation
import Manifest
import NIOCore
import Providers
import Sandbox
import SandboxTesting
import Testing

@Suite("Webhooks over loopback")
struct WebhookIntegrationTests {
    @Test("create, list with its filters and paging, get, patch, delete; the provider maps the five flags")
    func crud() async throws {
        try await TestSandbox.with { sandbox in
            let client = sandbox.client
            let made = try await client.createWebhook(
                WebhookRequest(name: "done", url: "https://h.example.com/x?token=t", events: [.encodingFinished]))
            #expect(made.name == "done" && made.events == [.encodingFinished] && made.lastTriggeredAt == nil)
            #expect(!made.description.contains("token=t"))
            _ = try await client.createWebhook(
                WebhookRequest(name: "received", url: "https://h.example.com/r", events: [.fileReceived]))
            _ = try await client.createWebhook(
                WebhookRequest(name: "both", url: "https://h.example.com/b", events: [.fileReceived, .encodingFinished]))
            #expect(try await client.allWebhooks().count == 3)
            let finished = try await client.listWebhooks(WebhookListQuery(eventFilters: [.encodingFinished: true]))
            #expect(Set(finished.webhooks.map(\.name)) == ["done", "both"] && finished.total == 2)
            let notReceived = try await client.listWebhooks(WebhookListQuery(eventFilters: [.fileReceived: false]))
            #expect(notReceived.webhooks.map(\.name) == ["done"])
            let byName = try await client.listWebhooks(WebhookListQuery(sortBy: "name", limit: 2))
            #expect(byName.webhooks.map(\.name) == ["both", "done"] && byName.total == 3)
            #expect(try await client.listWebhooks(WebhookListQuery(search: "RECEIV")).webhooks.map(\.name) == ["received"])
            try await client.updateWebhook(id: made.id, WebhookRequest(events: [.fileReceived, .encodingFailed]))
            let patched = try await client.getWebhook(id: made.id)
            #expect(patched.events == [.fileReceived, .encodingFailed] && patched.name == "done")
            #expect(patched.url == "https://h.example.com/x?token=t")
            let remote = try #require(try await sandbox.provider.webhook(id: made.id))
            #expect(remote.events == [.fileReceived, .encodingFailed])
            #expect(try await sandbox.provider.webhooks(named: "done").map(\.id) == [made.id])
            try await client.deleteWebhook(id: made.id)
            #expect(try await sandbox.provider.webhook(id: made.id) == nil)
            let error = await #expect(throws: AIOZError.self) { try await client.deleteWebhook(id: made.id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test("create and patch accept form bodies; a bad url is 400")
    func formBodies() async throws {
        try await TestSandbox.with { sandbox in
            let form = "name=formed&url=https%3A%2F%2Fh.example.com%2Fy&file_received=true&encoding_failed=false"
            let created = try await sandbox.api.send(
                .POST, "/webhooks", body: ByteBuffer(string: form),
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(created.status == 201, "\(created.json)")
            let id = try #require((created.data["webhook"] as? [String: Any])?["id"] as? String)
            let hook = try await sandbox.client.getWebhook(id: id)
            #expect(hook.name == "formed" && hook.url == "https://h.example.com/y" && hook.events == [.fileReceived])
            let patched = try await sandbox.api.send(
                .PATCH, "/webhooks/\(id)", body: ByteBuffer(string: "partial_finished=true&name=re+named"),
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(patched.status == 200)
            let after = try await sandbox.client.getWebhook(id: id)
            #expect(after.name == "re named" && after.events == [.fileReceived, .partialFinished])
            let bad = try await sandbox.api.send(.POST, "/webhooks", json: #"{"name":"x","url":"not a url"}"#)
            #expect(bad.status == 400)
        }
    }

    @Test("check sends a real test event to the URL; an unreachable URL is a 400 that says so")
    func check() async throws {
        try await WebhookReceiver.with { receiver in
            try await TestSandbox.with { sandbox in
                let hook = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "c", url: receiver.baseURL + "/hook?token=abc", events: [.fileReceived]))
                try await sandbox.provider.checkWebhook(id: hook.id)
                let bodies = await receiver.waitFor(1)
                #expect(bodies.count == 1)
                #expect(bodies.first?["type"] == "test" && bodies.first?["webhook_id"] == hook.id)
                #expect(try await sandbox.client.getWebhook(id: hook.id).lastTriggeredAt != nil)
                let dead = try await sandbox.client.createWebhook(
                    WebhookRequest(name: "d", url: "http://127.0.0.1:9/nothing", events: [.fileReceived]))
                await #expect(throws: AIOZError.self) { try await sandbox.provider.checkWebhook(id: dead.id) }
            }
        }
    }
}
