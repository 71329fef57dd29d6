import Foundation
import TestSupport
import Testing

@testable import Manifest

@Suite("examples and the JSON Schema")
struct ExampleAndSchemaTests {
    @Test("the example manifests validate without errors")
    func examplesValidate() throws {
        let result = ManifestLoader(environmentSecret: nil).load([repositoryRoot + "/manifests"])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        let manifest = try #require(result.manifest)
        #expect(manifest.videos.count >= 3)
        #expect(!manifest.profiles.isEmpty)
        #expect(!manifest.liveStreams.isEmpty)
    }

    @Test("the example manifests give no warning either: every source is at least as high as its ladder")
    func examplesWarningFree() throws {
        let result = ManifestLoader(environmentSecret: nil).load([repositoryRoot + "/manifests"])
        let manifest = try #require(result.manifest)
        let findings = result.diagnostics + SourceResolutionRules.warnings(manifest)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
    }

    @Test("docs/manifests.md's top-level table has a row for every top-level key, and no other")
    func topLevelTable() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/docs/manifests.md", encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Top level\n").dropFirst().first)
        let table = section.components(separatedBy: "\n## ").first ?? ""
        let keys = table.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap {
            $0.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(Set(keys) == Set(FragmentDecoder.topLevelKeys), "\(keys)")
    }

    /// Each fixture's first line says where its one error is: `# expect: LINE:COLUMN words`.
    static let invalidFixtures: [String] = {
        let dir = fixturesDirectory + "/schema-invalid"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test("every invalid fixture is rejected by the loader at the position it names", arguments: invalidFixtures)
    func fixtureRejected(name: String) throws {
        let path = fixturesDirectory + "/schema-invalid/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect: ") })
        let position = try #require(header.dropFirst("# expect: ".count).split(separator: " ").first)
        let result = ManifestLoader(environmentSecret: nil, root: fixturesDirectory).load([path])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(result.manifest == nil)
        #expect(
            errors.contains { $0.location?.description == "\(path):\(position)" },
            "expected an error at \(position) in:\n\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test("the JSON Schema accepts every example manifest")
    func schemaAcceptsExamples() async throws {
        let (status, output) = try await ToolRun.runOffPool("python3", ["scripts/check-schema.py", "--valid", "manifests"])
        #expect(status == 0, "\(output)")
    }

    @Test("the JSON Schema rejects every invalid fixture the loader rejects")
    func schemaRejectsFixtures() async throws {
        let (status, output) = try await ToolRun.runOffPool(
            "python3", ["scripts/check-schema.py", "--invalid", "Tests/ManifestTests/Fixtures/schema-invalid"])
        #expect(status == 0, "\(output)")
    }
}
