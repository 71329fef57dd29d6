import AIOZ
import Apply
import ArgumentParser
import Manifest
import Planning
import Providers

/// `streamplan webhook …`: what can be done to a managed webhook besides planning it.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Work with the project's webhooks.",
        subcommands: [WebhookCheckCommand.self]
    )
}

/// `streamplan webhook check NAME`: asks the service to send a test event to the webhook's URL.
struct WebhookCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Ask the service to send a test event to a managed webhook (POST /webhooks/check/{id}).",
        discussion: """
            NAME is the webhook's name in the manifests (webhooks: NAME: …, address webhook.NAME); it must \
            have been applied, so that the project's registry names its id. The URL is never printed.

            Examples:
              streamplan webhook check encoded --sandbox
              streamplan webhook check webhook.encoded manifests/
            """
    )

    @Argument(help: "The webhook's name in the manifests (or its address, webhook.NAME).")
    var name: String

    @Argument(help: "Manifest files or directories (for the project and the webhook).")
    var paths: [String] = ["manifests"]

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let manifest = try ManifestInput.load(paths)
        let name = name.hasPrefix("webhook.") ? String(name.dropFirst("webhook.".count)) : name
        guard let spec = manifest.webhooks.first(where: { $0.name == name }) else {
            let names = manifest.webhooks.map(\.name)
            var message = "error: no webhook \"\(name)\" in the manifests"
            message += names.isEmpty ? " (they define no webhooks)" : " (they define: \(names.joined(separator: ", ")))"
            Terminal.stderr(message)
            throw ExitCode.validationFailure
        }
        let address = Address(.webhook, spec.name)
        let project = manifest.project
        let outcome = try await connection.withProvider(manifest.provider) { provider -> String? in
            let entries = await (try Registry.load(project: project, provider: provider)).entries
            guard let id = entries.id(address), try await provider.webhook(id: id) != nil else { return nil }
            try await provider.checkWebhook(id: id)
            return id
        }
        guard let id = outcome else {
            Terminal.stderr(
                "error: \(address) is not applied yet: project \(project) has no such webhook on the service; "
                    + "run `\(Hint.command(["apply"] + connection.repeated + paths))` first")
            throw ExitCode.failure
        }
        Terminal.stdout("\(address) (id \(id)): test event sent")
    }
}

/// The credentials in webhook URLs, registered so that no text streamplan prints can carry them
/// (plans mask them already; this covers an error a library might format with a URL in it).
enum WebhookSecrets {
    static func register(_ urls: [String]) {
        for url in urls {
            for secret in WebhookURL.credentials(url) { Redaction.register(secret) }
        }
    }

    /// Restream destinations' URLs carry their stream keys.
    static func registerRestreams(_ urls: [String]) {
        for url in urls {
            for secret in RestreamURL.credentials(url) { Redaction.register(secret) }
        }
    }
}
