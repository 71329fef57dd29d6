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
    /// True when AsyncHTTPClient ended a streamed body with fewer bytes than announced. Either the
    /// source file shrank, or the server answered (with an error status) before it had read the
    /// body and the answer was dropped as the body ended: `bodyEnded(producedWhole:)` tells which.
    var bodyLengthMismatch = false
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
                var failure = TransportFailure(
                    error: context.error(.invalidFile, detail: "the file changed size while it was being uploaded"),
                    requestNotProcessed: false
                )
                failure.bodyLengthMismatch = true
                return failure
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

    /// A streamed upload's failure, knowing whether the body handed every byte to the transport.
    ///
    /// AsyncHTTPClient stops sending a body once an answer with status 300 or more arrives, and
    /// normally returns that answer. But when the body's last bytes were handed over just before the
    /// answer's head was read and its end was not yet, it fails the request with
    /// `bodyLengthMismatch` and the answer is lost (a race that load makes likely: the sandbox, like
    /// many servers, refuses a part of a completed upload before reading it). A body that was
    /// produced whole did not shrink: the server answered early, did not take the request, and the
    /// same request sent again is answered in full.
    func bodyEnded(producedWhole: Bool, context: RequestContext) -> TransportFailure {
        guard bodyLengthMismatch, producedWhole else { return self }
        return TransportFailure(
            error: context.error(
                .transport,
                detail: "the server answered before it had read the request's body, and the answer was lost as the body ended"),
            requestNotProcessed: true)
    }

    /// The same failure, marked as not worth retrying.
    func permanent() -> TransportFailure {
        var copy = self
        copy.isPermanent = true
        return copy
    }
}
