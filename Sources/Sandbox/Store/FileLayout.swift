import Foundation

/// Where the sandbox keeps bytes: parts, assembled sources, thumbnails, the database, temp files.
struct FileLayout: Sendable {
    let root: String

    /// The SQLite database (with `-wal` and `-shm` beside it while open).
    var databasePath: String { "\(root)/store.sqlite" }
    /// The JSON store of releases before the database; imported once, then renamed to `importedLegacyPath`.
    var legacyStatePath: String { "\(root)/store.json" }
    var importedLegacyPath: String { "\(root)/store.json.imported" }
    var tmpDirectory: String { "\(root)/tmp" }
    func partsDirectory(video: String) -> String { "\(root)/parts/\(video)" }
    func partPath(video: String, index: Int) -> String { "\(partsDirectory(video: video))/\(index).part" }
    func sourcePath(video: String) -> String { "\(root)/sources/\(video)" }
    /// A source kept as its parts (`LinkedSource`): the parts directory, renamed at `complete`.
    func linkedSourceDirectory(video: String) -> String { "\(root)/sources/\(video).parts" }
    func thumbnailPath(video: String) -> String { "\(root)/thumbnails/\(video)" }
    /// A live stream key's thumbnail (the 2026 spec's `POST /live_streams/{id}/thumbnail`).
    func thumbnailPath(liveStreamKey key: String) -> String { "\(root)/thumbnails/key-\(key)" }
    func temporaryPath() -> String { "\(tmpDirectory)/\(UUID().uuidString.lowercased())" }

    func createDirectories() throws {
        for directory in [root, tmpDirectory, "\(root)/parts", "\(root)/sources", "\(root)/thumbnails"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Removes every file belonging to a video.
    func removeVideo(_ id: String) {
        for path in [
            partsDirectory(video: id), sourcePath(video: id), linkedSourceDirectory(video: id), thumbnailPath(video: id),
        ] {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// Rename, the only way the sandbox replaces a file (bytes are written to a temp file first).
enum AtomicFile {
    /// `rename(2)`: atomic, replaces the destination.
    static func move(_ source: String, to destination: String) throws {
        if rename(source, destination) != 0 {
            throw SandboxError.io("could not move \(source) to \(destination): errno \(errno)")
        }
    }
}

/// Failures of the sandbox itself (not API errors).
public enum SandboxError: Error, CustomStringConvertible {
    case corruptStore(path: String, reason: String)
    case io(String)
    case notStarted
    case bindFailed(String)

    public var description: String {
        switch self {
        case .corruptStore(let path, let reason):
            "The sandbox store at \(path) cannot be read (\(reason)); move it away to start fresh."
        case .io(let message): "Sandbox file error: \(message)."
        case .notStarted: "The sandbox server is not running; call start() first."
        case .bindFailed(let reason): "The sandbox could not start: \(reason)."
        }
    }
}
