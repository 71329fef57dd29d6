import AsyncHTTPClient
import NIOCore
import Testing

@testable import AIOZ

/// The body of a part or thumbnail upload: small ones go as one buffer, read (and hashed) once.
@Suite("upload bodies")
struct UploadBodyTests {
    /// Chunks handed out one after another, as a file read in chunks would be.
    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let parts: [[UInt8]]
        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: [[UInt8]]
            mutating func next() async throws -> ByteBuffer? {
                rest.isEmpty ? nil : ByteBuffer(bytes: rest.removeFirst())
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: parts) }
    }

    @Test("multipart boundaries: 24 lowercase letters and digits after the prefix, never the same twice")
    func boundaries() {
        let made = (0..<2000).map { _ in MultipartFraming.boundary() }
        #expect(Set(made).count == made.count)
        for boundary in made.prefix(200) {
            #expect(boundary.hasPrefix("streamplan-"))
            let tail = boundary.dropFirst("streamplan-".count)
            #expect(tail.count == 24)
            #expect(tail.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }, "\(boundary)")
        }
        // Every digit position takes many values (a constant position would betray a bad draw).
        for position in 0..<24 {
            let seen = Set(made.map { Array($0.dropFirst("streamplan-".count))[position] })
            #expect(seen.count > 20, "position \(position): \(seen.sorted())")
        }
    }

    @Test("a small body is collected into one buffer with every chunk's bytes, in order; a large one is left to stream")
    func smallBody() async throws {
        let parts: [[UInt8]] = [Array("head-".utf8), Array(repeating: 7, count: 1000), Array("-tail".utf8)]
        let length = Int64(parts.map(\.count).reduce(0, +))
        let context = RequestContext("upload part 0")
        let whole = try await AIOZClient.collected(Chunks(parts: parts), length: length, context: context)
        #expect(whole.map { Array($0.readableBytesView) } == parts.flatMap { $0 })
        // More than a chunk (256 KiB) is streamed: nothing is collected (nor read) here.
        let large = Int64(AIOZClient.chunkLength.bytes) + 1
        #expect(try await AIOZClient.collected(Chunks(parts: [[1]]), length: large, context: context) == nil)
    }

    @Test("a small body that ends short (the file shrank) fails before anything is sent, saying so")
    func shortBody() async throws {
        let context = RequestContext("upload part 0")
        await #expect {
            _ = try await AIOZClient.collected(Chunks(parts: [Array(repeating: 1, count: 100)]), length: 150, context: context)
        } throws: { error in
            guard let failure = error as? TransportFailure else { return false }
            return failure.requestNotProcessed && failure.error.detail?.contains("changed size") == true
        }
    }
}
