/// What the engine needs to know of a failed remote call; everything else is for people.
public enum RemoteFailure: Sendable, Hashable {
    /// The object does not exist (a delete of it has nothing left to do).
    case notFound
    /// A create's answer was lost: the object may or may not exist. Look before creating again.
    case outcomeUnknown
    case other
}

/// Errors thrown by a provider adapter. Their `description` is the sentence users read.
public protocol ProviderError: Error, CustomStringConvertible {
    var failure: RemoteFailure { get }
}

extension Error {
    /// How the engine classifies this error (`.other` for anything that is not a `ProviderError`).
    public var remoteFailure: RemoteFailure {
        (self as? any ProviderError)?.failure ?? .other
    }
}
