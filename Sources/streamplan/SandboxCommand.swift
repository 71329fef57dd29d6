import ArgumentParser

/// `streamplan sandbox`: runs the AIOZ Stream emulator on its own (filled in by the sandbox work).
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local emulator of the AIOZ Stream API."
    )
    func run() async throws {
        throw ValidationError("the sandbox is not built yet")
    }
}
