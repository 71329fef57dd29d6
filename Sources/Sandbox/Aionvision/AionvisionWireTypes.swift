import Foundation

// The bodies Aionvision's upload API takes and the answers it gives (AionvisionRoutes).

struct InitiateBody: Decodable {
    let filename: String
    let contentType: String
    let sizeBytes: Int64
    let title: String?
    let tags: [String]?
    let metadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case filename, title, tags, metadata
        case contentType = "content_type"
        case sizeBytes = "size_bytes"
    }
}

struct ConfirmBody: Decodable {
    let mediaID: String
    let uploadID: String
    let chunkNumber: Int
    let etag: String
    let sizeBytes: Int64

    enum CodingKeys: String, CodingKey {
        case etag
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case chunkNumber = "chunk_number"
        case sizeBytes = "size_bytes"
    }
}

struct UploadRef: Decodable {
    let mediaID: String
    let uploadID: String
    let chunkNumber: Int?

    enum CodingKeys: String, CodingKey {
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case chunkNumber = "chunk_number"
    }
}

struct ChunkView: Encodable {
    let chunkNumber: Int
    let sizeBytes: Int64
    let uploadURL: String
    let uploadMethod: String
    let expiresAt: String

    enum CodingKeys: String, CodingKey {
        case chunkNumber = "chunk_number"
        case sizeBytes = "size_bytes"
        case uploadURL = "upload_url"
        case uploadMethod = "upload_method"
        case expiresAt = "expires_at"
    }
}

struct InitiateView: Encodable {
    let mediaID: String
    let uploadID: String
    let totalChunks: Int
    let chunkSizeBytes: Int64
    let storagePath: String
    let chunks: [ChunkView]
    let expiresAt: String
    let concurrentUploadLimit: Int
    let retryAttempts: Int

    enum CodingKeys: String, CodingKey {
        case chunks
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case totalChunks = "total_chunks"
        case chunkSizeBytes = "chunk_size_bytes"
        case storagePath = "storage_path"
        case expiresAt = "expires_at"
        case concurrentUploadLimit = "concurrent_upload_limit"
        case retryAttempts = "retry_attempts"
    }
}

struct ConfirmView: Encodable {
    let mediaID: String
    let chunkNumber: Int
    let confirmed: Bool
    let chunksConfirmed: Int
    let totalChunks: Int

    enum CodingKeys: String, CodingKey {
        case confirmed
        case mediaID = "media_id"
        case chunkNumber = "chunk_number"
        case chunksConfirmed = "chunks_confirmed"
        case totalChunks = "total_chunks"
    }
}

struct CompleteView: Encodable {
    let mediaID: String
    let status: String
    let sizeBytes: Int64?

    enum CodingKeys: String, CodingKey {
        case status
        case mediaID = "media_id"
        case sizeBytes = "size_bytes"
    }
}

/// `GET …/progress/{media_id}`. The guide names the call but not its answer: these fields are the
/// emulator's choice (docs/sandbox.md), enough to resume: the upload id, the layout, what is confirmed.
struct ProgressView: Encodable {
    let mediaID: String
    let uploadID: String
    let status: String
    let totalChunks: Int
    let chunkSizeBytes: Int64
    let sizeBytes: Int64
    let chunksConfirmed: Int
    let confirmedChunks: [Int]
    let progressPercent: Double

    init(_ media: AionvisionMedia) {
        mediaID = media.id
        uploadID = media.uploadID
        status = media.status
        totalChunks = media.totalChunks
        chunkSizeBytes = media.chunkSize
        sizeBytes = media.sizeBytes
        chunksConfirmed = media.confirmed.count
        confirmedChunks = media.confirmed.keys.sorted()
        progressPercent =
            media.status == "completed"
            ? 100 : (media.totalChunks == 0 ? 0 : Double(media.confirmed.count * 100) / Double(media.totalChunks))
    }

    enum CodingKeys: String, CodingKey {
        case status
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case totalChunks = "total_chunks"
        case chunkSizeBytes = "chunk_size_bytes"
        case sizeBytes = "size_bytes"
        case chunksConfirmed = "chunks_confirmed"
        case confirmedChunks = "confirmed_chunks"
        case progressPercent = "progress_percent"
    }
}

struct FileView: Encodable {
    let id: String
    let filename: String
    let title: String?
    let tags: [String]
    let metadata: [String: String]
    let mediaType: String
    let contentType: String
    let sizeBytes: Int64
    let uploadStatus: String
    let createdAt: String
    let updatedAt: String

    init(_ media: AionvisionMedia) {
        id = media.id
        filename = media.filename
        title = media.title
        tags = media.tags
        metadata = media.metadata
        mediaType = "video"
        contentType = media.contentType
        sizeBytes = media.sizeBytes
        uploadStatus = media.status
        createdAt = Timestamp.format(media.createdAt)
        updatedAt = Timestamp.format(media.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, filename, title, tags, metadata
        case mediaType = "media_type"
        case contentType = "content_type"
        case sizeBytes = "size_bytes"
        case uploadStatus = "upload_status"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

struct FileList: Encodable {
    let files: [FileView]
    let totalCount: Int
    let hasMore: Bool

    enum CodingKeys: String, CodingKey {
        case files
        case totalCount = "total_count"
        case hasMore = "has_more"
    }
}
