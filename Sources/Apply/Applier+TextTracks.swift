import Manifest
import Planning

extension Applier {
    /// The captions and chapters of `manifest`, each file hashed (through the hash cache).
    func desiredTextTracks(_ manifest: Manifest) async throws -> [DesiredTextTrack] {
        var tracks: [DesiredTextTrack] = []
        for video in manifest.videos {
            let parent = Address(.video, video.name)
            for (kind, specs) in [(ResourceKind.caption, video.captions), (.chapter, video.chapters)] {
                for spec in specs {
                    // An LFS pointer's hash is its oid: the content is not fetched to plan.
                    let sha256: String
                    if let pointer = spec.lfs {
                        sha256 = pointer.oid
                    } else {
                        sha256 = try await context.hashes.sha256(of: spec.path)
                    }
                    tracks.append(
                        DesiredTextTrack(
                            address: Address(kind, spec.language, parent: parent), written: spec.written, path: spec.path,
                            sha256: sha256,
                            isDefault: kind == .caption && video.defaultCaption == spec.language, lfs: spec.lfs))
                }
            }
        }
        return tracks
    }
}
