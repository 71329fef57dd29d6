import Foundation
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
        return LocalFile(written: written, path: resolved, size: size, format: format)
    }

    static func realpath(_ path: String) -> String {
        guard let p = Foundation.realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(p) }
        return String(cString: p)
    }
}
