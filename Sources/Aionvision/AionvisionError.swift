public import Providers

/// Something Aionvision (or a presigned chunk URL's host) refused, or could not be reached for.
/// `description` is the sentence users read: the operation, the object, what happened. Never holds the key.
public struct AionvisionError: ProviderError, Sendable {
    public enum Kind: Sendable, Hashable {
        case unauthorized
        case notFound
        case badRequest
        case quotaExceeded
        case server
        /// A presigned URL refused: expired (S3 `AccessDenied` "Request has expired") or signed wrongly.
        case urlRefused
        /// S3's answer does not prove the bytes: a missing ETag, or one that is not the chunk's MD5.
        case integrity
        case transport
        /// A create whose answer was lost: the media may exist.
        case outcomeUnknown
        case unsupported
        case invalidFile
    }

    public var kind: Kind
    public var operation: String
    public var detail: String
    public var status: Int?
    /// S3's error `Code` for presigned URLs (`AccessDenied`, `SignatureDoesNotMatch`, …).
    public var s3Code: String?

    public init(_ kind: Kind, operation: String, detail: String, status: Int? = nil, s3Code: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.detail = detail
        self.status = status
        self.s3Code = s3Code
    }

    public var failure: RemoteFailure {
        switch kind {
        case .notFound: .notFound
        case .outcomeUnknown: .outcomeUnknown
        default: .other
        }
    }

    public var description: String {
        let code = status.map { " (HTTP \($0)\(s3Code.map { ", \($0)" } ?? ""))" } ?? ""
        return "Aionvision: \(operation) failed\(code): \(detail)"
    }

    /// Worth another attempt: the service was busy or failing, or the connection broke.
    var isTransient: Bool {
        switch kind {
        case .server, .transport: true
        default: status == 429
        }
    }
}
