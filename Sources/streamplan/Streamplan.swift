import AIOZ
import ArgumentParser
import Foundation
import Planning

/// The `streamplan` command: parse, call the libraries, print.
@main
struct Streamplan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamplan",
        abstract: "Declarative video infrastructure for AIOZ Stream.",
        discussion: """
            Describe videos, encoding profiles, thumbnails, captions and chapters, player themes, \
            playlists, webhooks and live streams (with their restream destinations) in YAML; streamplan \
            shows what would change on your AIOZ Stream account and makes it so.

            Examples:
              streamplan validate manifests/
              streamplan fmt --check manifests/
              streamplan plan --sandbox manifests/
              streamplan apply --sandbox --auto-approve manifests/
              streamplan show live_stream.townhall --reveal --sandbox
              streamplan status --sandbox
              streamplan sandbox --port 8080
            """,
        version: ToolVersion.current,
        subcommands: [
            ValidateCommand.self, FmtCommand.self, PlanCommand.self, ApplyCommand.self, ImportCommand.self,
            GenerateCommand.self, ShowCommand.self, StatusCommand.self, OutputCommand.self, WebhookCommand.self,
            SandboxCommand.self,
        ]
    )

    /// Runs the command; every message, errors included, leaves through `Terminal`, which redacts the
    /// credentials (an error a library formats could otherwise echo one).
    static func main() async {
        // Output to a reader that went away fails the write (Terminal drops it) instead of killing the
        // process in the middle of an apply.
        signal(SIGPIPE, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        for name in ["STREAM_PUBLIC_KEY", "STREAM_SECRET_KEY", "AIONVISION_API_KEY"] {
            if let value = environment[name] {
                Redaction.register(value)
                Redaction.register(value.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = Self.lowercased(fullMessage(for: error))
            if !message.isEmpty {
                if code == .success { Terminal.stdout(message) } else { Terminal.stderr(message) }
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// swift-argument-parser starts its messages with "Error: "; streamplan's own say "error: " (as
    /// compilers and `validate`'s `file:line:column: error:` do), so every one reads the same.
    static func lowercased(_ message: String) -> String {
        message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message
    }
}
