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
        /// A player's logo image.
        case logo

        var allowed: String {
            switch self {
            case .source: "MP4, MOV, M4V, WebM or AVI"
            case .thumbnail, .logo: "PNG or JPEG"
            }
        }

        /// The extensions that name the allowed formats (an LFS pointer's format is judged by them).
        var extensions: String {
            switch self {
            case .source: ".mp4, .mov, .m4v, .webm, .avi; audio: .mp3, .m4a, .wav, .flac, .ogg, .opus"
            case .thumbnail, .logo: ".png, .jpg, .jpeg"
            }
        }

        func accepts(_ format: MediaFormat) -> Bool {
            switch self {
            case .source: format.isVideo || format.isAudio
            case .thumbnail, .logo: format.isImage
            }
        }
    }

    func check(
        _ written: String, kind: Kind, manifestFile: String, node: YAMLNode,
        into reader: inout NodeReader
    ) -> LocalFile? {
        let what =
            switch kind {
            case .source: "source"
            case .thumbnail: "thumbnail"
            case .logo: "logo image"
            }
        if written.isEmpty {
            reader.error("\(what) must name a file", at: node)
            return nil
        }
        if RemoteSource.isRemote(written) {
            reader.error(
                "\(what) \"\(written.prefix(200))\" is a URL; only a video's source and thumbnail may be a URL or an S3 object, "
                    + "this must be a local file", at: node)
            return nil
        }
        let base = Paths.directory(of: manifestFile)
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
            var message =
                "\(what) file \"\(written)\" does not exist (looked for \(joined); paths are relative to the manifest file)"
            if let guess = Self.similarFile(written: written, joined: joined) { message += "; did you mean \"\(guess)\"?" }
            reader.error(message, at: node)
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
        switch LFSPointer.read(path: resolved) {
        case .failure(let problem)?:
            reader.error("\(what) \"\(written)\" is a malformed Git LFS pointer: \(problem); \(LFSPointer.allowed)", at: node)
            return nil
        case .success(let pointer)?:
            guard let format = MediaFormat.fromExtension(resolved), kind.accepts(format) else {
                reader.error(
                    "\(what) \"\(written)\" is a Git LFS pointer whose content is not fetched, so its format is judged by "
                        + "the file name's extension, which must name \(kind.allowed) (\(kind.extensions))", at: node)
                return nil
            }
            let file = LocalFile(written: written, path: resolved, size: pointer.size, format: format, lfs: pointer)
            if let stamp = Self.stamp(joined) { Self.checked.withLock { $0[cacheKey] = (file, stamp) } }
            return file
        case nil:
            break
        }
        guard let format = MediaFormat.sniff(path: resolved), kind.accepts(format) else {
            let found =
                " (it looks like \(MediaFormat.sniff(path: resolved).map { $0.rawValue.uppercased() } ?? ContentGuess.describe(path: resolved)))"
            let audio = kind == .source ? "; an audio media (`type: audio`) may also be MP3, M4A, WAV, FLAC or Ogg" : ""
            reader.error("\(what) \"\(written)\" is not \(kind.allowed) judging by its contents\(found)\(audio)", at: node)
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

extension LocalFileRules {
    /// A file beside the missing one whose name is close to it (a typo, another extension), written the
    /// way the manifest wrote the missing one.
    static func similarFile(written: String, joined: String) -> String? {
        let directory = Paths.directory(of: joined)
        let name = (joined as NSString).lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let files = entries.filter { !$0.hasPrefix(".") }
        let stem = (name as NSString).deletingPathExtension
        let guess =
            Suggest.closest(to: name, in: files)
            ?? files.first { ($0 as NSString).deletingPathExtension == stem }
        guard let guess, guess != name else { return nil }
        let prefix = Paths.directory(of: written)
        return prefix.isEmpty ? guess : prefix + "/" + guess
    }
}

/// What a file that is not an accepted media type looks like, for error messages.
enum ContentGuess {
    static func describe(path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "unreadable" }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 512)) ?? Data())
        return describe(head)
    }

    static func describe(_ head: [UInt8]) -> String {
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        if head.isEmpty { return "an empty file" }
        if starts(Array("%PDF".utf8)) { return "a PDF document" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive" }
        if starts(Array("GIF8".utf8)) { return "a GIF image" }
        if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) { return "MP3 audio" }
        if starts(Array("RIFF".utf8)), starts(Array("WAVE".utf8), at: 8) { return "WAV audio" }
        if starts(Array("fLaC".utf8)) { return "FLAC audio" }
        if starts(Array("OggS".utf8)) { return "an Ogg file" }
        if starts([0x1F, 0x8B]) { return "gzip-compressed data" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "a WebP image" }
        if let text = String(validating: head, as: UTF8.self) ?? String(validating: head.dropLast(3), as: UTF8.self),
            !text.contains(where: { $0.asciiValue.map { $0 < 9 || ($0 > 13 && $0 < 32) } ?? false })
        {
            let lower = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return "an HTML page" }
            if lower.hasPrefix("<?xml") { return "an XML document" }
            if lower.hasPrefix("{") || lower.hasPrefix("[") { return "JSON text" }
            return "text"
        }
        let shown = head.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "unknown binary data starting \(shown)"
    }
}
