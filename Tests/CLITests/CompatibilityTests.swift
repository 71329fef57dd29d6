import Foundation
import TestSupport
import Testing

/// A sandbox account and the plans recorded by streamplan 0.1.0 (before the provider/kind redesign),
/// made by scripts/make-compat-fixture.sh. Whatever this version changes inside, the objects an
/// earlier release created must plan as `No changes.`, and every plan must print byte for byte
/// as it did.
@Suite("compatibility with what streamplan 0.1.0 left on an account", .serialized, .eachGeneration, .namingGeneration)
struct CompatibilityTests {
    static let fixture = packageRoot + "/Tests/Fixtures/compat-0.1.0"

    /// A working directory with the examples (`manifests/`), the edited examples (`edited/`, with the
    /// examples' media) and, unless `empty`, the recorded account as the embedded sandbox's data.
    func workspace(empty: Bool = false) throws -> ExampleCopy {
        let copy = try ExampleCopy()
        let files = FileManager.default
        try files.copyItem(atPath: Self.fixture + "/edited", toPath: copy.path + "/edited")
        try files.copyItem(atPath: packageRoot + "/manifests/media", toPath: copy.path + "/edited/media")
        if !empty {
            try files.createDirectory(atPath: copy.path + "/state", withIntermediateDirectories: true)
            try files.copyItem(atPath: Self.fixture + "/account", toPath: copy.path + "/state/sandbox")
        }
        return copy
    }

    func expectPlans(_ name: String, manifests: String, in copy: ExampleCopy) async throws {
        for (format, ext) in [("text", "txt"), ("markdown", "md"), ("json", "json")] {
            let result = try await streamplan(
                ["plan", "--sandbox", "--state-dir", "state", "--format", format, manifests],
                in: copy.path)
            #expect(result.status == 0, "\(result.stderr)")
            let recorded = try String(contentsOfFile: Self.fixture + "/plans/\(name).\(ext)", encoding: .utf8)
            #expect(result.stdout == recorded, "plan \(name) as \(format) differs from the one 0.1.0 printed")
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
        try await expectPlans("same", manifests: "manifests", in: copy)
    }

    @Test("plans of every action print exactly as 0.1.0 printed them (text, Markdown, JSON)")
    func edited() async throws {
        let copy = try workspace()
        defer { copy.remove() }
        try await expectPlans("edited", manifests: "edited", in: copy)
    }

    @Test("the plan of the examples on an empty account prints exactly as 0.1.0 printed it")
    func creates() async throws {
        let copy = try workspace(empty: true)
        defer { copy.remove() }
        try await expectPlans("create", manifests: "manifests", in: copy)
    }
}
