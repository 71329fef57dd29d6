import Foundation
import Hummingbird

/// An error answered in AIOZ's envelope: `{"status":"error","message":"..."}`.
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var extraHeaders: HTTPFields = [:]

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static let unauthorized = APIError(status: .unauthorized, message: "Unauthorized: invalid or missing API key.")

    var headers: HTTPFields { extraHeaders }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.error(status, message, headers: extraHeaders)
    }
}

/// Builders for the success and error envelopes.
enum JSONResponse {
    static func data(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = try JSONEncoder.api.encode(DataEnvelope(data: value))
        return make(status, body)
    }

    static func message(_ text: String) -> Response {
        let body = (try? JSONEncoder.api.encode(MessageEnvelope(status: "success", message: text))) ?? Data()
        return make(.ok, body)
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        let body = (try? JSONEncoder.api.encode(MessageEnvelope(status: "error", message: message))) ?? Data()
        var response = make(status, body)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func make(_ status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

struct DataEnvelope<Payload: Encodable>: Encodable {
    let status = "success"
    let data: Payload
}

struct MessageEnvelope: Encodable {
    let status: String
    let message: String
}

extension JSONEncoder {
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
