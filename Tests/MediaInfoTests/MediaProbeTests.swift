import Foundation
import MediaInfo
import TestSupport
import Testing

/// The probe on real files of each container (Tests/Fixtures/media, made once with ffmpeg) and on
/// damaged, truncated and crafted bytes: it must read the real ones exactly and end every hostile one
/// in a `problem`, never in a crash, a hang or a made-up duration.
@Suite("Reading durations and picture sizes from media containers")
struct MediaProbeTests {
    static let media = packageRoot + "/Tests/Fixtures/media/"

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: media + name)))
    }

    @Test(
        "real files: duration and the video track's size, as ffprobe reports them",
        arguments: [
            ("clip-2s-320x240.mp4", 2.0, 320, 240),
            ("clip-3s-160x120.mov", 3.0, 160, 120),
            ("clip-1.5s-176x144.webm", 1.508, 176, 144),
            ("clip-2s-128x96.mkv", 2.0, 128, 96),
        ])
    func realFiles(name: String, seconds: Double, width: Int, height: Int) throws {
        let probe = MediaProbe.probe(path: Self.media + name)
        #expect(probe.problem == nil, "\(probe.problem ?? "")")
        let duration = try #require(probe.durationSeconds)
        #expect(abs(duration - seconds) < 0.05, "\(name): \(duration) s")
        #expect(
            probe.width == width && probe.height == height,
            "\(name): \(String(describing: probe.width))×\(String(describing: probe.height))")
        #expect(probe.lines == min(width, height))
        // The same from memory as from the file.
        #expect(MediaProbe.probe(ProbeArray(try Self.bytes(name))) == probe)
    }

    @Test("a fragmented MP4 whose movie header records no duration is refused with the reason, never guessed")
    func fragmented() {
        let probe = MediaProbe.probe(path: Self.media + "fragmented-2s-160x120.mp4")
        #expect(probe.durationSeconds == nil)
        #expect(probe.problem?.contains("records no duration (a fragmented") == true, "\(probe.problem ?? "")")
    }

    @Test("an audio-only MP4 has a duration and no picture size")
    func audioOnly() {
        let probe = MediaProbe.probe(path: Self.media + "audio-2.5s.m4a")
        #expect(probe.problem == nil)
        #expect(abs((probe.durationSeconds ?? 0) - 2.5) < 0.05)
        #expect(probe.width == nil && probe.height == nil && probe.lines == nil)
    }

    @Test(
        "other formats are refused by name, never guessed",
        arguments: [
            [UInt8]("RIFF\u{0}\u{0}\u{0}\u{0}AVI LIST".utf8),
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0],
            [UInt8]("just some text, not a video".utf8),
            [],
        ])
    func otherFormats(bytes: [UInt8]) {
        let probe = MediaProbe.probe(ProbeArray(bytes))
        #expect(probe.durationSeconds == nil)
        #expect(probe.problem?.contains("will not guess") == true, "\(probe.problem ?? "")")
    }

    @Test(
        "every truncation of every fixture ends in a duration or a problem, never a crash",
        arguments: [
            "clip-2s-320x240.mp4", "clip-3s-160x120.mov", "clip-1.5s-176x144.webm", "clip-2s-128x96.mkv", "audio-2.5s.m4a",
        ])
    func truncations(name: String) throws {
        let whole = try Self.bytes(name)
        let full = MediaProbe.probe(ProbeArray(whole))
        var cuts = Array(stride(from: 0, to: whole.count, by: max(1, whole.count / 300)))
        cuts += [1, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, whole.count - 1].filter { $0 >= 0 && $0 < whole.count }
        for cut in cuts {
            let probe = MediaProbe.probe(ProbeArray(Array(whole.prefix(cut))))
            // Either refused with a reason, or (the index is complete before the cut) the same answer.
            if let problem = probe.problem {
                #expect(probe.durationSeconds == nil)
                #expect(!problem.isEmpty)
            } else {
                #expect(probe.durationSeconds == full.durationSeconds, "\(name) cut at \(cut)")
            }
        }
    }

    @Test(
        "seeded byte corruption of every fixture never crashes or loops",
        arguments: [
            "clip-2s-320x240.mp4", "clip-3s-160x120.mov", "clip-1.5s-176x144.webm", "clip-2s-128x96.mkv",
        ])
    func corruption(name: String) throws {
        let whole = try Self.bytes(name)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        // Mostly the first 4 KiB, where the boxes and elements that matter are.
        for _ in 0..<400 {
            var bytes = whole
            for _ in 0..<(1 + Int(next() % 4)) {
                let index = Int(next() % UInt64(min(bytes.count, 4096)))
                bytes[index] = UInt8(truncatingIfNeeded: next())
            }
            let probe = MediaProbe.probe(ProbeArray(bytes))
            if let duration = probe.durationSeconds { #expect(duration.isFinite && duration > 0) }
            #expect(probe.problem != nil || probe.durationSeconds != nil)
        }
    }

    @Test("sizes that lie are refused: a box larger than the file, smaller than its header, a 64-bit size past the end")
    func lyingSizes() {
        func box(_ type: String, _ size: UInt32, _ content: [UInt8] = []) -> [UInt8] {
            withUnsafeBytes(of: size.bigEndian, Array.init) + Array(type.utf8) + content
        }
        let ftyp = box("ftyp", 16, Array("isom\u{0}\u{0}\u{0}\u{1}".utf8))
        let huge = MediaProbe.probe(ProbeArray(ftyp + box("moov", 0x7FFF_FFFF, [0, 0, 0, 0])))
        #expect(huge.problem?.contains("only") == true, "\(huge.problem ?? "")")
        let tiny = MediaProbe.probe(ProbeArray(ftyp + box("moov", 3)))
        #expect(tiny.problem?.contains("less than its own header") == true, "\(tiny.problem ?? "")")
        let large = MediaProbe.probe(ProbeArray(ftyp + box("moov", 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])))
        #expect(large.problem != nil)
        // A moov without a movie header.
        let empty = MediaProbe.probe(ProbeArray(ftyp + box("moov", 8)))
        #expect(empty.problem?.contains("mvhd") == true, "\(empty.problem ?? "")")
        // No moov at all.
        let bare = MediaProbe.probe(ProbeArray(ftyp + box("mdat", 12, [1, 2, 3, 4])))
        #expect(bare.problem?.contains("moov") == true)
    }

    @Test("a movie header with a zero timescale or an unknown duration gives no duration")
    func movieHeaders() {
        func mvhd(scale: UInt32, duration: UInt32) -> [UInt8] {
            var content: [UInt8] = [0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
            content += withUnsafeBytes(of: scale.bigEndian, Array.init) + withUnsafeBytes(of: duration.bigEndian, Array.init)
            content += [UInt8](repeating: 0, count: 80)
            let mvhdBox = withUnsafeBytes(of: UInt32(8 + content.count).bigEndian, Array.init) + Array("mvhd".utf8) + content
            let moov = withUnsafeBytes(of: UInt32(8 + mvhdBox.count).bigEndian, Array.init) + Array("moov".utf8) + mvhdBox
            return [0, 0, 0, 16] + Array("ftypisom\u{0}\u{0}\u{0}\u{1}".utf8) + moov
        }
        #expect(MediaProbe.probe(ProbeArray(mvhd(scale: 1000, duration: 4500))).durationSeconds == 4.5)
        #expect(MediaProbe.probe(ProbeArray(mvhd(scale: 0, duration: 4500))).problem?.contains("timescale") == true)
        #expect(MediaProbe.probe(ProbeArray(mvhd(scale: 1000, duration: 0xFFFF_FFFF))).problem?.contains("no duration") == true)
        #expect(MediaProbe.probe(ProbeArray(mvhd(scale: 1000, duration: 0))).problem?.contains("no duration") == true)
    }

    @Test("EBML: unknown sizes, sizes past the end and a Segment without Info are refused")
    func ebml() {
        let header: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x81, 0x77]  // DocType "w"
        // A Segment of unknown size holding a Cluster of unknown size: no Info before the media.
        let noInfo = MediaProbe.probe(ProbeArray(header + [0x18, 0x53, 0x80, 0x67, 0xFF, 0x1F, 0x43, 0xB6, 0x75, 0xFF, 0, 0]))
        #expect(noInfo.problem?.contains("Info") == true, "\(noInfo.problem ?? "")")
        // A Segment claiming 2^50 bytes.
        let past = MediaProbe.probe(ProbeArray(header + [0x18, 0x53, 0x80, 0x67, 0x01, 0x04, 0, 0, 0, 0, 0, 0]))
        #expect(past.problem?.contains("remain") == true, "\(past.problem ?? "")")
        // An id of more than 4 bytes (a zero first byte) is malformed.
        let malformed = MediaProbe.probe(ProbeArray(header + [0x00, 0x00, 0x00]))
        #expect(malformed.problem != nil)
        // Info with a duration of 1500 ms (float64) and the default timecode scale.
        let info: [UInt8] = [0x44, 0x89, 0x88] + withUnsafeBytes(of: Double(1500).bitPattern.bigEndian, Array.init)
        let segment: [UInt8] = [0x15, 0x49, 0xA9, 0x66, 0x80 | UInt8(info.count)] + info
        let ok = MediaProbe.probe(ProbeArray(header + [0x18, 0x53, 0x80, 0x67, 0x80 | UInt8(segment.count)] + segment))
        #expect(ok.durationSeconds == 1.5, "\(ok.problem ?? "")")
        #expect(ok.width == nil)
        // The same with a NaN duration: refused.
        let nan: [UInt8] = [0x44, 0x89, 0x88] + withUnsafeBytes(of: Double.nan.bitPattern.bigEndian, Array.init)
        let nanSegment: [UInt8] = [0x15, 0x49, 0xA9, 0x66, 0x80 | UInt8(nan.count)] + nan
        let refused = MediaProbe.probe(
            ProbeArray(header + [0x18, 0x53, 0x80, 0x67, 0x80 | UInt8(nanSegment.count)] + nanSegment))
        #expect(refused.durationSeconds == nil && refused.problem != nil)
    }

    @Test("a path that is not a regular file, or does not exist, is a problem, not a hang")
    func notRegular() throws {
        #expect(MediaProbe.probe(path: "/nonexistent/streamplan-probe").problem?.contains("cannot open") == true)
        #expect(MediaProbe.probe(path: NSTemporaryDirectory()).problem?.contains("not a regular file") == true)
        let fifo = NSTemporaryDirectory() + "probe-fifo-\(UUID().uuidString)"
        guard mkfifo(fifo, 0o600) == 0 else { return }
        defer { unlink(fifo) }
        #expect(MediaProbe.probe(path: fifo).problem?.contains("not a regular file") == true)
    }
}
