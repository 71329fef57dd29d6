import Foundation

/// A video source that is not a local file: `source: https://…` (or `http://` to a loopback
/// address) or `source: s3://bucket/key` (docs/manifests.md, "URL and S3 sources").
///
/// The content's SHA-256 comes from `source_sha256:` beside the source, else from S3's stored
/// checksum, else from one read of the object when planning. `etag` is the object's `ETag` (or
/// `Last-Modified`) when the plan looked at it: apply refuses an object that answers another one.
public struct RemoteSource: Sendable, Hashable, Codable {
    public enum Scheme: String, Sendable, Hashable, Codable {
        case https, http, s3
    }

    /// As written in the manifest.
    public var url: String
    public var scheme: Scheme
    /// `source_sha256:` as written (64 lowercase hex digits), if any.
    public var declaredSHA256: String?
    /// The object's version as the plan saw it (`ETag`, else `Last-Modified`); nil before.
    public var etag: String?

    enum CodingKeys: String, CodingKey {
        case url, scheme, etag
        case declaredSHA256 = "declared_sha256"
    }

    public init(url: String, scheme: Scheme, declaredSHA256: String? = nil, etag: String? = nil) {
        self.url = url
        self.scheme = scheme
        self.declaredSHA256 = declaredSHA256
        self.etag = etag
    }

    /// Whether `written` names a remote source: it starts with `SCHEME://` (a scheme streamplan does
    /// not read is then refused as such, not looked for as a file).
    public static func isRemote(_ written: String) -> Bool {
        guard let separator = written.range(of: "://") else { return false }
        let scheme = written[..<separator.lowerBound]
        guard let first = scheme.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return scheme.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
        }
    }

    /// What a remote source may look like, for messages.
    public static let allowed =
        "a source URL is https://HOST/PATH, http:// only to a loopback address (127.0.0.1, ::1, localhost), "
        + "or s3://BUCKET/KEY"

    /// Parses a written source; the reason it is not a valid one otherwise.
    public static func parse(_ written: String) -> Result<RemoteSource, RemoteSourceError> {
        func fail(_ message: String) -> Result<RemoteSource, RemoteSourceError> { .failure(RemoteSourceError(message: message)) }
        let lower = written.lowercased()
        if lower.hasPrefix("s3://") {
            let rest = written.dropFirst("s3://".count)
            guard let slash = rest.firstIndex(of: "/") else { return fail("it names a bucket but no key") }
            let bucket = String(rest[..<slash])
            let key = String(rest[rest.index(after: slash)...])
            guard !bucket.isEmpty else { return fail("its bucket is empty") }
            guard
                bucket.count >= 3 && bucket.count <= 63
                    && bucket.unicodeScalars.allSatisfy({
                        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
                    })
            else {
                return fail("the bucket \"\(bucket)\" is not 3 to 63 lowercase letters, digits, '.' or '-'")
            }
            guard !key.isEmpty else { return fail("its key is empty") }
            guard !key.contains("?"), !key.contains("#") else {
                return fail("an S3 key with '?' or '#' cannot be named in a URL; rename the object")
            }
            return .success(RemoteSource(url: written, scheme: .s3))
        }
        guard let components = URLComponents(string: written), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            return fail("it is not a URL (\(allowed))")
        }
        guard components.user == nil, components.password == nil else {
            return fail("it carries a user name or password; streamplan does not send credentials to URLs")
        }
        switch scheme {
        case "https":
            return .success(RemoteSource(url: written, scheme: .https))
        case "http":
            guard isLoopback(host) else {
                return fail("plain http:// is allowed only to a loopback address (127.0.0.1, ::1, localhost); use https://")
            }
            return .success(RemoteSource(url: written, scheme: .http))
        default:
            return fail("the scheme \(scheme) is not one streamplan reads (\(allowed))")
        }
    }

    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    /// For `s3://`: the bucket and the key as written (nil for a URL).
    public var bucketAndKey: (bucket: String, key: String)? {
        guard scheme == .s3 else { return nil }
        let rest = url.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    /// The path whose extension names the format (the URL's path, or the S3 key).
    public var pathForExtension: String {
        if let (_, key) = bucketAndKey { return key }
        return URLComponents(string: url)?.path ?? url
    }

    /// The URL without its query or fragment (a presigned URL's signature stays out of messages).
    public var shown: String {
        guard scheme != .s3, let query = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return url }
        return String(url[..<query]) + "?…"
    }
}

/// Why a written source is not a valid URL or S3 source.
public struct RemoteSourceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
