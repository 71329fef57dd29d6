public import Providers
import _NIOFileSystem

/// An upload into one AIOZ video: parts of a size the client chooses, each `POST /videos/{id}/part`
/// with `Content-Range` and the part's MD5 (the receipt's proof); `complete` finishes.
public struct AIOZUploadSession: UploadSession {
    public let client: AIOZClient
    public let videoID: String
    public let file: String
    public let plan: PartPlan
    /// Set when the source is remote: each part streams its range from it instead of from `file`.
    public let reader: (any RangeReader)?

    /// Checks that the file still has the size the plan was made for.
    public init(
        client: AIOZClient, videoID: String, file: String, size: Int64, partSize: Int64,
        minimumPartSize: Int64 = PartPlan.minimumPartSize
    ) async throws {
        let resource = AIOZClient.videoResource(videoID)
        let actual = try await Self.fileSize(file, resource: resource)
        guard actual == size else {
            throw AIOZError(
                code: .invalidFile, operation: "upload", resource: resource,
                detail: "\(file) has \(actual) bytes but the upload plan was made for \(size); it changed since")
        }
        self.client = client
        self.videoID = videoID
        self.file = file
        self.reader = nil
        self.plan = try PartPlan(fileSize: size, partSize: partSize, minimumPartSize: minimumPartSize)
    }

    /// An upload whose parts stream from a remote source (`size` is the object's, as planned).
    public init(
        client: AIOZClient, videoID: String, reader: any RangeReader, size: Int64, partSize: Int64,
        minimumPartSize: Int64 = PartPlan.minimumPartSize
    ) throws {
        self.client = client
        self.videoID = videoID
        self.file = reader.name
        self.reader = reader
        self.plan = try PartPlan(fileSize: size, partSize: partSize, minimumPartSize: minimumPartSize)
    }

    public var chunks: [UploadChunk] { plan.parts }
    public var layoutKey: Int64 { plan.partSize }

    /// The proof of a part the server refused because the whole upload is complete already.
    public static let completedProof = "complete"

    public func send(_ chunk: UploadChunk, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?)
        async throws -> ChunkReceipt
    {
        try await send(chunk, proof: nil, onBytes: onBytes, observe: observe)
    }

    /// `proof`, when given, is the part's MD5 computed beforehand: sent as the `hash` field (AIOZ
    /// checks it against the bytes) instead of hashing the bytes again as they stream.
    public func send(
        _ chunk: UploadChunk, proof: String?, onBytes: @escaping @Sendable (Int64) -> Void, observe: ChunkBytesObserver?
    ) async throws -> ChunkReceipt {
        do {
            let md5 = try await client.uploadPart(
                videoID: videoID, file: file, reader: reader, range: chunk.start...chunk.endInclusive, index: chunk.index,
                total: plan.fileSize, md5: proof,
                onBytes: onBytes, observe: observe)
            return ChunkReceipt(chunk: chunk, proof: md5)
        } catch let error as AIOZError {
            // An earlier apply completed the upload (and was stopped before it heard so): nothing to send.
            guard try await isAlreadyComplete(error) else { throw error }
            return ChunkReceipt(chunk: chunk, proof: Self.completedProof)
        }
    }

    public func finish(_ receipts: [ChunkReceipt]) async throws {
        do {
            try await client.completeVideo(id: videoID)
        } catch let error as AIOZError {
            // Completed by an earlier apply killed right after sending `complete`: done.
            guard try await isAlreadyComplete(error) else { throw error }
        }
    }

    /// Whether AIOZ refused because the upload is complete already: its message says so, or the video
    /// has moved on from `new` (transcoding, done).
    func isAlreadyComplete(_ error: AIOZError) async throws -> Bool {
        guard error.code == .badRequest else { return false }
        if error.serverMessage?.localizedCaseInsensitiveContains("already complete") == true { return true }
        let status = try await client.getVideo(id: videoID).status.rawValue
        return status == "transcoding" || status == "done"
    }

    static func fileSize(_ path: String, resource: String) async throws -> Int64 {
        do {
            guard let info = try await FileSystem.shared.info(forFileAt: FilePath(path)) else {
                throw AIOZError(code: .invalidFile, operation: "upload", resource: resource, detail: "\(path) does not exist")
            }
            return info.size
        } catch let error as FileSystemError {
            throw AIOZError(
                code: .invalidFile, operation: "upload", resource: resource, detail: "cannot read \(path): \(error.message)")
        }
    }
}
