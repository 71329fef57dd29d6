import Crypto
import Foundation
import Manifest
import Planning
import Providers

/// Captions and chapters (one executor per kind, the same code): uploaded, uploaded again, deleted and
/// (captions) made the default through the provider, with the video's mark (`TextTrackMark`) written
/// around every call, so that a crash at any point leaves a state the next plan reads correctly:
///
/// - before an upload the language is marked `pending` (the next plan uploads it again);
/// - after it, the file's hash replaces `pending`;
/// - after a delete, the language leaves the mark (a crash in between leaves a mark naming what is
///   gone: the next plan removes it, a mark-only delete).
public struct TextTrackExecutor: KindExecutor {
    public let kind: ResourceKind

    public init(_ kind: ResourceKind) {
        precondition(kind.textTrackKind != nil, "not a text-track kind: \(kind)")
        self.kind = kind
    }

    var trackKind: TextTrackKind { kind.textTrackKind ?? .caption }

    /// Captions and chapters are read on the project's videos.
    public var observesVideos: Bool { true }

    /// Lists this kind on each video of the project that carries its mark or that the manifests give
    /// some of it, and on videos to import that the manifests give some of it. Nothing else is read.
    public func observe(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        let wanted = Set(desired.textTracks.filter { $0.address.kind == kind }.compactMap(\.address.parent))
        let key = TextTrackMark.key(trackKind)
        var ids: [String] = []
        for video in observation.videos where video.state != .deleted {
            let address = video.mark(OwnershipMark.address).flatMap(Address.init(parsing:))
            if video.isMarked(project: context.project), video.mark(key) != nil || address.map(wanted.contains) == true {
                ids.append(video.id)
            }
        }
        for (address, id) in desired.imports where address.kind == .video && wanted.contains(address) { ids.append(id) }
        for id in Set(ids).sorted() {
            do {
                observation.textTracks[id, default: ObservedTextTracks()][trackKind] =
                    try await context.provider.textTracks(trackKind, videoID: id)
            } catch  where error.remoteFailure == .notFound {}
        }
        try await hashUnmarked(into: &observation, desired: desired, context)
    }

    /// Downloads and hashes each wanted language a video has that its mark does not name (put there
    /// by hand, or on a video this plan imports), so the planner can adopt a file equal to the
    /// manifests' instead of replacing it. Only those: a managed language is compared by its mark.
    func hashUnmarked(into observation: inout Observation, desired: DesiredState, _ context: ApplyContext) async throws {
        var addressOf: [String: Address] = [:]
        for video in observation.videos where video.isMarked(project: context.project) {
            if let address = video.mark(OwnershipMark.address).flatMap(Address.init(parsing:)) { addressOf[video.id] = address }
        }
        for (address, id) in desired.imports where address.kind == .video { addressOf[id] = address }
        let wanted = Set(desired.textTracks.filter { $0.address.kind == kind }.map(\.address))
        let directory = FileManager.default.temporaryDirectory.path
        for (id, tracks) in observation.textTracks.sorted(by: { $0.key < $1.key }) {
            guard let video = addressOf[id] else { continue }
            let marked = observation.videos.first { $0.id == id && $0.isMarked(project: context.project) }
            let mark = marked.map { TextTrackMark(trackKind, of: $0) } ?? TextTrackMark()
            for track in tracks[trackKind] ?? [] {
                let address = Address(kind, track.language, parent: video)
                guard wanted.contains(address), mark.entries[track.language] == nil, let url = track.url, !url.isEmpty
                else { continue }
                let path = directory + "/streamplan-\(trackKind.rawValue)-\(getpid())-\(UUID().uuidString).vtt"
                defer { try? FileManager.default.removeItem(atPath: path) }
                // Unreadable → no hash: the planner replaces the file, saying it could not be compared.
                guard (try? await context.provider.downloadLink(url, to: path)) != nil,
                    let data = FileManager.default.contents(atPath: path)
                else { continue }
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                observation.textTracks[id, default: ObservedTextTracks()].contentSHA256[
                    "\(trackKind.rawValue).\(track.language)"] = hash
            }
        }
    }

    /// The videos the changes touch, read again with this kind's list.
    public func reobserve(_ changes: [ResourceChange], into observation: inout Observation, _ context: ApplyContext) async throws
    {
        for id in Set(changes.compactMap(\.parentID)).sorted() {
            if let video = try await context.provider.video(id: id) {
                observation.videos.removeAll { $0.id == id }
                observation.videos.append(video)
            }
            do {
                observation.textTracks[id, default: ObservedTextTracks()][trackKind] =
                    try await context.provider.textTracks(trackKind, videoID: id)
            } catch  where error.remoteFailure == .notFound {}
        }
    }

    /// Video by video, in the plan's order; on each video one change at a time: deletes, then
    /// imports, updates, then creates.
    public func execute(_ changes: [ResourceChange], _ context: ApplyContext) async -> [ApplyOutcome] {
        var outcomes: [ApplyOutcome] = []
        var videos: [Address] = []
        for change in changes {
            if let parent = change.address.parent, !videos.contains(parent) { videos.append(parent) }
        }
        for video in videos {
            let mine = changes.filter { $0.address.parent == video }
            let marks = MarkWriter(kind: trackKind, context: context)
            for action in [ChangeAction.delete, .import, .update, .create] {
                for change in mine where change.action == action {
                    outcomes.append(
                        await context.outcome(change) {
                            let videoID = try await context.parentID(of: change)
                            try await perform(change, videoID: videoID, marks: marks, context)
                            // A caption has no id of its own: its language names it on the video.
                            return change.action == .delete ? nil : change.address.name
                        })
                }
            }
        }
        return outcomes
    }

    private func perform(_ change: ResourceChange, videoID: String, marks: MarkWriter, _ context: ApplyContext) async throws {
        let provider = context.provider
        let language = change.address.name
        switch change.action {
        case .delete:
            // A mark-only delete (`isMarkOnly`) found nothing on the video: only the mark changes.
            if !change.isMarkOnly {
                do {
                    try await provider.deleteTextTrack(trackKind, videoID: videoID, language: language)
                } catch  where error.remoteFailure == .notFound {}
            }
            await CrashPoint.textTrackAfterDelete.reach()
            try await marks.set(language, nil, videoID: videoID)
        case .create, .update:
            guard let want = change.desired?.textTrack else { throw ApplyError("\(change.address): not in the manifests") }
            if change.action == .create || change.fields.contains(.file) {
                let now = try await context.hashes.contentSHA256(of: want.file)
                guard now == want.sha256 else {
                    throw ApplyError(
                        "\(change.address): \(want.written) changed since the plan (sha256 \(want.sha256.prefix(12)) then, "
                            + "\(now.prefix(12)) now); plan again")
                }
                try await marks.set(language, TextTrackMark.pending, videoID: videoID)
                await CrashPoint.textTrackBeforeUpload.reach()
                if change.action == .update {
                    do {
                        try await provider.deleteTextTrack(trackKind, videoID: videoID, language: language)
                    } catch  where error.remoteFailure == .notFound {}
                }
                try await provider.uploadTextTrack(
                    trackKind, videoID: videoID, language: language,
                    file: LFSFetcher.contentPath(of: want.file, hashes: context.hashes))
                await CrashPoint.textTrackAfterUpload.reach()
                try await marks.set(language, want.markHash, videoID: videoID)
            }
            if trackKind == .caption, want.isDefault, change.fields.contains(.isDefault) || change.fields.contains(.file) {
                try await provider.setDefaultCaption(videoID: videoID, language: language)
            }
        case .import:
            // The file on the video is the manifests' (the plan compared them): only the mark, and the default.
            guard let want = change.desired?.textTrack else { throw ApplyError("\(change.address): not in the manifests") }
            try await marks.set(language, want.markHash, videoID: videoID)
            if trackKind == .caption, want.isDefault, change.fields.contains(.isDefault) {
                try await provider.setDefaultCaption(videoID: videoID, language: language)
            }
        default:
            throw ApplyError("\(change.address): \(change.action) is not something a \(kind.noun) can do")
        }
    }
}

/// Writes one kind's mark on one video: the video's metadata is read once, then each change of the
/// mark is one `PATCH` of the whole list (the other entries as they are).
actor MarkWriter {
    let kind: TextTrackKind
    let context: ApplyContext
    private var metadata: [String: [MetadataEntry]] = [:]

    init(kind: TextTrackKind, context: ApplyContext) {
        self.kind = kind
        self.context = context
    }

    func set(_ language: String, _ value: String?, videoID: String) async throws {
        var current = metadata[videoID]
        if current == nil {
            guard let video = try await context.provider.video(id: videoID) else {
                throw ApplyError("video \(videoID) no longer exists")
            }
            current = video.metadata
        }
        let before = current ?? []
        var mark = TextTrackMark(parsing: before.first { $0.key == TextTrackMark.key(kind) }?.value)
        mark.entries[language] = value
        let after = mark.applied(to: before, kind: kind)
        metadata[videoID] = after
        guard after != before else { return }
        try await context.provider.updateVideo(id: videoID, VideoPatch(metadata: after))
    }
}
