/// A key's restream (multicast) destinations, the 2026 document's `LiveStreamMulticast`. Each URL
/// carries a destination's stream key: every textual form masks them.
public struct LiveStreamMulticast: Decodable, Sendable, Hashable {
    public var id: String?
    public var liveStreamKeyID: String?
    public var urls: [String]

    enum CodingKeys: String, CodingKey {
        case id
        case liveStreamKeyID = "live_stream_key_id"
        case urls = "live_stream_multicast_urls"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        liveStreamKeyID = try c.decodeIfPresent(String.self, forKey: .liveStreamKeyID)
        urls = try c.decodeIfPresent([String].self, forKey: .urls) ?? []
    }
}

extension LiveStreamMulticast: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "LiveStreamMulticast(id: \(id ?? ""), liveStreamKeyID: \(liveStreamKeyID ?? ""), urls: "
            + "[\(urls.map(Masking.maskURL).joined(separator: ", "))])"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self, children: ["id": id as Any, "liveStreamKeyID": liveStreamKeyID as Any, "urls": urls.map(Masking.maskURL)],
            displayStyle: .struct)
    }
}

/// `POST /live_streams/multicast/{stream_key}`: the 2026 document's `UpsertLiveStreamMulticastInput`.
public struct LiveStreamMulticastRequest: Encodable, Sendable, Hashable, CustomStringConvertible {
    public var multicastURLs: [String]

    public init(multicastURLs: [String]) { self.multicastURLs = multicastURLs }

    enum CodingKeys: String, CodingKey {
        case multicastURLs = "multicast_urls"
    }

    public var description: String {
        "LiveStreamMulticastRequest(multicastURLs: [\(multicastURLs.map(Masking.maskURL).joined(separator: ", "))])"
    }
}
