/// What went wrong while talking to AIOZ Stream, said so a person can act on it.
///
/// Never carries a secret: messages are built from the operation, the resource, the HTTP status
/// and the server's `message` field only.
public struct AIOZError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; stable for programmatic handling.
    public enum Code: String, Sendable, Equatable {
        case unauthorized, forbidden, notFound, badRequest, conflict, rateLimited, server
        case transport, decoding
        /// A non-idempotent create failed in a way that leaves its outcome unknown:
        /// re-observe and look for the object by its marks before creating again.
        case outcomeUnknown
        case invalidEndpoint, invalidCredentials, invalidFile, invalidRequest
        case unexpectedStatus
    }

    public var code: Code
    /// The HTTP status, when the server answered.
    public var httpStatus: Int?
    /// The `message` field of the server's error envelope, if any.
    public var serverMessage: String?
    /// What the client was doing, e.g. "upload part 3".
    public var operation: String
    /// What it was doing it to, e.g. "video 1b2c…".
    public var resource: String?
    /// How many attempts were made before giving up.
    public var attempts: Int
    /// Seconds the server asked us to wait (`Retry-After`), if it said.
    public var retryAfterSeconds: Double?
    /// A short description of the underlying transport or decoding error.
    public var detail: String?

    public init(
        code: Code, httpStatus: Int? = nil, serverMessage: String? = nil, operation: String,
        resource: String? = nil, attempts: Int = 1, retryAfterSeconds: Double? = nil, detail: String? = nil
    ) {
        self.code = code
        self.httpStatus = httpStatus
        self.serverMessage = serverMessage
        self.operation = operation
        self.resource = resource
        self.attempts = attempts
        self.retryAfterSeconds = retryAfterSeconds
        self.detail = detail
    }

    /// Whether trying the same request again may succeed.
    public var isTransient: Bool {
        switch code {
        case .rateLimited, .server, .transport: return true
        default: return false
        }
    }

    /// The code for a non-2xx HTTP status.
    public static func code(forStatus status: Int) -> Code {
        switch status {
        case 400, 422: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        case 429: return .rateLimited
        case 500...599: return .server
        default: return .unexpectedStatus
        }
    }

    private var target: String {
        if let resource { return "\(operation) of \(resource)" }
        return operation
    }

    /// One or two sentences for a person: what happened, where, and what to do.
    public var description: String {
        var text: String
        switch code {
        case .unauthorized:
            text = "AIOZ Stream rejected the API keys: check STREAM_PUBLIC_KEY / STREAM_SECRET_KEY (\(target) failed with 401)."
        case .forbidden:
            text = "AIOZ Stream refused \(target) (403): the API keys lack permission for it."
        case .notFound:
            text =
                "AIOZ Stream has no \(resource ?? "such resource") (404 during \(operation)): it was deleted or belongs to another account."
        case .badRequest:
            text = "AIOZ Stream rejected \(target) as invalid (\(httpStatus ?? 400))."
        case .conflict:
            text = "AIOZ Stream reported a conflict for \(target) (409)."
        case .rateLimited:
            text = "AIOZ Stream rate-limited \(target) (429)."
        case .server:
            text = "AIOZ Stream failed on \(target) with a server error (\(httpStatus ?? 500))."
        case .transport:
            text = "Could not reach AIOZ Stream for \(target)."
        case .decoding:
            text = "AIOZ Stream answered \(target) with a response streamplan could not read."
        case .outcomeUnknown:
            text =
                "It is unknown whether AIOZ Stream carried out \(target): the connection failed or the server errored after the request was sent, and a create is never sent twice blindly. Re-run plan to observe what exists before creating it again."
        case .invalidEndpoint, .invalidCredentials, .invalidFile, .invalidRequest:
            text = target
        case .unexpectedStatus:
            text = "AIOZ Stream answered \(target) with unexpected HTTP status \(httpStatus ?? 0)."
        }
        if let serverMessage, !serverMessage.isEmpty { text += " Server said: \"\(serverMessage)\"." }
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        if attempts > 1 { text += " Gave up after \(attempts) attempts." }
        if code == .rateLimited || code == .server || code == .transport, attempts > 1 {
            text += " Try again later."
        }
        return text
    }
}
