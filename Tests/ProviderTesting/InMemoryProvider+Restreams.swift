import Providers

/// Restream destinations of the keys (their URLs in `StoredKey.restreams`), as the sandbox keeps them.
extension InMemoryProvider {
    /// A key's restream URLs, for tests.
    public func restreamsOf(_ keyID: String) -> [String] { keys[keyID]?.restreams ?? [] }

    /// Adds a destination as someone else would (outside streamplan), for tests.
    public func addForeignRestream(keyID: String, _ url: String) { keys[keyID]?.restreams.append(url) }

    public func restreamURLs(keyID: String) async throws -> [String]? {
        _ = try enter(.listRestreams, keyID)
        return keys[keyID]?.restreams
    }

    public func addRestreamURLs(keyID: String, _ urls: [String]) async throws -> [String] {
        let failure = try enter(.addRestreams, keyID)
        guard keys[keyID] != nil else { throw Self.notFound("key \(keyID)") }
        if restreamAddReplaces { keys[keyID]!.restreams = [] }
        for url in urls where !keys[keyID]!.restreams.contains(url) { keys[keyID]!.restreams.append(url) }
        return try answer(failure, keys[keyID]!.restreams, "adding restream destinations of \(keyID)")
    }

    public func removeAllRestreamURLs(keyID: String) async throws {
        let failure = try enter(.removeRestreams, keyID)
        guard keys[keyID] != nil else { throw Self.notFound("key \(keyID)") }
        keys[keyID]!.restreams = []
        _ = try answer(failure, (), "removing restream destinations of \(keyID)")
    }
}
