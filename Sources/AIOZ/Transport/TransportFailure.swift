import AsyncHTTPClient
import NIOCore
import NIOPosix
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One failed attempt, with what the retry loop needs to know beyond the user-facing error.
struct TransportFailure: Error {
    var error: AIOZError
    /// True when the server certainly did not act on the request (refused connection, 429),
    /// so even a create may be sent again.
    var requestNotProcessed: Bool
    /// True for failures that retrying cannot fix (cancellation, protocol misuse).
    var isPermanent = false
    /// True when the server took the connection but did not answer within the attempt's deadline (or
    /// stopped in the middle of its answer): a server that does it twice is not retried again.
    var unanswered = false

    /// Maps a thrown AsyncHTTPClient / NIO / file-system error to a classified failure.
    static func classify(_ error: any Error, context: RequestContext) -> TransportFailure {
        if let failure = error as? TransportFailure { return failure }
        if let error = error as? AIOZError { return TransportFailure(error: error, requestNotProcessed: false) }
        if let error = error as? FileSystemError {
            return TransportFailure(
                error: context.error(.invalidFile, detail: "reading the file failed: \(error.code): \(error.message)"),
                requestNotProcessed: false
            )
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return transient(context, "\(error)", notProcessed: true)
            case .readTimeout, .deadlineExceeded:
                var failure = transient(context, "no answer before the deadline (\(error))", notProcessed: false)
                failure.unanswered = true
                return failure
            case .writeTimeout, .remoteConnectionClosed:
                return transient(context, "\(error)", notProcessed: false)
            case .bodyLengthMismatch:
                return TransportFailure(
                    error: context.error(.invalidFile, detail: "the file changed size while it was being uploaded"),
                    requestNotProcessed: false
                )
            default:
                return TransportFailure(error: context.error(.transport, detail: "\(error)"), requestNotProcessed: false)
                    .permanent()
            }
        }
        if error is NIOConnectionError {
            return transient(context, "connection failed: \(error)", notProcessed: true)
        }
        if let error = error as? IOError {
            let refused = error.errnoCode == ECONNREFUSED
            return transient(context, "\(error)", notProcessed: refused)
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error { return transient(context, "\(error)", notProcessed: true) }
            return transient(context, "\(error)", notProcessed: false)
        }
        if error is CancellationError {
            return TransportFailure(error: context.error(.transport, detail: "cancelled"), requestNotProcessed: false).permanent()
        }
        return transient(context, "\(error)", notProcessed: false)
    }

    private static func transient(_ context: RequestContext, _ detail: String, notProcessed: Bool) -> TransportFailure {
        TransportFailure(error: context.error(.transport, detail: detail), requestNotProcessed: notProcessed)
    }

    /// The same failure, marked as not worth retrying.
    func permanent() -> TransportFailure {
        var copy = self
        copy.isPermanent = true
        return copy
    }
}
