import Foundation

@testable import Manifest

/// The repository's root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let fixturesDirectory = repositoryRoot + "/Tests/ManifestTests/Fixtures"

/// A scratch directory with tiny media files whose leading bytes identify them.
struct Workspace {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("streamplan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("clip.mp4", bytes: [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [UInt8](repeating: 0, count: 32))
        try write("clip.webm", bytes: [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x84] + Array("webm".utf8) + [0, 0])
        try write("clip.avi", bytes: Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI LIST".utf8))
        try write("thumb.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] + Array("JFIF".utf8))
        try write("thumb.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0])
        try write("notes.txt", bytes: Array("just some text, not a video at all".utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        let full = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes `text` as `m.yaml` and loads the workspace directory.
    func load(_ text: String, secret: String? = nil) throws -> ManifestLoadResult {
        try write("m.yaml", text)
        return ManifestLoader(environmentSecret: secret).load([path])
    }

    /// The findings with the workspace prefix removed: `m.yaml:3:5: error: ...`.
    func findings(_ result: ManifestLoadResult) -> [String] {
        result.diagnostics.map { $0.description.replacingOccurrences(of: path + "/", with: "") }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
