import Foundation
import Manifest
import Providers
import TestSupport
import Testing
import YAMLNodes

@testable import Planning

private let here = SourceLocation(file: "m.yaml", line: 1, column: 1)
private let secretURL = "https://hooks.example.com/aioz?token=tok-1234&x=1"

private func hook(
    _ name: String = "encoded", display: String = "Encoding done", url: String = secretURL,
    events: [WebhookEvent] = [.encodingFinished, .encodingFailed]
) -> WebhookSpec {
    WebhookSpec(name: name, displayName: display, url: url, events: events, location: here)
}

private func observed(
    name: String = "Encoding done", url: String = secretURL, events: [WebhookEvent] = [.encodingFinished, .encodingFailed],
    registry: [String: String] = ["webhook.encoded": "w1"]
) -> Observation {
    var observation = Observation(registry: RegistryEntries(registry))
    observation.webhooks["w1"] = RemoteWebhook(id: "w1", name: name, url: url, events: events)
    return observation
}

private func plan(_ hooks: [WebhookSpec], _ observed: Observation) -> Plan {
    var manifest = Manifest(project: "demo")
    manifest.webhooks = hooks
    return Planner.plan(DesiredState(manifest, videos: []), observed)
}

/// Every rendering of a plan, to search for secrets.
private func renderings(_ plan: Plan) throws -> String {
    PlanTextRenderer().render(plan) + PlanMarkdownRenderer().render(plan) + (try PlanJSON.render(plan))
}

@Suite("webhook planner")
struct WebhookPlannerTests {
    @Test("an unregistered webhook is created, its URL masked; an unmanaged one of the same name is not read")
    func create() throws {
        var observation = Observation()
        observation.webhooks["other"] = RemoteWebhook(id: "other", name: "Encoding done", url: secretURL, events: [.fileReceived])
        let result = plan([hook()], observation)
        #expect(result.changes.map(\.action) == [.create])
        let change = try #require(result.changes.first)
        #expect(change.address == "webhook.encoded")
        #expect(
            change.attributes.map(\.after) == [
                "Encoding done", "https://hooks.example.com/aioz?token=***&x=***", "encoding_finished, encoding_failed",
            ])
        #expect(change.desired?.webhook?.url == secretURL)
        #expect(change.fingerprint?.exists == false)
        #expect(!(try renderings(result)).contains("tok-1234"))
    }

    @Test("matching webhook: no changes")
    func unchanged() {
        let result = plan([hook()], observed())
        #expect(result.changes.isEmpty)
        #expect(result.unchanged == ["webhook.encoded"])
    }

    @Test("changed events and name: one update with those fields, shown field by field")
    func update() throws {
        let result = plan([hook(display: "Done", events: [.fileReceived, .encodingFinished])], observed())
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.action == .update)
        #expect(change.remoteID == "w1")
        #expect(change.fields == [.name, .events])
        #expect(change.attributes.map(\.name) == ["name", "events"])
        #expect(change.attributes[1].before == "encoding_finished, encoding_failed")
        #expect(change.attributes[1].after == "file_received, encoding_finished")
        #expect(change.fingerprint?.fields["events"] == "encoding_finished, encoding_failed")
    }

    @Test("a changed token is a change that reveals neither value")
    func credentialsChanged() throws {
        let result = plan([hook(url: "https://hooks.example.com/aioz?token=new-9876&x=1")], observed())
        let change = try #require(result.changes.first)
        #expect(change.fields == [.url])
        #expect(change.attributes.first?.after == "https://hooks.example.com/aioz?token=***&x=*** (credentials changed)")
        let text = try renderings(result)
        #expect(text.contains("credentials changed"))
        #expect(!text.contains("tok-1234") && !text.contains("new-9876"), "\(text)")
        #expect(change.fingerprint?.fields["url_sha256"] == DesiredWebhook.urlHash(secretURL))
        let fingerprinted = change.fingerprint?.fields.values.joined() ?? ""
        #expect(!fingerprinted.contains("tok-1234"))
    }

    @Test("a registered webhook no longer in the manifests is deleted; an unregistered one never")
    func delete() throws {
        var observation = observed()
        observation.webhooks["hand"] = RemoteWebhook(id: "hand", name: "hand-made", url: secretURL, events: [.fileReceived])
        let result = plan([], observation)
        #expect(result.changes.map(\.action) == [.delete])
        #expect(result.changes.first?.remoteID == "w1")
        #expect(result.changes.first?.isDestructive == true)
        #expect(!(try renderings(result)).contains("tok-1234"))
    }

    @Test("a registered id that is gone, or a pending create, is created again with the reason")
    func lost() {
        let gone = plan([hook()], Observation(registry: RegistryEntries(["webhook.encoded": "w9"])))
        #expect(gone.changes.map(\.action) == [.create])
        #expect(gone.changes.first?.reasons.first?.contains("w9 no longer exists") == true)
        let pending = plan([hook()], Observation(registry: RegistryEntries(["webhook.encoded": "pending:1800000000"])))
        #expect(pending.changes.first?.reasons == ["an earlier apply started creating it but never recorded the webhook"])
        #expect(pending.changes.first?.fingerprint?.fields["registry_entry"] == "pending:1800000000")
    }

    @Test("a saved plan keeps the URL as written and its hash, never an expanded secret")
    func saved() throws {
        // The variable as this task sees it (setenv would race with other tests reading the environment).
        try WebhookURL.$environmentOverride.withValue(["STREAMPLAN_TEST_HOOK_TOKEN": "tok-1234"]) { try savedPlanKeepsWritten() }
    }

    func savedPlanKeepsWritten() throws {
        var spec = hook()
        spec.writtenURL = "https://hooks.example.com/aioz?token=${STREAMPLAN_TEST_HOOK_TOKEN}&x=1"
        let result = plan([spec], Observation())
        let saved = SavedPlan(plan: result, partial: nil, manifestsDigest: "d", directory: "/tmp")
        let data = try saved.encoded()
        #expect(!String(decoding: data, as: UTF8.self).contains("tok-1234"))
        let back = try JSONDecoder().decode(SavedPlan.self, from: data)
        let resolved = try back.resolvedPlan(directory: "/tmp")
        #expect(resolved.changes.first?.desired?.webhook?.url == secretURL)
        #expect(resolved.changes.first?.desired?.webhook?.stale == nil)
        // A variable that changed, or is unset, makes the plan stale (apply FILE exits 3), not damaged.
        try WebhookURL.$environmentOverride.withValue(["STREAMPLAN_TEST_HOOK_TOKEN": "other"]) {
            let changed = try JSONDecoder().decode(SavedPlan.self, from: data).resolvedPlan(directory: "/tmp")
            #expect(changed.changes.first?.desired?.webhook?.stale?.contains("an environment variable changed") == true)
        }
        try WebhookURL.$environmentOverride.withValue([:]) {
            let unset = try JSONDecoder().decode(SavedPlan.self, from: data).resolvedPlan(directory: "/tmp")
            #expect(unset.changes.first?.desired?.webhook?.stale?.contains("is not set") == true)
        }
    }

    @Test("a plan of webhooks validates against schemas/plan.schema.json")
    func planSchema() throws {
        var observation = observed(registry: ["webhook.encoded": "w1", "webhook.gone": "w2"])
        observation.webhooks["w2"] = RemoteWebhook(id: "w2", name: "gone", url: secretURL, events: [.fileReceived])
        let result = plan([hook(events: [.fileReceived]), hook("fresh")], observation)
        #expect(result.changes.map(\.action) == [.update, .create, .delete])
        let (status, output) = try ToolRun.checkPlanSchema(json: try PlanJSON.render(result))
        #expect(status == 0, "\(output)")
    }
}
