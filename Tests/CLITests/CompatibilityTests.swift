import Foundation
import TestSupport
import Testing

/// A sandbox account and the plans recorded by streamplan 0.1.0 (before the provider/kind redesign),
/// made by scripts/make-compat-fixture.sh. Whatever this version changes inside, the objects an
/// earlier release created must plan as `No changes.`, and every plan must print byte for byte
/// as it did.
@Suite("compatibility with what streamplan 0.1.0 left on an account", .gated, .serialized, .eachGeneration, .namingGeneration)
struct CompatibilityTests {
    static let fixture = packageRoot + "/Tests/Fixtures/compat-0.1.0"

    /// What this version prints differently on purpose, each a sentence of issue 14 ("the first ten
    /// minutes"), applied to 0.1.0's recordings before comparing; everything else must match byte for byte.
    static func sinceVersion010(_ recorded: String, format: String) -> String {
        var text = recorded
        // The no-change line counted live objects as videos.
        text = text.replacingOccurrences(
            of: "No changes. The videos of project northwind-academy match the manifests (7 up to date).",
            with:
                "No changes. Project northwind-academy matches the manifests (7 up to date: 4 videos, 1 live stream key, 2 streamings)."
        )
        // An empty array or object was printed over three lines (`[`, a blank line, `]`).
        if format == "json" {
            for (open, close) in [("[", "]"), ("{", "}")] {
                text = text.replacingOccurrences(
                    of: "\\\(open)\n\\s*\n\\s*\\\(close)", with: open + close, options: .regularExpression)
            }
        }
        return text
    }

    /// A working directory with the examples as 0.1.0 knew them (`manifests/`, frozen in the fixture:
    /// the examples in the repository grow with every kind), the edited examples (`edited/`), both with
    /// the examples' media, and, unless `empty`, the recorded account as the embedded sandbox's data.
    func workspace(empty: Bool = false) throws -> ExampleCopy {
        let copy = try ExampleCopy.version010()
        let files = FileManager.default
        // The sources 0.1.0 uploaded: the examples' media since grew (lesson-2 to 1080p, office-hours
        // to 2160p, as their ladders ask); the fixture keeps the 320×180 files 0.1.0 knew.
        for name in try files.contentsOfDirectory(atPath: Self.fixture + "/media") {
            try files.removeItem(atPath: copy.path + "/manifests/media/" + name)
            try files.copyItem(atPath: Self.fixture + "/media/" + name, toPath: copy.path + "/manifests/media/" + name)
        }
        try files.copyItem(atPath: Self.fixture + "/edited", toPath: copy.path + "/edited")
        try files.copyItem(atPath: copy.path + "/manifests/media", toPath: copy.path + "/edited/media")
        if !empty {
            try files.createDirectory(atPath: copy.path + "/state", withIntermediateDirectories: true)
            try files.copyItem(atPath: Self.fixture + "/account", toPath: copy.path + "/state/sandbox")
        }
        return copy
    }

    /// Every plan must print as 0.1.0 printed it once the cost (new since 0.1.0, additive and always
    /// last) is cut off; `--no-cost` prints it with no cutting at all. The cost itself is checked to be
    /// there exactly when the plan transcodes something (`costs`).
    func expectPlans(_ name: String, manifests: String, in copy: ExampleCopy, costs: [String]) async throws {
        for (format, ext) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
            let recorded = Self.sinceVersion010(
                try String(contentsOfFile: Self.fixture + "/plans/\(name).\(ext)", encoding: .utf8), format: format)
            let result = try await streamplan(
                ["plan", "--sandbox", "--state-dir", "state", "--format", format, manifests],
                in: copy.path)
            #expect(result.status == 0, "\(result.stderr)")
            let (plan, cost) = CostSection.split(result.stdout, format: format)
            #expect(plan == recorded, "plan \(name) as \(format) differs from the one 0.1.0 printed")
            #expect(
                (cost != nil) == !costs.isEmpty,
                "plan \(name) as \(format): cost section \(cost == nil ? "missing" : "unexpected")")
            for figure in costs {
                #expect(cost?.contains(figure) == true, "plan \(name) as \(format): \(figure) not in \(cost ?? "")")
            }
            let offline = try await streamplan(
                ["plan", "--sandbox", "--state-dir", "state", "--no-cost", "--format", format, manifests],
                in: copy.path)
            #expect(offline.stdout == recorded, "plan \(name) --no-cost as \(format) differs from the one 0.1.0 printed")
        }
    }

    @Test("the objects 0.1.0 created (videos, thumbnails, qualities, a live key, streamings, the registry) plan as No changes")
    func noChanges() async throws {
        let copy = try workspace()
        defer { copy.remove() }
        let result = try await streamplan(
            ["plan", "--sandbox", "--state-dir", "state", "--detailed-exitcode", "manifests"],
            in: copy.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("No changes."))
        try await expectPlans("same", manifests: "manifests", in: copy, costs: [])
    }

    @Test("plans of every action print exactly as 0.1.0 printed them (text, Markdown, JSON)")
    func edited() async throws {
        let copy = try workspace()
        defer { copy.remove() }
        try await expectPlans(
            "edited", manifests: "edited", in: copy,
            costs: ["video.bonus", "0.0002", "video.lesson-2", "0.000117", "0.000317", "999999.99993"])
    }

    @Test("the plan of the examples on an empty account prints exactly as 0.1.0 printed it")
    func creates() async throws {
        let copy = try workspace(empty: true)
        defer { copy.remove() }
        try await expectPlans(
            "create", manifests: "manifests", in: copy,
            costs: ["video.intro", "video.lesson-1", "video.lesson-2", "video.office-hours", "0.001185", "1000000"])
    }
}

/// The cost section of a printed plan, cut off so the rest can be compared with plans printed before
/// it existed. It is always last: after the text plan's notes (from a blank line and
/// `Cost of transcoding`), after the Markdown sections (from `#### Cost of transcoding`), and in JSON
/// the top-level `cost` member (pretty-printed with sorted keys: from its line to the `},` closing it).
enum CostSection {
    static func split(_ output: String, format: String) -> (plan: String, cost: String?) {
        switch format {
        case "text": return cut(output, at: "\nCost of transcoding")
        case "markdown": return cut(output, at: "#### Cost of transcoding")
        default:
            var lines = output.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix("  \"cost\" : {") }),
                let end = lines[start...].firstIndex(where: { $0 == "  }," })
            else { return (output, nil) }
            let cost = lines[start...end].joined(separator: "\n")
            lines.removeSubrange(start...end)
            return (lines.joined(separator: "\n"), cost)
        }
    }

    private static func cut(_ output: String, at marker: String) -> (String, String?) {
        guard let range = output.range(of: marker) else { return (output, nil) }
        return (String(output[..<range.lowerBound]), String(output[range.lowerBound...]))
    }
}
