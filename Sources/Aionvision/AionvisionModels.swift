import Foundation

/// Aionvision's wire types (its "Uploading Videos" guide and videos reference; what the documents
/// leave open, such as the progress answer, is read leniently: every field beyond the ids is optional).
struct InitiateRequest: Encodable, Sendable {
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

struct PresignedChunk: Decodable, Sendable, Hashable {
    let chunkNumber: Int
    let sizeBytes: Int64
    let uploadURL: String
    let uploadMethod: String?
    let expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case chunkNumber = "chunk_number"
        case sizeBytes = "size_bytes"
        case uploadURL = "upload_url"
        case uploadMethod = "upload_method"
        case expiresAt = "expires_at"
    }

    /// When the URL stops working, when the answer says.
    var expiry: Date? { expiresAt.flatMap(AionvisionTime.parse) }
}

struct InitiateAnswer: Decodable, Sendable {
    let mediaID: String
    let uploadID: String
    let chunkSizeBytes: Int64?
    let chunks: [PresignedChunk]
    let concurrentUploadLimit: Int?

    enum CodingKeys: String, CodingKey {
        case chunks
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case chunkSizeBytes = "chunk_size_bytes"
        case concurrentUploadLimit = "concurrent_upload_limit"
    }
}

struct UploadReference: Encodable, Sendable {
    let mediaID: String
    let uploadID: String
    var chunkNumber: Int?

    enum CodingKeys: String, CodingKey {
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case chunkNumber = "chunk_number"
    }
}

struct ConfirmRequest: Encodable, Sendable {
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

struct ProgressAnswer: Decodable, Sendable {
    let mediaID: String?
    let uploadID: String?
    let status: String?
    let totalChunks: Int?
    let chunkSizeBytes: Int64?
    let sizeBytes: Int64?
    let confirmedChunks: [Int]?

    enum CodingKeys: String, CodingKey {
        case status
        case mediaID = "media_id"
        case uploadID = "upload_id"
        case totalChunks = "total_chunks"
        case chunkSizeBytes = "chunk_size_bytes"
        case sizeBytes = "size_bytes"
        case confirmedChunks = "confirmed_chunks"
    }
}

struct FileEntry: Decodable, Sendable {
    let id: String
    let filename: String?
    let title: String?
    let tags: [String]?
    let metadata: [String: String]?
    let mediaType: String?
    let uploadStatus: String?
    let updatedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, filename, title, tags, metadata
        case mediaType = "media_type"
        case uploadStatus = "upload_status"
        case updatedAt = "updated_at"
    }
}

struct FileListAnswer: Decodable, Sendable {
    let files: [FileEntry]
    let hasMore: Bool?

    enum CodingKeys: String, CodingKey {
        case files
        case hasMore = "has_more"
    }
}

enum AionvisionTime {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

extension AionvisionClient {
    func initiate(_ request: InitiateRequest) async throws -> InitiateAnswer {
        try await call(
            .post, "/video-uploads/initiate", body: request, operation: "initiate the upload of \(request.filename)",
            retriable: false)
    }

    func confirm(_ request: ConfirmRequest) async throws {
        _ = try await callRaw(
            .post, "/video-uploads/chunks/confirm", body: request,
            operation: "confirm chunk \(request.chunkNumber) of media \(request.mediaID)")
    }

    func renew(media: String, upload: String, chunk: Int) async throws -> PresignedChunk {
        try await call(
            .post, "/video-uploads/chunks/retry", body: UploadReference(mediaID: media, uploadID: upload, chunkNumber: chunk),
            operation: "renew the URL of chunk \(chunk) of media \(media)")
    }

    func complete(media: String, upload: String) async throws {
        _ = try await callRaw(
            .post, "/video-uploads/complete", body: UploadReference(mediaID: media, uploadID: upload),
            operation: "complete the upload of media \(media)")
    }

    func abort(media: String, upload: String) async throws {
        _ = try await callRaw(
            .post, "/video-uploads/abort", body: UploadReference(mediaID: media, uploadID: upload),
            operation: "abort the upload of media \(media)")
    }

    func progress(media: String) async throws -> ProgressAnswer {
        try await call(.get, "/video-uploads/progress/\(Self.segment(media))", operation: "read the progress of media \(media)")
    }

    func file(id: String) async throws -> FileEntry {
        try await call(.get, "/user-files/\(Self.segment(id))", operation: "read media \(id)")
    }

    func files(offset: Int, limit: Int) async throws -> FileListAnswer {
        try await call(
            .get, "/user-files?media_type=video&limit=\(limit)&offset=\(offset)&sort_by=created_at&sort_order=asc",
            operation: "list videos")
    }

    func deleteFile(id: String) async throws {
        _ = try await callRaw(.delete, "/user-files/\(Self.segment(id))", operation: "delete media \(id)")
    }

    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }
}
