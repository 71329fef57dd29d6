import Foundation
import MediaInfo
import TestSupport
import Testing

/// Durations of the audio-only containers (Tests/Fixtures/media: a 1 s sine made with Python's `wave`,
/// then `lame -V 9` and `flac -8`), read from what each file records, never estimated.
@Suite("Reading durations from audio containers")
struct AudioProbeTests {
    static let media = packageRoot + "/Tests/Fixtures/media/"

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: media + name)))
    }

    @Test(
        "real files: the recorded duration and no picture",
        arguments: [
            // 8000 bytes of 8-bit mono at 8 kHz.
            ("audio-1s.wav", 1.0),
            // STREAMINFO: 8000 samples at 8 kHz.
            ("audio-1s.flac", 1.0),
            // The Xing header counts 41 MPEG-2 frames of 576 samples at 22050 Hz (the encoder's padding included).
            ("audio-1s.mp3", 41.0 * 576 / 22050),
        ])
    func realFiles(name: String, seconds: Double) throws {
        let probe = MediaProbe.probe(path: Self.media + name)
        #expect(probe.problem == nil, "\(probe.problem ?? "")")
        #expect(abs((probe.durationSeconds ?? 0) - seconds) < 0.0005, "\(name): \(probe.durationSeconds ?? 0)")
        #expect(probe.width == nil && probe.height == nil)
        #expect(MediaProbe.probe(ProbeArray(try Self.bytes(name))) == probe)
    }

    @Test("an MP3 without a Xing/Info or VBRI header does not record its duration: refused, never estimated")
    func mp3WithoutHeader() throws {
        var bytes = try Self.bytes("audio-1s.mp3")
        bytes.replaceSubrange(13..<17, with: Array("Junk".utf8))
        let probe = MediaProbe.probe(ProbeArray(bytes))
        #expect(probe.durationSeconds == nil)
        #expect(probe.problem?.contains("will not estimate it from a bitrate") == true, "\(probe.problem ?? "")")
    }

    @Test("a WAV whose data chunk is cut off is refused with the sizes")
    func cutWAV() throws {
        let probe = MediaProbe.probe(ProbeArray(Array(try Self.bytes("audio-1s.wav").prefix(4000))))
        #expect(probe.problem?.contains("is cut off: its data chunk says 8000 bytes") == true, "\(probe.problem ?? "")")
    }

    /// An Ogg page: capture, version, flags, granule (LE), serial, sequence, CRC (not checked), one segment.
    static func oggPage(granule: UInt64, packet: [UInt8]) -> [UInt8] {
        var page = Array("OggS".utf8) + [0, 0]
        page += (0..<8).map { UInt8(truncatingIfNeeded: granule >> (8 * $0)) }
        page += [UInt8](repeating: 0, count: 12) + [1, UInt8(packet.count)]
        return page + packet
    }

    @Test("Ogg: the last page's granule, at Opus's 48 kHz less its pre-skip, or at Vorbis's sample rate")
    func ogg() {
        // OpusHead, version 1, 1 channel, pre-skip 312.
        let opus = Array("OpusHead".utf8) + [1, 1, 0x38, 0x01] + [UInt8](repeating: 0, count: 11)
        let opusFile = Self.oggPage(granule: 0, packet: opus) + Self.oggPage(granule: 96_312, packet: [0, 0, 0])
        #expect(MediaProbe.probe(ProbeArray(opusFile)).durationSeconds == 2.0)
        // Vorbis identification header: 0x01 "vorbis", version 0, 2 channels, 44100 Hz.
        let vorbis = [1] + Array("vorbis".utf8) + [0, 0, 0, 0, 2, 0x44, 0xAC, 0, 0] + [UInt8](repeating: 0, count: 14)
        let vorbisFile = Self.oggPage(granule: 0, packet: vorbis) + Self.oggPage(granule: 22050, packet: [0])
        #expect(MediaProbe.probe(ProbeArray(vorbisFile)).durationSeconds == 0.5)
        let other = Self.oggPage(granule: 0, packet: Array("Speex   ".utf8)) + Self.oggPage(granule: 10, packet: [0])
        #expect(MediaProbe.probe(ProbeArray(other)).problem?.contains("neither Vorbis nor Opus") == true)
    }

    @Test(
        "every truncation and seeded corruption of the audio fixtures ends in a duration or a problem",
        arguments: ["audio-1s.wav", "audio-1s.flac", "audio-1s.mp3"])
    func hostile(name: String) throws {
        let whole = try Self.bytes(name)
        let full = MediaProbe.probe(ProbeArray(whole))
        for cut in stride(from: 0, to: whole.count, by: max(1, whole.count / 200)) {
            let probe = MediaProbe.probe(ProbeArray(Array(whole.prefix(cut))))
            if probe.problem == nil { #expect(probe.durationSeconds == full.durationSeconds, "\(name) cut at \(cut)") }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            var bytes = whole
            for _ in 0..<3 {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                bytes[Int(state % UInt64(min(bytes.count, 256)))] = UInt8(truncatingIfNeeded: state >> 32)
            }
            let probe = MediaProbe.probe(ProbeArray(bytes))
            #expect(probe.problem != nil || probe.durationSeconds != nil)
        }
    }
}
