import ArgumentParser

@main
struct Streamplan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Declarative video infrastructure for AIOZ Stream.")
}
