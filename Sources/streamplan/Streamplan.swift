import ArgumentParser

/// The `streamplan` command: parse, call the libraries, print.
@main
struct Streamplan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamplan",
        abstract: "Declarative video infrastructure for AIOZ Stream.",
        discussion: """
            Describe videos, encoding profiles, thumbnails and live streams in YAML; streamplan \
            shows what would change on your AIOZ Stream account and makes it so.

            Examples:
              streamplan validate manifests/
              streamplan plan --sandbox manifests/
              streamplan apply --sandbox --auto-approve manifests/
              streamplan show live_stream.townhall --reveal --sandbox
              streamplan status --sandbox
              streamplan sandbox --port 8080
            """,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, ShowCommand.self, StatusCommand.self, SandboxCommand.self,
        ]
    )
}
