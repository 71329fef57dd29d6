import Foundation
import Hummingbird
import NIOFileSystem

/// A completed upload's source, kept as the part files it arrived in rather than copied into one
/// file: `complete` renames, it does not copy (issue 11, item 4: the copy was a third of a large
/// create's time and wrote every byte a second time).
///
/// One part becomes `sources/ID` by a rename. Several parts stay in their directory, which is renamed
/// to `sources/ID.parts` with a `layout.json` naming the part files in byte order; the asset URLs
/// serve their concatenation. Both renames are atomic, and a failure before the directory's rename
/// leaves the parts where a retried `complete` finds them.
enum LinkedSource {
    /// One part file of a linked source and how many bytes it holds.
    struct Piece: Codable, Sendable, Equatable {
        var file: String
        var length: Int
    }

    static let layoutName = "layout.json"

    /// Moves the checked parts (`PartCoverage.check`'s order) into place as the video's source.
    static func link(_ parts: [StoredPart], video: String, files: FileLayout) throws {
        if parts.count == 1, let only = parts.first {
            try AtomicFile.move(files.partPath(video: video, index: only.index), to: files.sourcePath(video: video))
            return
        }
        let pieces = parts.map {
            Piece(file: (files.partPath(video: video, index: $0.index) as NSString).lastPathComponent, length: $0.length)
        }
        let directory = files.partsDirectory(video: video)
        let temporary = "\(directory)/\(layoutName).tmp"
        try JSONEncoder().encode(pieces).write(to: URL(fileURLWithPath: temporary))
        try AtomicFile.move(temporary, to: "\(directory)/\(layoutName)")
        try AtomicFile.move(directory, to: files.linkedSourceDirectory(video: video))
    }

    /// The files of a video's source in byte order with their lengths: one file, or the linked parts.
    /// Nil when the video has no source on disk.
    static func pieces(video: String, files: FileLayout) -> [(path: String, length: Int)]? {
        let single = files.sourcePath(video: video)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: single),
            let size = attributes[.size] as? Int
        {
            return [(single, size)]
        }
        let directory = files.linkedSourceDirectory(video: video)
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(layoutName)"),
            let layout = try? JSONDecoder().decode([Piece].self, from: data)
        else { return nil }
        return layout.map { ("\(directory)/\($0.file)", $0.length) }
    }

    /// A response body streaming the pieces one after another, read in 1 MiB chunks.
    static func body(_ pieces: [(path: String, length: Int)]) -> ResponseBody {
        let paths = pieces.map(\.path)
        return ResponseBody(contentLength: pieces.reduce(0) { $0 + $1.length }) { writer in
            for path in paths {
                try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                    for try await chunk in handle.readChunks(chunkLength: .mebibytes(1)) {
                        try await writer.write(chunk)
                    }
                }
            }
            try await writer.finish(nil)
        }
    }
}
