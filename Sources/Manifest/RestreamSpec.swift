import Foundation
public import YAMLNodes

/// A restream (multicast) destination of a live stream key (`live_streams: KEY: restream: NAME: {url}`):
/// AIOZ Stream pushes what the key receives to `url` as well (YouTube, Twitch, another ingest).
public struct RestreamSpec: Sendable, Hashable {
    /// The manifest's name for it (its address is `live_stream.KEY.restream.NAME`).
    public var name: String
    public var liveStream: String
    /// The destination's URL with its stream key (never printed: see `RestreamURL.masked`).
    public var url: String
    /// The URL as written, `${NAME}` not replaced: the stream key is always a reference.
    public var writtenURL: String
    public var location: SourceLocation

    public init(name: String, liveStream: String, url: String, writtenURL: String? = nil, location: SourceLocation) {
        self.name = name
        self.liveStream = liveStream
        self.url = url
        self.writtenURL = writtenURL ?? url
        self.location = location
    }

    public var address: String { "live_stream.\(liveStream).restream.\(name)" }
}

/// The rules of a restream destination's URL, and how it is shown without its stream key.
///
/// An RTMP destination carries its stream key as the URL's last path segment
/// (`rtmp://a.rtmp.youtube.com/live2/KEY`, `rtmp://live.twitch.tv/app/KEY`), sometimes with a query.
public enum RestreamURL {
    /// The longest URL accepted, in bytes.
    public static let maxLength = 2048

    /// Why `text` is not an acceptable destination URL, or nil when it is: rtmp:// or rtmps://, with
    /// a host and a stream key (a last path segment), no spaces, no fragment.
    public static func problem(_ text: String) -> String? {
        guard text.utf8.count <= maxLength else {
            return "is \(text.utf8.count) bytes long; a restream URL may have at most \(maxLength)"
        }
        guard !text.isEmpty, !text.contains(where: \.isWhitespace), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased()
        else { return "is not a URL: expected rtmp://HOST/APP/STREAM_KEY or rtmps://…" }
        guard scheme == "rtmp" || scheme == "rtmps" else { return "has scheme \(scheme): use rtmp:// or rtmps://" }
        guard let host = components.host, !host.isEmpty else { return "has no host" }
        guard components.fragment == nil else { return "has a fragment (#…): remove it" }
        guard let last = components.percentEncodedPath.split(separator: "/").last, !last.isEmpty else {
            return "has no stream key: expected rtmp://HOST/APP/STREAM_KEY"
        }
        return nil
    }

    /// `url` as people may read it: the stream key (the last path segment), a password and every
    /// query value become `***`; scheme, host and the application path stay.
    public static func masked(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme else { return "***" }
        var out = scheme + "://"
        if components.percentEncodedUser != nil { out += "***@" }
        out += components.percentEncodedHost ?? ""
        if let port = components.port { out += ":\(port)" }
        var segments = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let index = segments.lastIndex(where: { !$0.isEmpty }) { segments[index] = "***" }
        out += segments.joined(separator: "/")
        if let query = components.percentEncodedQuery {
            out +=
                "?"
                + query.split(separator: "&", omittingEmptySubsequences: false).map { item in
                    guard let equals = item.firstIndex(of: "=") else { return "***" }
                    return "\(item[..<equals])=***"
                }.joined(separator: "&")
        }
        return out
    }

    /// The secrets in `url` (the stream key, a password or user, query values), raw and
    /// percent-decoded: for the output redactor.
    public static func credentials(_ url: String) -> [String] {
        guard let components = URLComponents(string: url) else { return [url] }
        var found: [String] = []
        if let password = components.percentEncodedPassword { found.append(password) }
        if let user = components.percentEncodedUser { found.append(user) }
        if let last = components.percentEncodedPath.split(separator: "/").last { found.append(String(last)) }
        for item in (components.percentEncodedQuery ?? "").split(separator: "&") {
            if let equals = item.firstIndex(of: "=") { found.append(String(item[item.index(after: equals)...])) }
        }
        return found.flatMap { [$0, $0.removingPercentEncoding ?? $0] }.filter { !$0.isEmpty }
    }

    /// Why `written` (a URL as the manifest has it) holds its stream key literally, or nil when the
    /// stream key (its last path segment, or the whole URL) is a `${NAME}` reference and nothing else
    /// that looks like a credential is written in clear.
    public static func literalKeyProblem(_ written: String) -> String? {
        let path = written.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard last.contains("${") else { return "its stream key (the URL's last path segment) is written literally" }
        guard WebhookURL.literalCredentials(written).isEmpty else {
            return "it has a credential written literally"
        }
        return nil
    }
}
