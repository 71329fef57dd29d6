import ArgumentParser

/// `streamplan validate`: checks manifests without touching the network.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests for errors without contacting AIOZ Stream."
    )
    @Argument(help: "Manifest files or directories (default: manifests/).")
    var paths: [String] = []
    func run() async throws {}
}
