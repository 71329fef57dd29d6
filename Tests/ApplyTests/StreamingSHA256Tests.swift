import Apply
import Foundation
import SandboxTesting
import Testing

/// Offers `bytes[range]` to `hashing` in pieces of `piece` bytes, as a part's stream would.
private func stream(_ bytes: [UInt8], _ range: Range<Int>, piece: Int, into hashing: StreamingSHA256) {
    var start = range.lowerBound
    while start < range.upperBound {
        let end = min(start + piece, range.upperBound)
        bytes[start..<end].withUnsafeBytes { hashing.observe(Int64(start), $0) }
        start = end
    }
}

/// `parts` byte ranges streamed at once, one piece of each in turn (as parts in flight are).
private func interleave(_ bytes: [UInt8], parts: [Range<Int>], piece: Int, into hashing: StreamingSHA256) {
    var cursors = parts.map(\.lowerBound)
    while zip(cursors, parts).contains(where: { $0 < $1.upperBound }) {
        for index in parts.indices where cursors[index] < parts[index].upperBound {
            let end = min(cursors[index] + piece, parts[index].upperBound)
            stream(bytes, cursors[index]..<end, piece: piece, into: hashing)
            cursors[index] = end
        }
    }
}

private func parts(of size: Int, _ length: Int) -> [Range<Int>] {
    stride(from: 0, to: size, by: length).map { $0..<min($0 + length, size) }
}

@Suite("hashing a file while its parts upload")
struct StreamingSHA256Tests {
    let size = 300_000
    let bytes: [UInt8]
    let path: String
    let expected: String

    init() throws {
        path = try TestMedia.temporaryFile(size: size, seed: 7)
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        expected = TestMedia.sha256(Data(bytes))
    }

    @Test("bytes streamed in order are hashed as they come: nothing is read again, nothing held")
    func inOrder() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 0)
        stream(bytes, 0..<size, piece: 4096, into: hashing)
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.reread == 0)
        #expect(hashing.counters.fromUpload == Int64(size))
        #expect(hashing.counters.peakWindow == 0)
    }

    @Test("parts in flight together within the window: one read of each byte, the window holds the later parts")
    func withinWindow() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 4 parts of 75,000 in flight: parts 1–3 run at most 225,000 bytes ahead.
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 240_000)
        interleave(bytes, parts: parts(of: size, 75_000), piece: 5_000, into: hashing)
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.reread == 0)
        #expect(hashing.counters.peakWindow > 0 && hashing.counters.peakWindow <= 240_000)
    }

    @Test("a window smaller than the parts in flight drops what is too far ahead and reads it again; memory stays bounded")
    func beyondWindow() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 20_000)
        interleave(bytes, parts: parts(of: size, 50_000), piece: 4_000, into: hashing)
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.reread > 0)
        #expect(hashing.counters.peakWindow <= 20_000)
        #expect(hashing.counters.reread + hashing.counters.fromUpload >= Int64(size))
    }

    @Test("ranges an earlier apply sent (skipped) and a retried part are hashed once, in order")
    func skippedAndRetried() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 100_000)
        hashing.skip([0..<100_000])
        // Part 2 fails half-way and is sent again whole, then part 1.
        stream(bytes, 200_000..<250_000, piece: 8_192, into: hashing)
        stream(bytes, 200_000..<300_000, piece: 8_192, into: hashing)
        stream(bytes, 100_000..<200_000, piece: 8_192, into: hashing)
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.reread >= 100_000)
    }

    @Test("bytes the upload never delivered are read from disk when it finishes")
    func gapsAtTheEnd() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hashing = StreamingSHA256(path: path, size: Int64(size), window: 1_000_000)
        stream(bytes, 150_000..<size, piece: 10_000, into: hashing)
        #expect(try await hashing.finish() == expected)
        #expect(hashing.counters.reread == 150_000)
    }

    @Test("a file shorter than planned fails with a sentence naming it")
    func shorterFile() async throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hashing = StreamingSHA256(path: path, size: Int64(size) + 10, window: 0)
        await #expect {
            _ = try await hashing.finish()
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("shorter")
        }
    }
}
