/// What a request is for, so errors and logs can name it.
struct RequestContext: Sendable {
    /// e.g. "get", "upload part 3".
    var operation: String
    /// e.g. "video 3f2a…".
    var resource: String?
    /// Whether sending it twice is harmless. Creates are not: they are never retried blindly.
    var idempotent: Bool

    init(_ operation: String, _ resource: String? = nil, idempotent: Bool = true) {
        self.operation = operation
        self.resource = resource
        self.idempotent = idempotent
    }

    func error(_ code: AIOZError.Code, status: Int? = nil, message: String? = nil, detail: String? = nil) -> AIOZError {
        AIOZError(
            code: code, httpStatus: status, serverMessage: message, operation: operation, resource: resource, detail: detail)
    }
}
