import Foundation
import Hummingbird

/// Reads a small JSON body and turns decoding failures into 400s that say which field was wrong.
enum RequestDecoding {
    static let maxJSONBody = 1 << 20

    static func json<T: Decodable>(_ type: T.Type, from request: Request, allowEmpty: Bool = false) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: maxJSONBody)
        var bytes = Data(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard allowEmpty else { throw APIError.badRequest("The request body is empty; a JSON object is required.") }
            bytes = Data("{}".utf8)
        }
        do {
            return try JSONDecoder().decode(T.self, from: bytes)
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.badRequest("Invalid request body: \(describe(context)) has the wrong type.")
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("Invalid request body: \(key.stringValue) is required.")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.badRequest("Invalid request body: \(describe(context)) must not be null.")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            // Valid JSON whose value does not fit (an integer beyond 64 bits): not a syntax error.
            throw APIError.badRequest("Invalid request body: \(describe(context)) is out of range.")
        } catch let error as APIError {
            throw error
        } catch {
            // Valid JSON the decoder still refuses holds a number that fits no Swift number type
            // (JSONDecoder reports it with no field): not a syntax error.
            if (try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])) != nil {
                throw APIError.badRequest("Invalid request body: a number is out of range.")
            }
            throw APIError.badRequest("Invalid request body: not valid JSON.")
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "the body" : path
    }
}
