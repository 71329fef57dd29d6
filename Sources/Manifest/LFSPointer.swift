import Foundation

/// A Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): what a
/// repository holds in place of a large file when the content is not checked out. Its `oid` is the
/// SHA-256 of the content, exactly what the source mark compares, so a plan needs no byte of media.
public struct LFSPointer: Sendable, Hashable, Codable {
    /// The lowercase hex SHA-256 of the content.
    public var oid: String
    /// The content's size in bytes.
    public var size: Int64

    public init(oid: String, size: Int64) {
        self.oid = oid
        self.size = size
    }

    /// The first line of every pointer of version 1.
    public static let versionLine = "version https://git-lfs.github.com/spec/v1"
    /// Pointer files are smaller than this (the specification's limit).
    public static let maxBytes = 1024

    /// What a valid pointer looks like, for messages.
    public static let allowed =
        "a Git LFS pointer is at most 1023 bytes of UTF-8 lines ending in LF: \"\(versionLine)\", then keys in "
        + "alphabetical order, among them \"oid sha256:<64 lowercase hex digits>\" and \"size <bytes>\""

    /// Whether `head` (a file's first bytes) starts like a pointer: such a file is read as one, and
    /// reported as a malformed pointer when it is not a valid one.
    public static func looksLikePointer(_ head: some Collection<UInt8>) -> Bool {
        head.starts(with: Array("version https://git-lfs".utf8))
            || head.starts(with: Array("version https://hawser".utf8))
    }

    /// Parses a pointer; the reason it is not a valid one otherwise.
    public static func parse(_ data: Data) -> Result<LFSPointer, LFSPointerError> {
        func fail(_ message: String) -> Result<LFSPointer, LFSPointerError> { .failure(LFSPointerError(message: message)) }
        guard data.count < maxBytes else { return fail("it is \(data.count) bytes; a pointer is smaller than \(maxBytes)") }
        guard let text = String(data: data, encoding: .utf8) else { return fail("it is not UTF-8 text") }
        guard !text.contains("\r") else { return fail("its lines end in CR LF; a pointer's end in LF only") }
        guard text.hasSuffix("\n") else { return fail("its last line does not end in LF") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Git LFS still reads pointers written by its pre-release name, Hawser.
        guard lines.first == versionLine || lines.first == "version https://hawser.github.com/spec/v1" else {
            return fail("its first line is \"\(lines.first?.prefix(60) ?? "")\", not \"\(versionLine)\"")
        }
        var oid: String?
        var size: Int64?
        var previousKey: String?
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            guard let space = line.firstIndex(of: " ") else {
                return fail("line \(number) \"\(line.prefix(60))\" is not \"key value\"")
            }
            let key = String(line[..<space])
            let value = String(line[line.index(after: space)...])
            guard !key.isEmpty,
                key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" })
            else { return fail("line \(number): the key \"\(key.prefix(40))\" is not lowercase letters, digits, '.' or '-'") }
            guard !value.contains("\n") else { return fail("line \(number): a value holds a line break") }
            if let previousKey, key <= previousKey {
                return fail(
                    "line \(number): key \"\(key)\" \(key == previousKey ? "is repeated" : "comes after \"\(previousKey)\"; keys are sorted")"
                )
            }
            previousKey = key
            switch key {
            case "oid":
                guard value.hasPrefix("sha256:") else {
                    return fail("line \(number): the oid \"\(value.prefix(40))\" is not \"sha256:<64 hex digits>\"")
                }
                let hex = value.dropFirst("sha256:".count)
                guard hex.count == 64, hex.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
                else {
                    return fail("line \(number): the oid's hash is not 64 lowercase hex digits")
                }
                oid = String(hex)
            case "size":
                guard !value.isEmpty, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let bytes = Int64(value)
                else {
                    return fail("line \(number): the size \"\(value.prefix(40))\" is not a number of bytes")
                }
                size = bytes
            default:
                continue  // Extension keys (ext-0-…) are allowed by the specification.
            }
        }
        guard let oid else { return fail("it has no \"oid sha256:…\" line") }
        guard let size else { return fail("it has no \"size …\" line") }
        return .success(LFSPointer(oid: oid, size: size))
    }

    /// The pointer at `path`: nil when the file does not start like a pointer, a failure when it is a
    /// malformed one. Reads at most `maxBytes` + 1 bytes.
    public static func read(path: String) -> Result<LFSPointer, LFSPointerError>? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard looksLikePointer(data) else { return nil }
        return parse(data)
    }

    /// The text of this pointer, as Git LFS writes it.
    public var text: String { "\(Self.versionLine)\noid sha256:\(oid)\nsize \(size)\n" }
}

/// Why a file that starts like a Git LFS pointer is not a valid one.
public struct LFSPointerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension MediaFormat {
    /// The format an LFS pointer's path names by its extension (the content is not at hand to sniff).
    public static func fromExtension(_ path: String) -> MediaFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4": .mp4
        case "mov", "qt": .mov
        case "m4v": .m4v
        case "webm": .webm
        case "avi": .avi
        case "mp3": .mp3
        case "m4a": .m4a
        case "wav": .wav
        case "flac": .flac
        case "ogg", "oga", "opus": .ogg
        case "png": .png
        case "jpg", "jpeg": .jpeg
        default: nil
        }
    }
}
