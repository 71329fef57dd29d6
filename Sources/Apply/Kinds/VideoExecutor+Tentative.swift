import Foundation
import Planning
import Providers

/// A video create started before the account lease is confirmed (`TentativeCreates`).
extension VideoExecutor {
    /// Whether `change` may start before the lease's confirmation: a plain create of a local file
    /// (not an LFS pointer, URL or S3 object), on a service whose videos' marks can be rewritten,
    /// with room for the claim's two marks.
    static func canStartTentatively(_ change: ResourceChange, _ context: ApplyContext) -> Bool {
        guard change.address.kind == .video, change.action == .create, change.blocked == nil,
            let want = change.desired?.video, want.source.lfs == nil, want.source.remote == nil,
            want.thumbnail?.remote == nil, want.source.size > 0, context.provider.canUpdateVideos
        else { return false }
        return want.metadata(project: context.project).count + 2 < CreateToken.metadataLimit
    }

    /// Creates the video under `claim` and sends its parts; meanwhile, once the lease is confirmed,
    /// writes the project's marks over the claim's (the video is then the project's `new` video, its
    /// source mark pending). The source mark and `complete` are left to `execute`, after the
    /// confirmation. Fails, having sent whatever parts it could, when the lease is lost.
    func tentativeCreate(_ want: DesiredVideo, claim: TentativeCreates.Claim, _ context: ApplyContext) async throws
        -> TentativeCreates.Early
    {
        let (id, pending) = try await create(want, replacing: nil, context, tentative: claim)
        await CrashPoint.afterCreate.reach()
        let real = Task { try await makeReal(id, pending: pending, context) }
        let sent: SentParts
        do {
            sent = try await sendParts(id, want: pending, expecting: want.sourceSHA256, context)
        } catch {
            _ = try? await real.value
            throw error
        }
        try await real.value
        return TentativeCreates.Early(id: id, pending: pending, sent: sent)
    }

    /// After the confirmation: the project's marks (and no claim's) on a tentative video.
    private func makeReal(_ id: String, pending: DesiredVideo, _ context: ApplyContext) async throws {
        guard await context.tentative.decided() else {
            throw ApplyError("\(pending.address): the lease on the account was not confirmed; the video was not kept")
        }
        let metadata = pending.metadata(project: context.project).filter { $0.key != OwnershipMark.thumbnailSHA256 }
        try await context.provider.updateVideo(id: id, VideoPatch(metadata: metadata))
        context.tentative.madeReal(id)
    }
}
