import AsyncHTTPClient
import Foundation
import NIOCore
import Providers
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@testable import AIOZ

/// A server may answer an upload (with an error status) before it has read the body: the sandbox
/// refuses a part of a completed upload that way, as many servers refuse what they will not take.
/// AsyncHTTPClient then stops sending and returns the answer, except when the body's last bytes
/// were already on their way as the answer's head was read: it fails with `bodyLengthMismatch` and
/// the answer is lost. That race lives inside AsyncHTTPClient's event loop, out of a test's reach;
/// these tests hold what streamplan makes of it.
@Suite("Answers that arrive before an upload's body is sent")
struct EarlyAnswerTests {
    @Test("a body handed over whole that ends in a length mismatch is an early answer: retried, never 'the file changed'")
    func classification() {
        let context = RequestContext("upload part 0", "video v1")
        let mismatch = TransportFailure.classify(HTTPClientError.bodyLengthMismatch, context: context)
        #expect(mismatch.bodyLengthMismatch)

        let early = mismatch.bodyEnded(producedWhole: true, context: context)
        #expect(early.error.code == .transport)
        #expect(early.error.isTransient && !early.isPermanent, "the same request sent again is answered in full")
        #expect(early.requestNotProcessed)
        #expect(early.error.detail?.contains("answered before it had read") == true, "\(early.error)")
        #expect(early.error.detail?.contains("changed size") == false)

        let shrunk = mismatch.bodyEnded(producedWhole: false, context: context)
        #expect(shrunk.error.code == .invalidFile)
        #expect(shrunk.error.detail?.contains("changed size") == true, "\(shrunk.error)")

        let other = TransportFailure.classify(HTTPClientError.remoteConnectionClosed, context: context)
        #expect(other.bodyEnded(producedWhole: true, context: context).error.code == other.error.code)
    }

    @Test("parts of a completed upload sent again and again: every round reads the refusal as 'already complete'")
    func completedUploadRounds() async throws {
        // Two parts of 64 KiB: small bodies that fit in the socket's buffers, the shape in which the
        // answer can overtake the body's end. Each round is one more chance for the race; its outcome
        // must be the same whichever way the race goes.
        let partSize = 64 * 1024
        let size = partSize + 1000
        let file = try TestMedia.temporaryFile(size: size, seed: 21)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestSandbox.with(SandboxConfiguration(minPartSize: partSize), minimumPartSize: Int64(partSize)) {
            sandbox in
            let client = sandbox.client
            let video = try await client.createVideo(VideoCreateRequest(title: "early answers"))
            func session() async throws -> AIOZUploadSession {
                try await AIOZUploadSession(
                    client: client, videoID: video.id, file: file, size: Int64(size),
                    partSize: Int64(partSize), minimumPartSize: Int64(partSize))
            }
            let first = try await ChunkUploader().upload(try await session())
            try await session().finish(first.receipts)
            for round in 0..<25 {
                let again = try await ChunkUploader().upload(try await session())
                #expect(
                    again.receipts.allSatisfy { $0.proof == AIOZUploadSession.completedProof },
                    "round \(round): \(again.receipts.map(\.proof))")
            }
        }
    }
}
