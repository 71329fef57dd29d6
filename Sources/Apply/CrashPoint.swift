import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Named moments of an apply at which the reliability suite kills the process (SIGKILL, as `kill -9`
/// would), to prove that the next apply converges from there (scripts/reliability.py,
/// docs/reliability.md). Off unless `STREAMPLAN_CRASH_AT` names a point (`NAME` or `NAME:N` for its
/// N-th occurrence); it is a test hook, never used in normal runs.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// A video was created (with its marks), before any part is sent.
    case afterCreate = "after-create"
    /// The first part of an upload was acknowledged and journaled.
    case midPart = "mid-part"
    /// Every part is acknowledged and the source hashed, before the `PATCH` that writes its hash
    /// over the pending source mark.
    case beforeSourceMark = "before-source-mark"
    /// The source mark is written, before `complete`.
    case afterSourceMark = "after-source-mark"
    /// `complete` returned, before the journal entry is finished and the thumbnail set.
    case afterComplete = "after-complete"
    /// A replacement was uploaded and completed, before the old video is deleted.
    case replaceBeforeDelete = "replace-before-delete"
    /// A video delete returned, before the journal forgets it.
    case afterDelete = "after-delete"
    /// A live stream key was created, before the registry records its id.
    case keyAfterCreate = "key-after-create"
    /// A streaming was created, before the registry records its id (still `pending`).
    case streamingAfterCreate = "streaming-after-create"
    /// A streaming's replacement was created, before its old streaming is deleted (the registry
    /// still names the old one).
    case streamingReplaceBeforeDelete = "streaming-replace-before-delete"
    /// A replaced streaming's old one was deleted, before the registry names the new one.
    case streamingReplaceAfterDelete = "streaming-replace-after-delete"
    /// A live stream key was deleted, before the registry forgets it (and its streamings).
    case keyAfterDelete = "key-after-delete"
    /// A streaming was updated in place (title, save, qualities while live); nothing is recorded
    /// after it, so the next plan finds it up to date.
    case streamingAfterUpdate = "streaming-after-update"
    /// A live stream key's thumbnail was uploaded, before the registry records its hash.
    case keyThumbnailAfterUpload = "key-thumbnail-after-upload"
    /// A live stream key's thumbnail was removed, before the registry forgets its hash.
    case keyThumbnailAfterRemove = "key-thumbnail-after-remove"
    /// A streaming was deleted (not replaced), before the registry forgets it.
    case streamingAfterDelete = "streaming-after-delete"
    /// A caption or chapter was deleted on the service, before the video's mark forgets it.
    case textTrackAfterDelete = "text-track-after-delete"
    /// A caption's or chapter's language was marked `pending` on its video, before the upload.
    case textTrackBeforeUpload = "text-track-before-upload"
    /// A caption or chapter was uploaded, before the video's mark records its hash (still `pending`).
    case textTrackAfterUpload = "text-track-after-upload"
    /// A player theme was created, before the registry records its id (still `pending`).
    case playerAfterCreate = "player-after-create"
    /// A player's logo was uploaded, before the registry records the logo's hash.
    case playerAfterLogo = "player-after-logo"
    /// A player theme was deleted, before the registry forgets it and its logo.
    case playerAfterDelete = "player-after-delete"
    /// A webhook was created, before the registry records its id (still `pending`).
    case webhookAfterCreate = "webhook-after-create"
    /// A webhook was deleted, before the registry forgets it.
    case webhookAfterDelete = "webhook-after-delete"
    /// A playlist was created with its marks and create token, before the `PATCH` that drops the
    /// token and sets the thumbnail.
    case playlistAfterCreate = "playlist-after-create"
    /// The first item of a playlist's changes was added (the others, and the moves, not yet).
    case playlistMidItems = "playlist-mid-items"
    /// A playlist's replacement has its items, before the old playlist is deleted.
    case playlistReplaceBeforeDelete = "playlist-replace-before-delete"
    /// A playlist was deleted (not replaced), before the apply records it.
    case playlistAfterDelete = "playlist-after-delete"
    /// A recording's fields were written (`PATCH`), before its player theme is set.
    case recordingAfterPatch = "recording-after-patch"

    private static let wanted: (name: String, count: Int)? = {
        guard let text = ProcessInfo.processInfo.environment["STREAMPLAN_CRASH_AT"], !text.isEmpty else { return nil }
        let parts = text.split(separator: ":")
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()

    private static let seen = Counter()

    /// Kills the process when this is the point (and occurrence) `STREAMPLAN_CRASH_AT` names.
    public func reach() async {
        guard let wanted = Self.wanted, wanted.name == rawValue else { return }
        let count = await Self.seen.increment(rawValue)
        guard count == wanted.count else { return }
        FileHandle.standardError.write(Data("streamplan: crash point \(rawValue) reached; killing myself (SIGKILL)\n".utf8))
        kill(getpid(), SIGKILL)
    }

    private actor Counter {
        var counts: [String: Int] = [:]
        func increment(_ name: String) -> Int {
            counts[name, default: 0] += 1
            return counts[name]!
        }
    }
}
