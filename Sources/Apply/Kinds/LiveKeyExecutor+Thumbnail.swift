import Planning
import Providers

/// A live stream key's thumbnail: uploaded, then its hash recorded in the registry (the service
/// gives none back); removed, then the record forgotten. A kill between the two leaves a record that
/// is older than the key's image, so the next plan uploads (or removes) again: the request is the
/// same whole-image write, repeated.
extension LiveKeyExecutor {
    func applyThumbnail(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws {
        guard let plan = change.thumbnail else { return }
        let registry = try await context.registry.registry()
        let entry = DesiredLiveKey.thumbnailEntry(change.address)
        guard plan != .remove, let image = change.desired?.liveKey?.thumbnail else {
            do {
                try await context.provider.removeLiveKeyThumbnail(keyID: keyID)
            } catch  where error.remoteFailure == .notFound {}
            await CrashPoint.keyThumbnailAfterRemove.reach()
            try await registry.set(entry, nil)
            return
        }
        let file = try await LFSFetcher.materialized(image, hashes: context.hashes)
        let sha = try await context.hashes.sha256(of: file.path)
        if let planned = image.sha256, planned != sha {
            throw ApplyError(
                "the thumbnail \(image.written) changed since the plan (sha256 \(planned.prefix(12)) then, "
                    + "\(sha.prefix(12)) now); plan again")
        }
        try await context.provider.setLiveKeyThumbnail(keyID: keyID, file: file.path)
        await CrashPoint.keyThumbnailAfterUpload.reach()
        try await registry.set(entry, DesiredLiveKey.thumbnailMark(sha))
    }

    /// After a create: the key is new, so a thumbnail entry left from an earlier key of the address
    /// says nothing about it; the wanted image is uploaded, or the stale entry forgotten.
    func thumbnailAfterCreate(_ change: ResourceChange, keyID: String, _ context: ApplyContext) async throws {
        if change.desired?.liveKey?.thumbnail != nil {
            var upload = change
            upload.thumbnail = .set
            try await applyThumbnail(upload, keyID: keyID, context)
        } else {
            try await context.registry.registry().set(DesiredLiveKey.thumbnailEntry(change.address), nil)
        }
    }
}
