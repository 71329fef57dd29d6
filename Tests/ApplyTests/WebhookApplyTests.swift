import Apply
import Foundation
import Manifest
import Planning
import ProviderTesting
import Providers
import SandboxTesting
import Testing

/// The webhook kind against the in-memory provider: create, update, delete, lost answers, saved plans.
private struct Hooks {
    let provider = InMemoryProvider()
    let workspace: TestWorkspace

    static func with(_ body: (Hooks) async throws -> Void) async throws {
        try await TestWorkspace.with { workspace in try await body(Hooks(workspace: workspace)) }
    }

    func applier(allowDelete: Bool = false) -> Applier {
        var options = ApplyOptions(stateDirectory: workspace.stateDirectory)
        options.allowDelete = allowDelete
        return Applier(provider: provider, project: workspace.project, options: options)
    }

    func plan() async throws -> Plan { try await applier().plan(try workspace.load()) }

    @discardableResult
    func apply(allowDelete: Bool = false) async throws -> [ApplyOutcome] {
        let applier = applier(allowDelete: allowDelete)
        return try await applier.apply(try await applier.plan(try workspace.load()))
    }

    func registry() async throws -> RegistryEntries {
        await (try Registry.load(project: workspace.project, provider: provider)).entries
    }
}

private func yaml(events: String = "[encoding_finished, encoding_failed]", url: String = "https://h.example.com/x?token=t1")
    -> String
{
    """
    webhooks:
      encoded:
        name: Encoding done
        url: "\(url)"
        events: \(events)

    """
}

@Suite("webhooks applied")
struct WebhookApplyTests {
    @Test("create records the id in the registry; the next plan has no changes")
    func create() async throws {
        try await Hooks.with { hooks in
            try hooks.workspace.manifest(yaml())
            let outcomes = try await hooks.apply()
            #expect(outcomes.allSatisfy { $0.succeeded }, "\(outcomes.compactMap(\.error))")
            let made = await hooks.provider.allWebhooks
            #expect(made.map(\.name) == ["Encoding done"])
            #expect(made.first?.url == "https://h.example.com/x?token=t1")
            #expect(made.first?.events == [.encodingFinished, .encodingFailed])
            #expect(try await hooks.registry().id("webhook.encoded") == made.first?.id)
            #expect(!(try await hooks.plan()).hasChanges)
        }
    }

    @Test("changed events: one PATCH with only the events")
    func update() async throws {
        try await Hooks.with { hooks in
            try hooks.workspace.manifest(yaml())
            try await hooks.apply()
            try hooks.workspace.manifest(yaml(events: "[file_received]"))
            let plan = try await hooks.plan()
            #expect(plan.changes.map(\.action) == [.update])
            try await hooks.apply()
            #expect(await hooks.provider.webhookPatches == [WebhookPatch(events: [.fileReceived])])
            #expect(await hooks.provider.allWebhooks.first?.events == [.fileReceived])
            #expect(!(try await hooks.plan()).hasChanges)
        }
    }

    @Test("a changed token is sent as a PATCH of the url")
    func token() async throws {
        try await Hooks.with { hooks in
            try hooks.workspace.manifest(yaml())
            try await hooks.apply()
            try hooks.workspace.manifest(yaml(url: "https://h.example.com/x?token=t2"))
            try await hooks.apply()
            #expect(await hooks.provider.webhookPatches == [WebhookPatch(url: "https://h.example.com/x?token=t2")])
        }
    }

    @Test("removed from the manifests: deleted with --allow-delete, and its registry entry with it; others untouched")
    func delete() async throws {
        try await Hooks.with { hooks in
            let foreign = await hooks.provider.addWebhook(
                name: "Encoding done", url: "https://other.example.com", events: [.fileReceived])
            try hooks.workspace.manifest(yaml())
            try await hooks.apply()
            try hooks.workspace.manifest("")
            let plan = try await hooks.plan()
            #expect(plan.changes.map(\.action) == [.delete])
            #expect(plan.isDestructive)
            let outcomes = try await hooks.apply(allowDelete: true)
            #expect(outcomes.allSatisfy { $0.succeeded })
            #expect(await hooks.provider.allWebhooks.map(\.id) == [foreign])
            #expect(try await hooks.registry().entry("webhook.encoded") == nil)
            #expect(!(try await hooks.plan()).hasChanges)
        }
    }

    @Test("a webhook made by hand is never read, changed or deleted, even with the same name")
    func unmanaged() async throws {
        try await Hooks.with { hooks in
            let foreign = await hooks.provider.addWebhook(
                name: "Encoding done", url: "https://x.example.com", events: [.fileReceived])
            try hooks.workspace.manifest(yaml())
            let plan = try await hooks.plan()
            #expect(plan.changes.map(\.action) == [.create])
            try await hooks.apply()
            #expect(await hooks.provider.allWebhooks.count == 2)
            #expect(await hooks.provider.allWebhooks.first { $0.id == foreign }?.events == [.fileReceived])
            #expect(await !hooks.provider.calls.contains { $0.operation == .getWebhook && $0.subject == foreign })
        }
    }

    @Test("a create whose answer is lost is adopted through its pending registry entry, not made twice")
    func lostCreate() async throws {
        try await Hooks.with { hooks in
            try hooks.workspace.manifest(yaml())
            await hooks.provider.inject(.lostAnswer, on: .createWebhook)
            let first = try await hooks.apply()
            // Lost, and found at once among the unclaimed webhooks of that name made since the pending mark.
            #expect(first.allSatisfy { $0.succeeded }, "\(first.compactMap(\.error))")
            #expect(await hooks.provider.allWebhooks.count == 1)
            #expect(!(try await hooks.plan()).hasChanges)
        }
    }

    @Test("a saved plan is refused when the webhook changed since")
    func savedStale() async throws {
        try await Hooks.with { hooks in
            try hooks.workspace.manifest(yaml())
            try await hooks.apply()
            try hooks.workspace.manifest(yaml(events: "[file_received]"))
            let plan = try await hooks.plan()
            let id = try #require(await hooks.provider.allWebhooks.first?.id)
            try await hooks.provider.updateWebhook(id: id, WebhookPatch(name: "Renamed by hand"))
            let stale = try await hooks.applier().staleness(plan)
            #expect(stale.count == 1 && stale[0].hasPrefix("webhook.encoded"), "\(stale)")
        }
    }
}
