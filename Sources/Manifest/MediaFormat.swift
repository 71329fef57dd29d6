import Foundation
import YAMLNodes

/// A media container recognised by its leading bytes, never by its file extension.
public enum MediaFormat: String, Sendable, Hashable, Codable {
    case mp4, mov, m4v, webm, avi, png, jpeg
    /// Audio-only containers (a `type: audio` media's source): MPEG audio, MP4 audio (the `M4A ` brand),
    /// WAV, FLAC and Ogg (Vorbis or Opus).
    case mp3, m4a, wav, flac, ogg

    /// Whether AIOZ Stream accepts files of this kind as a video source.
    public var isVideo: Bool { [.mp4, .mov, .m4v, .webm, .avi].contains(self) }
    /// Whether the container holds audio only, whatever its content (MP4 and WebM may hold either:
    /// those are told apart by their tracks, `MediaProbe`).
    public var isAudio: Bool { [.mp3, .m4a, .wav, .flac, .ogg].contains(self) }
    /// Whether AIOZ Stream accepts files of this kind as a thumbnail.
    public var isImage: Bool { self == .png || self == .jpeg }

    /// The MIME type to send with an upload.
    public var mimeType: String {
        switch self {
        case .mp4: "video/mp4"
        case .mov: "video/quicktime"
        case .m4v: "video/x-m4v"
        case .webm: "video/webm"
        case .avi: "video/x-msvideo"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .mp3: "audio/mpeg"
        case .m4a: "audio/mp4"
        case .wav: "audio/wav"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        }
    }

    /// Recognises a format from a file's first bytes (at least 12; up to 4 KiB helps WebM).
    public static func sniff(_ head: [UInt8]) -> MediaFormat? {
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("AVI ".utf8) { return .avi }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WAVE".utf8) { return .wav }
        if head.starts(with: Array("fLaC".utf8)) { return .flac }
        if head.starts(with: Array("OggS".utf8)) { return .ogg }
        // An ID3v2 tag, or an MPEG audio frame header: 11 sync bits, then a layer that is not 00
        // (00 is AAC's ADTS, which is not accepted: AAC is taken in an MP4 container).
        if head.starts(with: Array("ID3".utf8)) { return .mp3 }
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xE0 == 0xE0, (head[1] >> 1) & 0x3 != 0 { return .mp3 }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) {
            // EBML: WebM declares DocType "webm"; other Matroska files are not accepted.
            return contains(head, Array("webm".utf8)) ? .webm : nil
        }
        guard head.count >= 12 else { return nil }
        let box = String(decoding: head[4..<8], as: UTF8.self)
        if box == "ftyp" {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if brand == "qt  " { return .mov }
            if brand.hasPrefix("M4V") { return .m4v }
            if brand == "M4A " || brand == "M4B " { return .m4a }
            return .mp4
        }
        // QuickTime files without an ftyp box start with one of these atoms.
        if ["moov", "mdat", "wide", "free", "skip", "pnot"].contains(box) { return .mov }
        return nil
    }

    /// Reads the first bytes of the file at `path` and recognises its format.
    public static func sniff(path: String) -> MediaFormat? {
        guard case .success(let handle) = RegularFile.open(path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 4096)) ?? Data()
        return sniff([UInt8](data))
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}
