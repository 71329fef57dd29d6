import AIOZ
import Foundation
import Planning

/// Reads the project's live objects: the registry, then only the keys it names and their streamings.
/// Keys the registry does not name are never read, so they can never be planned.
/// Secrets (`stream_key`, `rtmp_url`) are dropped here and never reach a plan.
public enum LiveObserver {
    public static func observe(project: String, client: AIOZClient) async throws -> (registry: LiveRegistry, observed: ObservedLive) {
        let registry = try await LiveRegistry.load(project: project, client: client)
        let entries = await registry.entries
        var keys: [String: ObservedLiveKey] = [:]
        for address in entries.keyAddresses {
            guard let id = entries.id(address) else { continue }
            if let key = try await observeKey(id: id, client: client) { keys[id] = key }
        }
        return (registry, ObservedLive(registry: entries, keys: keys))
    }

    /// The key and its streamings, or nil when the key no longer exists.
    public static func observeKey(id: String, client: AIOZClient) async throws -> ObservedLiveKey? {
        let key: LiveStreamKey
        do {
            key = try await client.getLiveStreamKey(id: id)
        } catch let error as AIOZError where error.code == .notFound {
            return nil
        }
        return ObservedLiveKey(id: key.id, name: key.name, save: key.save, createdAt: key.createdAt,
                               streamings: try await streamings(keyID: id, client: client))
    }

    /// A key's streamings, oldest first.
    public static func streamings(keyID: String, client: AIOZClient) async throws -> [ObservedStreaming] {
        let page = try await client.listStreamings(liveStreamKeyID: keyID)
        let indexed = page.streamings.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let ca = a.1.createdAt ?? "", cb = b.1.createdAt ?? ""
            return ca == cb ? a.0 < b.0 : (Timestamps.date(ca) ?? .distantPast) < (Timestamps.date(cb) ?? .distantPast)
        }.map { _, s in
            ObservedStreaming(id: s.id, title: s.title, save: s.save, status: s.status ?? "created", qualities: s.qualities,
                              createdAt: s.createdAt)
        }
    }
}

/// RFC 3339 timestamps to dates, to the second (fractions and offsets are tolerated, not needed).
enum Timestamps {
    static func date(_ text: String) -> Date? {
        guard text.count >= 19 else { return nil }
        let head = String(text.prefix(19))
        var offset: TimeInterval = 0
        let tail = text.dropFirst(19).drop { $0 == "." || $0.isNumber }
        if tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
            let h = Int(tail.dropFirst().prefix(2)), let m = Int(tail.suffix(2))
        {
            offset = TimeInterval(h * 3600 + m * 60) * (sign == "+" ? 1 : -1)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: head).map { $0.addingTimeInterval(-offset) }
    }
}
