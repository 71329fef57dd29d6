import Foundation
import YAMLNodes

/// A WebVTT file under a video, per language: a caption (`captions:`) or a chapter list (`chapters:`).
public struct TextTrackSpec: Sendable, Hashable {
    /// The language tag, as the manifest's key writes it (`en`, `pt-BR`).
    public var language: String
    /// The path as written in the manifest.
    public var written: String
    /// The absolute path, symlinks resolved.
    public var path: String
    /// Where the language key is written.
    public var location: SourceLocation
    /// Set when the file is a Git LFS pointer (its WebVTT is not checked: the content is not fetched).
    public var lfs: LFSPointer?

    public init(language: String, written: String, path: String, location: SourceLocation, lfs: LFSPointer? = nil) {
        self.language = language
        self.written = written
        self.path = path
        self.location = location
        self.lfs = lfs
    }
}

/// `captions:`, `chapters:` and `default_caption:` of a video: language tags, and WebVTT files
/// checked offline (UTF-8, the `WEBVTT` header, every cue timing), reported at `file.vtt:line` and at
/// the manifest position that names the file.
enum TextTrackRules {
    /// AIOZ documents `lan` as a bare string; streamplan accepts BCP 47-style tags: a primary
    /// language of 2 or 3 lowercase letters, then optional subtags of 2 to 8 letters or digits
    /// (`en`, `vi`, `pt-BR`, `zh-Hant`), at most 35 characters. They go into URL paths as they are.
    static func isLanguageTag(_ tag: String) -> Bool {
        guard (2...35).contains(tag.count) else { return false }
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
            primary.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count)
                && part.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                }
        }
    }

    static let languageRule =
        "a language tag: 2 or 3 lowercase letters, then optional '-' subtags of 2 to 8 letters or digits (en, vi, pt-BR, zh-Hant)"

    /// The largest WebVTT file read (AIOZ documents no limit; a caption file is a few hundred KB).
    static let maxFileBytes = 16 << 20

    /// The length of one language's entry in the ownership mark (`en=` + 16 hex digits) and the
    /// mark's limit (AIOZ's metadata values hold 255 characters).
    static func markLength(_ languages: [String]) -> Int {
        languages.reduce(0) { $0 + $1.count + 1 + 16 } + max(0, languages.count - 1)
    }
    static let maxMarkLength = 255

    /// One WebVTT problem: the 1-based line in the file and what is wrong.
    struct Problem: Equatable {
        var line: Int
        var message: String
    }

    /// Checks WebVTT text: the `WEBVTT` header and every cue timing line
    /// (`[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]`, start ≤ end). The first problem, or nil.
    static func checkWebVTT(_ data: Data) -> Problem? {
        guard var text = String(data: data, encoding: .utf8) else {
            var line = 1
            // The line of the first byte that is not UTF-8.
            let bytes = [UInt8](data)
            var index = 0
            while index < bytes.count {
                let length = utf8Length(bytes, at: index)
                if length == 0 { break }
                if bytes[index] == 0x0A { line += 1 }
                index += length
            }
            return Problem(line: line, message: "is not UTF-8 text (WebVTT files are UTF-8)")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let header = lines.first.map(String.init) ?? ""
        guard header == "WEBVTT" || header.hasPrefix("WEBVTT ") || header.hasPrefix("WEBVTT\t") else {
            return Problem(line: 1, message: "does not start with the WebVTT header \"WEBVTT\" (found \"\(header.prefix(40))\")")
        }
        // After the header block, blocks are separated by blank lines. A cue is an optional identifier
        // line, its timing line, then its text; NOTE, STYLE and REGION blocks are not cues. A block
        // without a timing line would be dropped by players without a word, so it is an error here.
        func blank(_ line: Substring) -> Bool { line.allSatisfy(\.isWhitespace) }
        var cues = 0
        var index = 1
        while index < lines.count, !blank(lines[index]) { index += 1 }
        while index < lines.count {
            if blank(lines[index]) {
                index += 1
                continue
            }
            let start = index
            while index < lines.count, !blank(lines[index]) { index += 1 }
            let first = String(lines[start])
            if first == "NOTE" || first.hasPrefix("NOTE ") || first.hasPrefix("NOTE\t") || first == "STYLE" || first == "REGION" {
                continue
            }
            let timing = first.contains("-->") ? start : start + 1
            guard timing < index, lines[timing].contains("-->") else {
                return Problem(
                    line: start + 1,
                    message: "has a block that is not a cue: neither its first line nor its second is a timing line "
                        + "(\"start --> end\"); found \"\(first.prefix(40))\"")
            }
            let line = String(lines[timing])
            let number = timing + 1
            let sides = line.components(separatedBy: "-->")
            guard sides.count == 2 else {
                return Problem(line: number, message: "has more than one \"-->\" in the cue timing \"\(line.prefix(80))\"")
            }
            let from = sides[0].trimmingCharacters(in: .whitespaces)
            let rest = sides[1].trimmingCharacters(in: .whitespaces)
            let end = String(rest.prefix { !$0.isWhitespace })
            guard let fromMS = milliseconds(from) else {
                return Problem(line: number, message: "cue start \"\(from.prefix(40))\" is not a timestamp (\(timestampForm))")
            }
            guard let toMS = milliseconds(end) else {
                return Problem(line: number, message: "cue end \"\(end.prefix(40))\" is not a timestamp (\(timestampForm))")
            }
            guard fromMS <= toMS else {
                return Problem(line: number, message: "cue ends (\(end)) before it starts (\(from))")
            }
            cues += 1
        }
        guard cues > 0 else {
            return Problem(line: lines.count, message: "has no cues (no \"start --> end\" timing line)")
        }
        return nil
    }

    static let timestampForm = "hh:mm:ss.ttt, hours of 2 to \(maxHourDigits) digits, or mm:ss.ttt"
    /// Hours of at most 9 digits (over 100,000 years): every timestamp then fits an `Int` in
    /// milliseconds, so the arithmetic below cannot overflow, whatever the file holds (issue 26).
    static let maxHourDigits = 9

    /// `hh:mm:ss.ttt` (hours: 2 to `maxHourDigits` digits) or `mm:ss.ttt`, in milliseconds.
    static func milliseconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count) else { return nil }
        let secondsPart = parts[parts.count - 1].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard secondsPart.count == 2, secondsPart[0].count == 2, secondsPart[1].count == 3 else { return nil }
        func digits(_ s: String) -> Int? { s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) ? Int(s) : nil }
        let minutesText = parts[parts.count - 2]
        guard minutesText.count == 2, let minutes = digits(minutesText), minutes < 60,
            let seconds = digits(secondsPart[0]), seconds < 60, let fraction = digits(secondsPart[1])
        else { return nil }
        var hours = 0
        if parts.count == 3 {
            guard (2...maxHourDigits).contains(parts[0].count), let h = digits(parts[0]) else { return nil }
            hours = h
        }
        return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction
    }

    private static func utf8Length(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        let length: Int
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return 0 }
        return length
    }
}

extension FragmentDecoder {
    /// `captions:` or `chapters:` — a mapping of language tags to WebVTT files; nil after an error.
    mutating func textTracks(_ node: YAMLNode, key: String, video: String) -> [TextTrackSpec]? {
        let what = "video.\(video) \(key)"
        guard let pairs = node.mapping else {
            reader.error(
                "\(key) must be a mapping of language tags to WebVTT files, e.g. `\(key): {en: subs/en.vtt}`, not \(node.kindDescription)",
                at: node)
            return nil
        }
        var tracks: [TextTrackSpec] = []
        var ok = true
        for pair in pairs {
            guard let language = pair.key.scalar?.value else {
                reader.error("\(what): keys must be language tags, not \(pair.key.kindDescription)", at: pair.key)
                ok = false
                continue
            }
            guard TextTrackRules.isLanguageTag(language) else {
                reader.error("\(what): \"\(language)\" is not \(TextTrackRules.languageRule)", at: pair.key)
                ok = false
                continue
            }
            guard let written = reader.string(pair.value, what: "the \(key) file of \(language)") else {
                ok = false
                continue
            }
            guard let (path, pointer) = webVTTFile(written, what: "\(what) \(language)", node: pair.value) else {
                ok = false
                continue
            }
            tracks.append(
                TextTrackSpec(
                    language: language, written: written, path: path, location: reader.location(pair.key), lfs: pointer))
        }
        if TextTrackRules.markLength(tracks.map(\.language)) > TextTrackRules.maxMarkLength {
            reader.error(
                "\(what): \(tracks.count) languages are more than streamplan can record: it keeps each language's hash "
                    + "in one metadata value of at most \(TextTrackRules.maxMarkLength) characters (about 12 languages)",
                at: node)
            ok = false
        }
        return ok ? tracks : nil
    }

    /// Resolves and checks one WebVTT file; its absolute path (and its pointer when it is a Git LFS
    /// pointer, whose WebVTT cannot be checked without fetching it), or nil after reporting.
    private mutating func webVTTFile(_ written: String, what: String, node: YAMLNode) -> (String, LFSPointer?)? {
        guard !written.isEmpty else {
            reader.error("\(what): the file must be named", at: node)
            return nil
        }
        if RemoteSource.isRemote(written) {
            reader.error(
                "\(what): \"\(written.prefix(200))\" is a URL; only a video's source and thumbnail may be a URL or an S3 object, "
                    + "this must be a local file", at: node)
            return nil
        }
        let base = Paths.directory(of: reader.file)
        let joined = written.hasPrefix("/") ? written : (base.isEmpty ? written : base + "/" + written)
        guard FileManager.default.fileExists(atPath: joined) else {
            var message =
                "\(what): file \"\(written)\" does not exist (looked for \(joined); paths are relative to the manifest file)"
            if let guess = LocalFileRules.similarFile(written: written, joined: joined) {
                message += "; did you mean \"\(guess)\"?"
            }
            reader.error(message, at: node)
            return nil
        }
        let resolved = LocalFileRules.realpath(joined)
        let root = files.root
        guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            reader.error(
                "\(what): \"\(written)\" resolves to \(resolved), outside \(root); "
                    + "manifests may only name files under the directory that holds them", at: node)
            return nil
        }
        if let irregular = RegularFile.irregularKind(resolved) {
            reader.error("\(what): \"\(written)\" is \(irregular), not a regular file; name a WebVTT (.vtt) file", at: node)
            return nil
        }
        switch LFSPointer.read(path: resolved) {
        case .failure(let problem)?:
            reader.error("\(what): \"\(written)\" is a malformed Git LFS pointer: \(problem); \(LFSPointer.allowed)", at: node)
            return nil
        case .success(let pointer)?:
            return (resolved, pointer)
        case nil:
            break
        }
        guard let handle = FileHandle(forReadingAtPath: resolved) else {
            reader.error("\(what): \"\(written)\" cannot be read", at: node)
            return nil
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: TextTrackRules.maxFileBytes + 1)) ?? Data()
        guard data.count <= TextTrackRules.maxFileBytes else {
            reader.error(
                "\(what): \"\(written)\" is larger than \(TextTrackRules.maxFileBytes >> 20) MiB; not a caption file", at: node)
            return nil
        }
        if let problem = TextTrackRules.checkWebVTT(data) {
            reader.error("\(what): \(written):\(problem.line): \(problem.message)", at: node)
            return nil
        }
        return (resolved, nil)
    }

    /// `default_caption:` must name one of the video's captions.
    mutating func defaultCaption(_ node: YAMLNode, captions: [TextTrackSpec]?, video: String) -> String? {
        guard let language = reader.string(node, what: "default_caption") else { return nil }
        guard let captions else {
            return nil  // The captions' own errors are reported.
        }
        guard captions.contains(where: { $0.language == language }) else {
            let names = captions.map(\.language)
            var message =
                names.isEmpty
                ? "video.\(video): default_caption \"\(language)\" names no caption; the video has no captions"
                : "video.\(video): default_caption \"\(language)\" is not one of the video's captions (\(names.joined(separator: ", ")))"
            if let guess = Suggest.closest(to: language, in: names) { message += "; did you mean \"\(guess)\"?" }
            reader.error(message, at: node)
            return nil
        }
        return language
    }
}
