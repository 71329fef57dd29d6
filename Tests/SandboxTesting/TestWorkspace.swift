import Foundation
public import Manifest

/// A temporary project directory: manifests written by the test, media under `media/`, removed
/// afterwards.
public struct TestWorkspace: Sendable {
    public let directory: String
    public let project: String

    public init(project: String = "demo", prefix: String = "workspace") throws {
        self.project = project
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/media", withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh workspace, removed afterwards.
    public static func with<T>(project: String = "demo", _ body: (TestWorkspace) async throws -> T) async throws -> T {
        let workspace = try TestWorkspace(project: project)
        defer { workspace.remove() }
        return try await body(workspace)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `media/NAME` (see `TestMedia.bytes`).
    public func media(_ name: String, size: Int, seed: UInt8 = 1) throws {
        try Data(TestMedia.bytes(for: name, size: size, seed: seed)).write(to: URL(fileURLWithPath: directory + "/media/" + name))
    }

    /// Writes `streamplan.yaml`: `project: …` and then `yaml`.
    public func manifest(_ yaml: String) throws {
        try ("project: \(project)\n" + yaml).write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    /// Loads the workspace's manifests, failing with every diagnostic.
    public func load() throws -> Manifest {
        let result = ManifestLoader(environmentSecret: nil).load([directory])
        guard let manifest = result.manifest else {
            throw TestFailure("manifest errors: \(result.diagnostics.map(\.description))")
        }
        return manifest
    }

    /// SHA-256 of `media/NAME`.
    public func fileHash(_ name: String) throws -> String {
        try TestMedia.sha256(file: directory + "/media/" + name)
    }

    public var stateDirectory: String { directory + "/.streamplan" }
}
