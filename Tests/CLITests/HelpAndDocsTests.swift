import Foundation
import TestSupport
import Testing

/// What the help and the documents say of the kinds streamplan manages and the sandbox emulates
/// agrees with the tool.
@Suite("help and documents name what the tool does", .gated)
struct HelpAndDocsTests {
    static let kinds = [
        "captions", "chapters", "player themes", "playlists", "webhooks", "live stream", "restream destinations",
    ]

    @Test("the top-level help, plan's and apply's name every kind streamplan manages")
    func helpNamesEveryKind() async throws {
        let top = try await streamplan(["--help"])
        let apply = try await streamplan(["apply", "--help"])
        let plan = try await streamplan(["plan", "--help"])
        // The help wraps lines: compare with the whitespace collapsed.
        func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for kind in Self.kinds {
            #expect(flat(top.stdout).contains(kind), "streamplan --help: \(kind)")
            #expect(flat(apply.stdout).contains(kind), "streamplan apply --help: \(kind)")
            #expect(flat(plan.stdout).contains(kind), "streamplan plan --help: \(kind)")
        }
    }

    @Test("docs/sandbox.md does not list as missing what the sandbox emulates")
    func sandboxDocument() throws {
        let text = try String(contentsOfFile: packageRoot + "/docs/sandbox.md", encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## What it does not emulate\n").dropFirst().first)
        // Up to the parenthesis that lists what is emulated after all.
        let missing = section.prefix { $0 != "(" }
        for emulated in ["caption", "chapter", "player", "playlist", "webhook"] {
            #expect(!missing.contains(emulated), "listed as not emulated: \(emulated)")
        }
        #expect(!text.contains("Playlists are not emulated"))
    }
}
