import NIOConcurrencyHelpers
import _NIOFileSystem

/// Uploads every part of one file with at most `maxConcurrentParts` parts in flight.
///
/// Parts already acknowledged (from the caller's journal) are skipped; each newly acknowledged
/// part is reported through `onPartAcknowledged`, one at a time, so the caller can journal it
/// before the upload is considered done. Never holds a whole part in memory.
public struct ChunkedUploader: Sendable {
    public let client: AIOZClient
    public let maxConcurrentParts: Int

    public init(client: AIOZClient, maxConcurrentParts: Int = 3) {
        self.client = client
        self.maxConcurrentParts = max(1, maxConcurrentParts)
    }

    /// The outcome of `upload`.
    public struct Summary: Sendable, Hashable {
        /// Every part of the file, acknowledged now or before, by index.
        public var parts: [AcknowledgedPart]
        /// How many parts were sent in this run (the rest were already acknowledged).
        public var sentParts: Int
    }

    /// Uploads the parts of `path` that `acknowledged` does not already cover. Does not call complete.
    public func upload(
        videoID: String,
        file path: String,
        plan: PartPlan,
        acknowledged: Set<AcknowledgedPart> = [],
        onPartAcknowledged: @escaping @Sendable (AcknowledgedPart) async throws -> Void = { _ in },
        onProgress: @escaping @Sendable (UploadProgress) -> Void = { _ in }
    ) async throws -> Summary {
        let resource = AIOZClient.videoResource(videoID)
        let size = try await Self.fileSize(path, resource: resource)
        guard size == plan.fileSize else {
            throw AIOZError(
                code: .invalidFile, operation: "upload", resource: resource,
                detail: "\(path) has \(size) bytes but the upload plan was made for \(plan.fileSize); it changed since"
            )
        }

        var done: [Int: AcknowledgedPart] = [:]
        let planned = Set(plan.parts)
        for entry in acknowledged where planned.contains(entry.part) { done[entry.part.index] = entry }
        let pending = plan.parts.filter { done[$0.index] == nil }

        let sent = NIOLockedValueBox<Int64>(done.values.reduce(0) { $0 + $1.part.length })
        let total = plan.fileSize
        onProgress(UploadProgress(bytesSent: sent.withLockedValue { $0 }, totalBytes: total))
        let report: @Sendable (Int64) -> Void = { delta in
            let now = sent.withLockedValue { value -> Int64 in
                value += delta
                return value
            }
            onProgress(UploadProgress(bytesSent: now, totalBytes: total))
        }

        let client = self.client
        try await withThrowingTaskGroup(of: AcknowledgedPart.self) { group in
            var next = pending.makeIterator()
            var inFlight = 0
            func startNext() -> Bool {
                guard let part = next.next() else { return false }
                group.addTask {
                    let md5 = try await client.uploadPart(
                        videoID: videoID, file: path, range: part.start...part.endInclusive, index: part.index,
                        total: total, onBytes: report
                    )
                    return AcknowledgedPart(part: part, md5: md5)
                }
                return true
            }
            while inFlight < maxConcurrentParts, startNext() { inFlight += 1 }
            while let finished = try await group.next() {
                inFlight -= 1
                done[finished.part.index] = finished
                try await onPartAcknowledged(finished)
                if startNext() { inFlight += 1 }
            }
        }
        let parts = plan.parts.compactMap { done[$0.index] }
        return Summary(parts: parts, sentParts: pending.count)
    }

    static func fileSize(_ path: String, resource: String) async throws -> Int64 {
        do {
            guard let info = try await FileSystem.shared.info(forFileAt: FilePath(path)) else {
                throw AIOZError(code: .invalidFile, operation: "upload", resource: resource, detail: "\(path) does not exist")
            }
            return info.size
        } catch let error as FileSystemError {
            throw AIOZError(code: .invalidFile, operation: "upload", resource: resource, detail: "cannot read \(path): \(error.message)")
        }
    }
}
