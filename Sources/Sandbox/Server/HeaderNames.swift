import HTTPTypes

/// Header names the contract uses that HTTPTypes does not predefine.
extension HTTPField.Name {
    // Force-unwraps are on literal, valid token names: they cannot fail at run time.
    static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    static let rateLimitRetryAfter = HTTPField.Name("X-RateLimit-Retry-After")!
    static let streamPublicKey = HTTPField.Name("stream-public-key")!
    static let streamSecretKey = HTTPField.Name("stream-secret-key")!
}
