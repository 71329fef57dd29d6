/// Durations of the audio-only containers, read from what each records about itself, never estimated:
/// WAV (`fmt ` byte rate and `data` size), FLAC (STREAMINFO's sample rate and total samples), MP3 (the
/// frame count of a Xing/Info or VBRI header) and Ogg (the last page's granule position, with Vorbis's
/// sample rate or Opus's fixed 48 kHz and pre-skip). A file that does not record its duration (an MP3
/// without such a header: its length would have to be guessed from a bitrate) is a problem.
enum AudioProbe {
    static func isAudio(_ head: [UInt8]) -> Bool {
        wav(head) || head.starts(with: Array("fLaC".utf8)) || head.starts(with: Array("OggS".utf8)) || mpeg(head)
    }

    static func wav(_ head: [UInt8]) -> Bool {
        head.count >= 12 && head.starts(with: Array("RIFF".utf8)) && Array(head[8..<12]) == Array("WAVE".utf8)
    }

    static func mpeg(_ head: [UInt8]) -> Bool {
        head.starts(with: Array("ID3".utf8))
            || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 && (head[1] >> 1) & 3 != 0)
    }

    static func probe(_ bytes: some ProbeBytes, head: [UInt8]) throws -> SourceProbe {
        if wav(head) { return try wave(bytes) }
        if head.starts(with: Array("fLaC".utf8)) { return try flac(bytes) }
        if head.starts(with: Array("OggS".utf8)) { return try ogg(bytes) }
        return try mp3(bytes)
    }

    static func littleEndian(_ b: [UInt8], _ at: Int, _ width: Int) -> UInt64? {
        guard at >= 0, at + width <= b.count else { return nil }
        var value: UInt64 = 0
        for i in (0..<width).reversed() { value = value << 8 | UInt64(b[at + i]) }
        return value
    }

    static func bigEndian(_ b: [UInt8], _ at: Int, _ width: Int) -> UInt64? {
        guard at >= 0, at + width <= b.count else { return nil }
        return ByteCursor(b).uint(at: at, width)
    }

    /// RIFF/WAVE: the chunks after the 12-byte header, bounded by the file and by `maxVisits`.
    static func wave(_ bytes: some ProbeBytes) throws -> SourceProbe {
        var offset: Int64 = 12
        var byteRate: UInt64?
        var dataSize: UInt64?
        var visits = 0
        while offset + 8 <= bytes.size, visits < MediaProbe.maxVisits, dataSize == nil || byteRate == nil {
            visits += 1
            let header = try bytes.read(at: offset, count: 8)
            guard header.count == 8, let size = littleEndian(header, 4, 4) else { break }
            let id = String(decoding: header[0..<4], as: UTF8.self)
            if id == "fmt " {
                let fmt = try bytes.read(at: offset + 8, count: 16)
                byteRate = littleEndian(fmt, 8, 4)
            } else if id == "data" {
                // A streamed WAV may say 0 or 0xFFFFFFFF: then the data runs to the end of the file.
                let rest = UInt64(max(0, bytes.size - offset - 8))
                if size == 0 || size == 0xFFFF_FFFF {
                    dataSize = rest
                } else if size > rest {
                    return .failed("this WAV file is cut off: its data chunk says \(size) bytes and \(rest) are there")
                } else {
                    dataSize = size
                }
            }
            offset += 8 + Int64(size) + Int64(size & 1)
        }
        guard let byteRate, byteRate > 0 else { return .failed("this WAV file has no readable `fmt ` chunk (byte rate)") }
        guard let dataSize else { return .failed("this WAV file has no `data` chunk") }
        return SourceProbe(durationSeconds: Double(dataSize) / Double(byteRate))
    }

    /// FLAC: STREAMINFO is the first metadata block (`fLaC`, a 4-byte block header, 34 bytes).
    static func flac(_ bytes: some ProbeBytes) throws -> SourceProbe {
        let b = try bytes.read(at: 0, count: 8 + 34)
        guard b.count == 42, b[4] & 0x7F == 0 else { return .failed("this FLAC file does not start with its STREAMINFO block") }
        let info = Array(b[8...])
        let rate = UInt64(info[10]) << 12 | UInt64(info[11]) << 4 | UInt64(info[12]) >> 4
        let samples = UInt64(info[13] & 0x0F) << 32 | (bigEndian(info, 14, 4) ?? 0)
        guard rate > 0, samples > 0 else { return .failed("this FLAC file does not record its number of samples") }
        return SourceProbe(durationSeconds: Double(samples) / Double(rate))
    }

    /// MP3: after any ID3v2 tag, the first frame's Xing/Info or VBRI header gives the frame count.
    static func mp3(_ bytes: some ProbeBytes) throws -> SourceProbe {
        var offset: Int64 = 0
        let tag = try bytes.read(at: 0, count: 10)
        if tag.starts(with: Array("ID3".utf8)), tag.count == 10 {
            let size = tag[6..<10].reduce(Int64(0)) { $0 << 7 | Int64($1 & 0x7F) }
            offset = 10 + size + (tag[5] & 0x10 != 0 ? 10 : 0)
        }
        let frame = try bytes.read(at: offset, count: 200)
        guard frame.count >= 4, frame[0] == 0xFF, frame[1] & 0xE0 == 0xE0 else {
            return .failed("no MPEG audio frame where this MP3 file's first frame should be")
        }
        let version = (frame[1] >> 3) & 3  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        let layer = (frame[1] >> 1) & 3  // 1: Layer III, 2: Layer II, 3: Layer I
        let rates: [UInt64] = [44100, 48000, 32000]
        let rateIndex = Int((frame[2] >> 2) & 3)
        guard version != 1, layer != 0, rateIndex < 3 else { return .failed("this MP3 file's first frame header is not valid") }
        let rate = rates[rateIndex] / (version == 3 ? 1 : version == 2 ? 2 : 4)
        let samplesPerFrame: UInt64 = layer == 3 ? 384 : (layer == 2 || version == 3) ? 1152 : 576
        let mono = (frame[3] >> 6) == 3
        let side = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17)
        var frames: UInt64?
        let xing = 4 + side
        if frame.count >= xing + 12, ["Xing", "Info"].contains(String(decoding: frame[xing..<xing + 4], as: UTF8.self)),
            let flags = bigEndian(frame, xing + 4, 4), flags & 1 != 0
        {
            frames = bigEndian(frame, xing + 8, 4)
        } else if frame.count >= 36 + 18, String(decoding: frame[36..<40], as: UTF8.self) == "VBRI" {
            frames = bigEndian(frame, 36 + 14, 4)
        }
        guard let frames, frames > 0 else {
            return .failed(
                "this MP3 file has no Xing/Info or VBRI header, so it does not record its duration (streamplan will not "
                    + "estimate it from a bitrate)")
        }
        return SourceProbe(durationSeconds: Double(frames * samplesPerFrame) / Double(rate))
    }

    /// Ogg: the first page's codec header (Vorbis: its sample rate; Opus: 48 kHz and its pre-skip), and the
    /// granule position of the last page in the file's last 64 KiB.
    static func ogg(_ bytes: some ProbeBytes) throws -> SourceProbe {
        let first = try bytes.read(at: 0, count: 27 + 255 + 64)
        guard first.count > 27 else { return .failed("this Ogg file is cut off") }
        let body = 27 + Int(first[26])
        guard body < first.count else { return .failed("this Ogg file is cut off") }
        let packet = Array(first[body...])
        let rate: UInt64
        var preSkip: UInt64 = 0
        if packet.starts(with: Array("OpusHead".utf8)) {
            rate = 48000
            preSkip = littleEndian(packet, 10, 2) ?? 0
        } else if packet.starts(with: [0x01] + Array("vorbis".utf8)), let r = littleEndian(packet, 12, 4) {
            rate = r
        } else {
            return .failed("this Ogg file holds neither Vorbis nor Opus audio")
        }
        let window = min(bytes.size, 65536)
        let tail = try bytes.read(at: bytes.size - window, count: Int(window))
        let capture = Array("OggS".utf8)
        var granule: UInt64?
        var i = tail.count - 27
        while i >= 0 {
            if tail[i] == capture[0], Array(tail[i..<i + 4]) == capture, let g = littleEndian(tail, i + 6, 8), g != UInt64.max {
                granule = g
                break
            }
            i -= 1
        }
        guard rate > 0, let granule, granule > preSkip else { return .failed("this Ogg file does not record its length") }
        return SourceProbe(durationSeconds: Double(granule - preSkip) / Double(rate))
    }
}
