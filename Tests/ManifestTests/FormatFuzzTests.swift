import Foundation
import TestSupport
import Testing
import YAMLNodes

@testable import Manifest

/// Property-style checks of `fmt` on inputs derived from the fuzz corpus, seeded so a failure
/// repeats: whatever the input, the formatter does not crash; when it formats, formatting its
/// result again changes nothing; and what it returns means the same as the input.
@Suite("formatting mutated manifests")
struct FormatFuzzTests {
    static let tokens = [
        "# c", "#", " ", "  ", "- ", "\n", ": ", "|\n", ">-\n", "&a ", "*a", "<<: *a", "{", "}", "[", "]", ",", "\"",
        "'", "? ", "---\n", "!!str ", "x",
    ]

    /// One input: a corpus file with its indentation scaled, comment lines inserted, lines swapped,
    /// or tokens inserted.
    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0...random.below(3) {
            let at = random.below(lines.count)
            switch random.below(5) {
            case 0:
                // Scale every indentation: 2 → 3 or 4 columns a level.
                let factor = 3 + random.below(2)
                lines = lines.map { line in
                    let n = line.prefix { $0 == " " }.count
                    return String(repeating: " ", count: n * factor / 2) + line.dropFirst(n)
                }
            case 1:
                let indent = String(repeating: " ", count: random.below(9))
                lines.insert(indent + "# inserted \(random.below(100))", at: at)
            case 2 where at + 1 < lines.count:
                lines.swapAt(at, at + 1)
            case 3:
                var line = Array(lines[at])
                let column = random.below(line.count + 1)
                line.insert(contentsOf: tokens[random.below(tokens.count)], at: column)
                lines[at] = String(line)
            default:
                lines.insert(lines[at], at: at)
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("2,000 mutated corpus files: no crash, idempotent, same values and comments")
    func mutatedCorpus() throws {
        let texts = try FormatTests.corpus.map { try FormatTests.read($0) }
        var random = SplitMix64(state: 20_261_123)
        var counts = (formatted: 0, changed: 0, left: 0, invalid: 0)
        for _ in 0..<2000 {
            let input = Self.mutate(texts[random.below(texts.count)], &random)
            switch ManifestFormat.formatter.format(input, file: "m.yaml") {
            case .invalid:
                counts.invalid += 1
            case .leftAsIs:
                counts.left += 1
            case .formatted(let once):
                counts.formatted += 1
                if once != input { counts.changed += 1 }
                guard case .formatted(let twice) = ManifestFormat.formatter.format(once, file: "m.yaml") else {
                    Issue.record("formatted once, but not a second time:\n\(input)")
                    continue
                }
                #expect(twice == once, "not idempotent on:\n\(input)")
                #expect(FormatTests.canonicalDump(once) == FormatTests.canonicalDump(input), "a value changed in:\n\(input)")
                #expect(
                    YAMLFormatter.comments(in: once)?.sorted() == YAMLFormatter.comments(in: input)?.sorted(),
                    "a comment changed in:\n\(input)")
            }
        }
        // The mutations must exercise the formatter, not only its refusal of invalid YAML.
        #expect(counts.changed > 200, "\(counts)")
    }
}
