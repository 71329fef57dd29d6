import AIOZ
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// `webhooks:` through the CLI against the sandbox: apply, no changes, update, check, delete.
@Suite("webhooks through the CLI", .gated, .serialized, .eachGeneration, .namingGeneration)
struct WebhookCLITests {
    static func manifest(_ directory: String, url: String, events: String) throws {
        let text = """
            project: hooks
            webhooks:
              encoded:
                name: Encoding done
                url: "\(url)"
                events: \(events)

            """
        try FileManager.default.createDirectory(atPath: directory + "/manifests", withIntermediateDirectories: true)
        try text.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    @Test("apply, No changes., change events → one update, check reaches the URL, delete", .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await WebhookReceiver.with { receiver in
            try await TestSandbox.with { sandbox in
                let workspace = try TestWorkspace(prefix: "hookscli")
                defer { workspace.remove() }
                let directory = workspace.directory
                let token = "tok-\(UUID().uuidString.prefix(8))"
                let url = receiver.baseURL + "/hook?token=${STREAMPLAN_TEST_HOOK_TOKEN}"
                let environment = ["STREAMPLAN_TEST_HOOK_TOKEN": token]
                func run(_ arguments: [String]) async throws -> CLIResult {
                    let result = try await sandbox.streamplan(arguments, in: directory, environment: environment)
                    #expect(!result.stdout.contains(token) && !result.stderr.contains(token), "\(arguments)")
                    return result
                }
                try Self.manifest(directory, url: url, events: "[encoding_finished, encoding_failed]")

                let first = try await run(["plan", "manifests"])
                #expect(first.stdout.contains("webhook.encoded"), "\(first.stdout)")
                #expect(first.stdout.contains("token=***"), "\(first.stdout)")
                let applied = try await run(["apply", "--auto-approve", "manifests"])
                #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
                let hooks = try await sandbox.client.allWebhooks()
                #expect(hooks.count == 1)
                #expect(hooks.first?.url == receiver.baseURL + "/hook?token=\(token)")
                #expect(hooks.first?.events == [.encodingFinished, .encodingFailed])

                let again = try await run(["plan", "manifests"])
                #expect(again.stdout.contains("No changes."), "\(again.stdout)")

                try Self.manifest(directory, url: url, events: "[file_received, encoding_finished]")
                let changed = try await run(["plan", "--out", "plan.json", "manifests"])
                #expect(
                    changed.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), "\(changed.stdout)")
                #expect(changed.stdout.contains("events:"), "\(changed.stdout)")
                let saved = try String(contentsOfFile: directory + "/plan.json", encoding: .utf8)
                #expect(!saved.contains(token))
                let update = try await run(["apply", "plan.json"])
                #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
                #expect(try await sandbox.client.allWebhooks().first?.events == [.fileReceived, .encodingFinished])
                #expect(try await run(["plan", "manifests"]).stdout.contains("No changes."))

                let check = try await run(["webhook", "check", "encoded", "manifests"])
                #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
                #expect(check.stdout.contains("webhook.encoded"), "\(check.stdout)")
                let bodies = await receiver.waitFor(1)
                #expect(bodies.first?["type"] == "test")
                let unknown = try await run(["webhook", "check", "nope", "manifests"])
                #expect(unknown.status != 0 && unknown.stderr.contains("no webhook \"nope\""), "\(unknown.stderr)")

                try "project: hooks\n".write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
                let refused = try await run(["apply", "--auto-approve", "manifests"])
                #expect(refused.status != 0 && refused.stderr.contains("--allow-delete"), "\(refused.stderr)")
                let deleted = try await run(["apply", "--auto-approve", "--allow-delete", "manifests"])
                #expect(deleted.status == 0, "\(deleted.stdout)\(deleted.stderr)")
                #expect(try await sandbox.client.allWebhooks().isEmpty)
                #expect(try await run(["plan", "manifests"]).stdout.contains("No changes."))
                // Nothing streamplan keeps on disk holds the token.
                let state = directory + "/.streamplan"
                for name in (FileManager.default.enumerator(atPath: state)?.allObjects as? [String]) ?? [] {
                    guard let data = FileManager.default.contents(atPath: state + "/" + name) else { continue }
                    #expect(!String(decoding: data, as: UTF8.self).contains(token), "\(name)")
                }
            }
        }
    }

    @Test("webhook check on a webhook not applied yet says so")
    func notApplied() async throws {
        try await TestSandbox.with { sandbox in
            let workspace = try TestWorkspace(prefix: "hookscli")
            defer { workspace.remove() }
            try Self.manifest(workspace.directory, url: "https://h.example.com/x", events: "[file_received]")
            let check = try await sandbox.streamplan(["webhook", "check", "encoded", "manifests"], in: workspace.directory)
            #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
            #expect(check.stderr.contains("webhook.encoded is not applied yet"), "\(check.stderr)")
        }
    }
}
