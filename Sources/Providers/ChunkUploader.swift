import Synchronization

/// Sends every chunk of an upload session with at most `maxConcurrentChunks` in flight.
///
/// Chunks already acknowledged (from the caller's journal) are skipped; each new receipt is
/// handed to `onReceipt`, one at a time, so the caller can journal it before the upload counts as
/// done. Never holds a whole chunk in memory (the session streams from disk). Does not finish.
/// `observe` sees the bytes of the chunks sent (not of those acknowledged before).
public struct ChunkUploader: Sendable {
    public let maxConcurrentChunks: Int

    public init(maxConcurrentChunks: Int = 3) {
        self.maxConcurrentChunks = max(1, maxConcurrentChunks)
    }

    /// The outcome of `upload`.
    public struct Summary: Sendable, Hashable {
        /// A receipt for every chunk, by index (acknowledged now or before).
        public var receipts: [ChunkReceipt]
        /// How many chunks were sent in this run.
        public var sentChunks: Int
    }

    public func upload(
        _ session: any UploadSession,
        acknowledged: Set<ChunkReceipt> = [],
        onReceipt: @escaping @Sendable (ChunkReceipt) async throws -> Void = { _ in },
        onProgress: @escaping @Sendable (UploadProgress) -> Void = { _ in },
        observe: ChunkBytesObserver? = nil,
        proof: @escaping @Sendable (UploadChunk) -> String? = { _ in nil }
    ) async throws -> Summary {
        var done: [Int: ChunkReceipt] = [:]
        let planned = Set(session.chunks)
        for receipt in acknowledged where planned.contains(receipt.chunk) { done[receipt.chunk.index] = receipt }
        let pending = session.chunks.filter { done[$0.index] == nil }
        let total = session.chunks.reduce(Int64(0)) { $0 + $1.length }
        let sent = Mutex<Int64>(done.values.reduce(0) { $0 + $1.chunk.length })
        onProgress(UploadProgress(bytesSent: sent.withLock { $0 }, totalBytes: total))
        let report: @Sendable (Int64) -> Void = { delta in
            let now = sent.withLock { value -> Int64 in
                value += delta
                return value
            }
            onProgress(UploadProgress(bytesSent: now, totalBytes: total))
        }
        try await withThrowingTaskGroup(of: ChunkReceipt.self) { group in
            var next = pending.makeIterator()
            func startNext() -> Bool {
                guard let chunk = next.next() else { return false }
                group.addTask { try await session.send(chunk, proof: proof(chunk), onBytes: report, observe: observe) }
                return true
            }
            var inFlight = 0
            while inFlight < maxConcurrentChunks, startNext() { inFlight += 1 }
            while let receipt = try await group.next() {
                inFlight -= 1
                done[receipt.chunk.index] = receipt
                try await onReceipt(receipt)
                if startNext() { inFlight += 1 }
            }
        }
        return Summary(receipts: session.chunks.compactMap { done[$0.index] }, sentChunks: pending.count)
    }
}
