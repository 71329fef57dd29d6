import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Captions (`/videos/{id}/captions/{lan}`) and chapters (`/videos/{id}/chapters/{lan}`), under
/// `/media` with the 2026 API: list (paged), upload a WebVTT file (multipart `file`), delete, and
/// (captions) set the default (`PATCH`, multipart `is_default=true`).
extension AIOZClient {
    /// `captions` or `chapters`.
    static func trackPath(_ plural: String, videoID: String, language: String? = nil) -> String {
        "/\(Self.segment(videoID))/\(plural)" + (language.map { "/\(Self.segment($0))" } ?? "")
    }

    public func listTextTracks(_ plural: String, videoID: String) async throws -> [TextTrackWire] {
        try await Self.collectPages(id: \.language) { offset, limit in
            let page = try await requestData(
                .GET, family + Self.trackPath(plural, videoID: videoID),
                query: [("offset", String(offset)), ("limit", String(limit))], as: TextTrackPage.self,
                context: RequestContext("list \(plural)", Self.videoResource(videoID)))
            return (page.items, page.total)
        }
    }

    public func uploadTextTrack(_ plural: String, videoID: String, language: String, file path: String) async throws {
        let context = RequestContext(
            "upload \(plural) \(language)", Self.videoResource(videoID), idempotent: false)
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw context.error(.invalidFile, detail: "cannot read \(path): \(error.localizedDescription)")
        }
        let boundary = MultipartFraming.boundary()
        var body = MultipartFraming.fileHead(
            boundary: boundary, filename: "\(language).vtt", contentType: "text/vtt")
        body.writeBytes(bytes)
        var tail = MultipartFraming.tail(boundary: boundary, fields: [])
        body.writeBuffer(&tail)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
        let sent = body
        try await withRetries(context) {
            _ = try await sendOnce(
                .POST, path: family + Self.trackPath(plural, videoID: videoID, language: language), headers: headers,
                body: .bytes(sent), timeout: configuration.requestTimeout, context: context)
        }
    }

    public func deleteTextTrack(_ plural: String, videoID: String, language: String) async throws {
        try await requestMessage(
            .DELETE, family + Self.trackPath(plural, videoID: videoID, language: language),
            context: RequestContext("delete \(plural) \(language)", Self.videoResource(videoID)))
    }

    public func setDefaultCaption(videoID: String, language: String) async throws {
        let context = RequestContext("set default caption \(language)", Self.videoResource(videoID))
        let boundary = MultipartFraming.boundary()
        let text =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"is_default\"\r\n\r\ntrue\r\n--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: MultipartFraming.contentType(boundary: boundary))
        try await withRetries(context) {
            _ = try await sendOnce(
                .PATCH, path: family + Self.trackPath("captions", videoID: videoID, language: language), headers: headers,
                body: .bytes(ByteBuffer(string: text)), timeout: configuration.requestTimeout, context: context)
        }
    }
}
