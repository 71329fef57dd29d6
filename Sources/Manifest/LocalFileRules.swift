import Foundation
import Synchronization
import YAMLNodes

/// Checks a path named by a manifest: it exists, stays inside the manifests' root after
/// symlinks, and holds the right kind of media judged by its bytes.
struct LocalFileRules {
    /// The directory manifests may reference files under, symlinks resolved.
    let root: String

    enum Kind {
        case source, thumbnail

        var allowed: String {
            switch self {
            case .source: "MP4, MOV, M4V, WebM or AVI"
            case .thumbnail: "PNG or JPEG"
            }
        }

        func accepts(_ format: MediaFormat) -> Bool {
            switch self {
            case .source: format.isVideo
            case .thumbnail: format.isImage
            }
        }
    }

    func check(
        _ written: String, kind: Kind, manifestFile: String, node: YAMLNode,
        into reader: inout NodeReader
    ) -> LocalFile? {
        let what = kind == .source ? "source" : "thumbnail"
        if written.isEmpty {
            reader.error("\(what) must name a file", at: node)
            return nil
        }
        let base = (manifestFile as NSString).deletingLastPathComponent
        let joined = written.hasPrefix("/") ? written : (base.isEmpty ? written : base + "/" + written)
        // Many videos name the same few files (a shared thumbnail, say): a file checked before in this
        // process, unchanged since (same size and modification time), is not resolved and sniffed again.
        let cacheKey = "\(kind)\u{0}\(root)\u{0}\(joined)"
        if let known = Self.checked.withLock({ $0[cacheKey] }), let stamp = Self.stamp(joined), stamp == known.stamp {
            var file = known.file
            file.written = written
            return file
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: joined, isDirectory: &isDirectory) else {
            reader.error(
                "\(what) file \"\(written)\" does not exist (looked for \(joined); paths are relative to the manifest file)",
                at: node)
            return nil
        }
        guard !isDirectory.boolValue else {
            reader.error("\(what) \"\(written)\" is a directory; name a file", at: node)
            return nil
        }
        let resolved = Self.realpath(joined)
        guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            reader.error(
                "\(what) \"\(written)\" resolves to \(resolved), outside \(root); "
                    + "manifests may only name files under the directory that holds them", at: node)
            return nil
        }
        if let irregular = RegularFile.irregularKind(resolved) {
            reader.error(
                "\(what) \"\(written)\" \(irregular == "a directory" ? "is a directory; name a file" : "is \(irregular), not a regular file; name a media file")",
                at: node)
            return nil
        }
        guard let format = MediaFormat.sniff(path: resolved), kind.accepts(format) else {
            let found = MediaFormat.sniff(path: resolved).map { " (it looks like \($0.rawValue.uppercased()))" } ?? ""
            reader.error("\(what) \"\(written)\" is not \(kind.allowed) judging by its contents\(found)", at: node)
            return nil
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: resolved))?[.size] as? NSNumber)?.int64Value ?? 0
        let file = LocalFile(written: written, path: resolved, size: size, format: format)
        if let stamp = Self.stamp(joined) { Self.checked.withLock { $0[cacheKey] = (file, stamp) } }
        return file
    }

    /// Files that passed every check, by kind, root and path, with the stamp they had then.
    private static let checked = Mutex<[String: (file: LocalFile, stamp: Stamp)]>([:])

    struct Stamp: Equatable {
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
        var inode: UInt64
    }

    /// Size, modification time and inode of `path` (symlinks followed).
    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(
            size: Int64(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec,
            inode: UInt64(info.st_ino))
    }

    static func realpath(_ path: String) -> String {
        guard let p = Foundation.realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(p) }
        return String(cString: p)
    }
}
