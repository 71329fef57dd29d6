import Crypto
import Foundation
import Manifest
import Planning

/// Sources that are URLs or S3 objects, as the plan and apply see them (docs/manifests.md, "URL and
/// S3 sources"): the plan asks the server for the size and version and takes the hash from
/// `source_sha256:`, S3's stored checksum, or one read of the object (cached by URL, size and
/// version); apply insists on the version the plan saw.
extension Applier {
    func remoteDesired(_ spec: VideoSpec, thumbnailSHA256: String?) async throws -> DesiredVideo {
        guard let written = spec.source.remote else { throw ApplyError("video.\(spec.name): not a remote source") }
        let (remote, head, sha256) = try await remoteContent(written)
        let identity = RemoteSources.identity(of: head)
        var video = DesiredVideo(spec: spec, sourceSHA256: sha256, thumbnailSHA256: thumbnailSHA256, sourceIdentity: identity)
        video.source.size = head.size
        video.source.remote = remote
        return video
    }

    /// A remote object's version (set on the returned source), size and SHA-256: the manifest's, else
    /// S3's stored checksum, else the hash cache's for this URL, size and version, else one read.
    func remoteContent(_ written: RemoteSource) async throws -> (RemoteSource, RemoteHead, String) {
        var remote = written
        let sources = RemoteSources()
        let head = try await sources.head(remote)
        remote.etag = head.version
        let identity = RemoteSources.identity(of: head)
        if let known = remote.declaredSHA256 ?? head.sha256 { return (remote, head, known) }
        // Keyed by a hash of the URL: a presigned URL's signature is not written into the cache.
        let key = RemoteSources.cacheKey(remote)
        if let cached = await context.hashes.cachedSHA256(of: key, identity: identity) { return (remote, head, cached) }
        let digest = try await sources.sha256(remote, size: head.size, version: head.version)
        await context.hashes.record(digest, of: key, identity: identity)
        return (remote, head, digest)
    }
}

extension RemoteSources {
    /// The hash cache's key for a remote object: a hash of its URL (a presigned URL's signature is
    /// not written into the cache), with the stand-in identity beside it.
    static func cacheKey(_ remote: RemoteSource) -> String {
        "remote:" + SHA256.hash(data: Data(remote.url.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A stand-in for a file's identity (what the journal and the pending mark key on): the object's
    /// size and a hash of its version.
    static func identity(of head: RemoteHead) -> FileIdentity {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (head.version ?? "").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return FileIdentity(size: head.size, mtimeNanoseconds: 0, inode: hash)
    }

    /// The object's identity now, refusing when it is not the version (and size) the plan saw.
    static func current(_ file: DesiredFile, address: Address) async throws -> FileIdentity {
        guard let remote = file.remote else { throw ApplyError("\(address): \(file.written) is not a remote source") }
        let head = try await RemoteSources().head(remote)
        if head.version != remote.etag || head.size != file.size {
            throw ApplyError(
                "\(address): the source \(file.written) changed since the plan (version \(remote.etag ?? "unknown"), "
                    + "\(file.size) bytes then; \(head.version ?? "unknown"), \(head.size) bytes now); plan again")
        }
        return identity(of: head)
    }

    /// For a saved plan: a sentence when the object is no longer the version planned.
    static func staleness(of file: DesiredFile, role: String) async throws -> String? {
        guard let remote = file.remote else { return nil }
        let head = try await RemoteSources().head(remote)
        guard head.version != remote.etag || head.size != file.size else { return nil }
        return
            "the \(role) \(file.written) changed since the plan (version \(remote.etag ?? "unknown"), \(file.size) bytes then; "
            + "\(head.version ?? "unknown"), \(head.size) bytes now)"
    }
}
