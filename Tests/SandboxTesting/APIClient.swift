import AsyncHTTPClient
import Foundation
public import NIOCore
public import NIOHTTP1
public import Sandbox

/// A response from the sandbox, with its JSON decoded loosely for assertions.
public struct APIResult {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: ByteBuffer

    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])) as? [String: Any]
            ?? [:]
    }
    public var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    public var message: String { json["message"] as? String ?? "" }
    public var envelopeStatus: String { json["status"] as? String ?? "" }
    public var bytes: [UInt8] { Array(body.readableBytesView) }
}

/// How a request authenticates.
public enum Auth {
    case headers, basic, none
    case keys(String, String)
}

/// A small HTTP client for one sandbox account, over real loopback HTTP.
public struct APIClient: Sendable {
    public let base: String
    public let account: SandboxAccount

    public init(_ server: SandboxServer, account: SandboxAccount? = nil) async {
        base = await server.baseURL
        let first = await server.accounts.first
        self.account = account ?? first ?? SandboxAccount(publicKey: "", secretKey: "")
    }

    public func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, body: ByteBuffer? = nil,
        headers: [(String, String)] = [], auth: Auth = .headers, url: String? = nil
    ) async throws -> APIResult {
        var request = HTTPClientRequest(
            url: url ?? (path.hasPrefix("/_sandbox") ? base.replacingOccurrences(of: "/api", with: "") + path : base + path))
        request.method = method
        switch auth {
        case .headers:
            request.headers.add(name: "stream-public-key", value: account.publicKey)
            request.headers.add(name: "stream-secret-key", value: account.secretKey)
        case .basic:
            let token = Data("\(account.publicKey):\(account.secretKey)".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(token)")
        case .keys(let publicKey, let secretKey):
            request.headers.add(name: "stream-public-key", value: publicKey)
            request.headers.add(name: "stream-secret-key", value: secretKey)
        case .none: break
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.body = .bytes(body)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return APIResult(status: Int(response.status.code), headers: response.headers, body: collected)
    }

    /// Creates a video and returns its id.
    public func createVideo(_ json: String = #"{"title":"test video"}"#) async throws -> String {
        let result = try await send(.POST, "/videos/create", json: json)
        guard let id = result.data["id"] as? String else { throw TestFailure("create failed: \(result.status) \(result.json)") }
        return id
    }

    /// Uploads one part as a multipart form; `hashFirst` controls field order.
    public func uploadPart(
        _ id: String, bytes: ArraySlice<UInt8>, start: Int, total: Int, index: Int,
        hash: String? = nil, hashFirst: Bool = false, contentRange: String? = nil
    ) async throws -> APIResult {
        let md5 = hash ?? MD5Hex.of(bytes)
        let form = MultipartForm.make(
            fields: [("index", String(index)), ("hash", md5)],
            file: ("file", "video.mp4", bytes), fieldsFirst: hashFirst)
        let range = contentRange ?? "bytes \(start)-\(start + bytes.count - 1)/\(total)"
        return try await send(
            .POST, "/videos/\(id)/part", body: form.body,
            headers: [("Content-Type", form.contentType), ("Content-Range", range)])
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
