import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Credentials in webhook URLs (issue 26, item 4): Slack-style path tokens and Azure `sig=` values
/// never printed; a saved plan never keeps one written in clear; an environment that changed since
/// the plan makes the saved plan stale (exit 3), not damaged.
@Suite("webhook credentials from the command line", .gated)
struct WebhookSecretsCLITests {
    static let pathToken = "abcdefghijklmnopqrstuvwx"
    static let team = "T0A1B2C3D"
    static let sig = "AbCd0123456789xyzSecret"

    static func manifest(_ workspace: TestWorkspace, url: String) throws {
        try workspace.manifest("webhooks:\n  encoded:\n    url: \"\(url)\"\n    events: [encoding_finished]\n")
    }

    @Test(
        "a literal path token and sig= value: masked in plan text, JSON, Markdown and apply; plan --out refuses them",
        .timeLimit(.minutes(10)))
    func literal() async throws {
        let workspace = try TestWorkspace(project: "hooks", prefix: "hook-secrets")
        defer { workspace.remove() }
        try Self.manifest(
            workspace, url: "https://hooks.slack.com/services/\(Self.team)/B0E1F2G3H/\(Self.pathToken)?sig=\(Self.sig)")
        try await TestSandbox.with { sandbox in
            func run(_ arguments: [String]) async throws -> CLIResult {
                let result = try await sandbox.streamplan(arguments, in: workspace.directory)
                for secret in [Self.pathToken, Self.team, Self.sig] {
                    #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments): \(result.stdout)")
                }
                return result
            }
            for format in ["text", "json", "markdown"] {
                let plan = try await run(["plan", "--format", format, "streamplan.yaml"])
                #expect(plan.status == 0, "\(plan.stderr)")
                // Markdown escapes the asterisks.
                #expect(plan.stdout.contains("sig=***") || plan.stdout.contains("sig=\\*\\*\\*"), "\(format): \(plan.stdout)")
                if format == "text" {
                    #expect(plan.stdout.contains("hooks.slack.com/services/***/***/***?sig=***"), "\(plan.stdout)")
                }
            }
            let saved = try await run(["plan", "--out", "plan.json", "streamplan.yaml"])
            #expect(saved.status != 0)
            #expect(
                saved.stderr.contains("carries a credential written in the manifests") && saved.stderr.contains("${"),
                "\(saved.stderr)")
            #expect(!FileManager.default.fileExists(atPath: workspace.directory + "/plan.json"))
            let applied = try await run(["apply", "--auto-approve", "streamplan.yaml"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        }
    }

    @Test(
        "a saved plan whose ${VAR} now expands differently, or not at all, is stale: exit 3, nothing changed",
        .timeLimit(.minutes(10)))
    func staleVariable() async throws {
        let workspace = try TestWorkspace(project: "hooks", prefix: "hook-stale")
        defer { workspace.remove() }
        try Self.manifest(workspace, url: "https://hooks.example.com/aioz?token=${STREAMPLAN_TEST_HOOK_TOKEN}")
        try await TestSandbox.with { sandbox in
            let planned = try await sandbox.streamplan(
                ["plan", "--out", "plan.json", "streamplan.yaml"], in: workspace.directory,
                environment: ["STREAMPLAN_TEST_HOOK_TOKEN": "tok-first-1234"])
            #expect(planned.status == 0, "\(planned.stderr)")
            let text = try String(contentsOfFile: workspace.directory + "/plan.json", encoding: .utf8)
            #expect(!text.contains("tok-first-1234"))
            for environment in [["STREAMPLAN_TEST_HOOK_TOKEN": "tok-second-5678"], [:]] {
                let applied = try await sandbox.streamplan(
                    ["apply", "plan.json"], in: workspace.directory, environment: environment)
                #expect(applied.status == 3, "\(applied.stdout)\(applied.stderr)")
                #expect(applied.stderr.contains("is stale"), "\(applied.stderr)")
                #expect(!applied.stderr.contains("damaged") && !applied.stderr.contains("tok-second-5678"), "\(applied.stderr)")
            }
            #expect(try await sandbox.client.allWebhooks().isEmpty)
        }
    }

    @Test(
        "public_url: true shows the URL whole in plans, saved plans and outputs, and plan --out keeps it",
        .timeLimit(.minutes(10)))
    func publicURL() async throws {
        let workspace = try TestWorkspace(project: "hooks", prefix: "hook-public")
        defer { workspace.remove() }
        // Masked by default: the dated, mixed-case path segment looks like a token.
        let url = "https://builds.example.com/hooks/v2ReleaseNotes/2026-12-05"
        try workspace.manifest("webhooks:\n  encoded:\n    url: \"\(url)\"\n    events: [encoding_finished]\n")
        try await TestSandbox.with { sandbox in
            let masked = try await sandbox.streamplan(["plan", "streamplan.yaml"], in: workspace.directory)
            #expect(masked.status == 0 && !masked.stdout.contains(url), "\(masked.stdout)\(masked.stderr)")
            try workspace.manifest(
                "webhooks:\n  encoded:\n    url: \"\(url)\"\n    public_url: true\n    events: [encoding_finished]\n")
            for format in ["text", "json"] {
                let plan = try await sandbox.streamplan(["plan", "--format", format, "streamplan.yaml"], in: workspace.directory)
                #expect(plan.status == 0 && plan.stdout.contains(url), "\(format): \(plan.stdout)\(plan.stderr)")
            }
            let saved = try await sandbox.streamplan(["plan", "--out", "plan.json", "streamplan.yaml"], in: workspace.directory)
            #expect(saved.status == 0, "\(saved.stderr)")
            let applied = try await sandbox.streamplan(["apply", "plan.json"], in: workspace.directory)
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            #expect(try await sandbox.client.allWebhooks().map(\.url) == [url])
            let output = try await sandbox.streamplan(["output", "--format", "json", "streamplan.yaml"], in: workspace.directory)
            #expect(output.status == 0 && output.stdout.contains(url), "\(output.stdout)\(output.stderr)")
        }
    }
}
