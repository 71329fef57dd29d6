import Hummingbird

/// Turns every error into AIOZ's error envelope, so no plain-text or empty error body escapes.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error)
        }
    }

    static func response(for error: any Error) -> Response {
        switch error {
        case let error as APIError:
            return JSONResponse.error(error.status, error.message, headers: error.extraHeaders)
        case let error as HTTPError:
            let message = error.body ?? defaultMessage(error.status)
            return JSONResponse.error(error.status, message, headers: error.headers)
        case is DroppedConnection:
            return JSONResponse.error(.internalServerError, "connection dropped")
        default:
            return JSONResponse.error(.internalServerError, "Internal server error.")
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found: no such endpoint."
        case .contentTooLarge: "The request body is too large."
        case .methodNotAllowed: "Method not allowed."
        default: status.reasonPhrase
        }
    }
}

/// Thrown after a fault closed the connection mid-request.
struct DroppedConnection: Error {}
