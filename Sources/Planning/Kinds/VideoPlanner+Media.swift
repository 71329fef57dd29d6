import Manifest
import Providers

/// The create-time media fields (`type`, `watermark`, `segment_duration`): fixed at creation, so a
/// difference is a replace. The type is what the service reports (AIOZ's 2026 `type`), else the
/// create-options mark; the watermark and the segment length only the mark knows. An absent mark
/// means every field is its default (videos made before the mark existed are never replaced for it).
extension VideoPlanner {
    struct CreateTimeDifference {
        var reason: String
        var attribute: AttributeChange
    }

    static func createTimeDifferences(_ want: DesiredVideo, _ have: RemoteVideo) -> [CreateTimeDifference] {
        let marked = OwnershipMark.createOptionFields(have.mark(OwnershipMark.createOptions))
        var differences: [CreateTimeDifference] = []
        let haveType = have.mediaType.flatMap { $0.isEmpty ? nil : $0 } ?? marked["type"] ?? MediaType.video.rawValue
        let wantType = (want.mediaType ?? .video).rawValue
        if haveType != wantType {
            differences.append(
                CreateTimeDifference(
                    reason: "the media type is fixed at creation",
                    attribute: AttributeChange(name: "type", before: haveType, after: wantType)))
        }
        let wantWatermark = want.watermark.map(OwnershipMark.watermarkHash)
        if marked["watermark"] != wantWatermark {
            differences.append(
                CreateTimeDifference(
                    reason: "the watermark is fixed at creation",
                    attribute: AttributeChange(
                        name: "watermark", before: marked["watermark"].map { "sha256 \($0)" } ?? "none",
                        after: want.watermark.map { "\($0.summary) (sha256 \(wantWatermark ?? ""))" } ?? "none")))
        }
        let wantSegment = want.segmentDuration.map(String.init)
        if marked["segment_duration"] != wantSegment {
            differences.append(
                CreateTimeDifference(
                    reason: "segment_duration is fixed at creation",
                    attribute: AttributeChange(
                        name: "segment_duration", before: marked["segment_duration"].map { "\($0) s" } ?? "the service's default",
                        after: wantSegment.map { "\($0) s" } ?? "the service's default")))
        }
        return differences
    }

    /// The create-time fields a create shows (those that are not the defaults).
    static func createTimeAttributes(_ want: DesiredVideo) -> [AttributeChange] {
        var attributes: [AttributeChange] = []
        if let type = want.mediaType, type != .video {
            attributes.append(AttributeChange(name: "type", before: nil, after: type.rawValue))
        }
        if let watermark = want.watermark {
            attributes.append(AttributeChange(name: "watermark", before: nil, after: watermark.summary))
        }
        if let seconds = want.segmentDuration {
            attributes.append(AttributeChange(name: "segment_duration", before: nil, after: "\(seconds) s"))
        }
        return attributes
    }

    /// Why an import of `have` as `want` cannot keep the manifests' create-time fields, for its reasons:
    /// the service cannot show the watermark or the segment length back.
    static func importCreateTimeReasons(_ want: DesiredVideo, _ have: RemoteVideo, serviceName: String) -> [String] {
        let named = [want.watermark != nil ? "watermark" : nil, want.segmentDuration != nil ? "segment_duration" : nil]
            .compactMap { $0 }
        guard !named.isEmpty else { return [] }
        return [
            "its \(named.joined(separator: " and ")) cannot be read back from \(serviceName): the import records the "
                + "manifests' \(named.count == 1 ? "value" : "values") as the video's (replace the video to be sure)"
        ]
    }

    /// An import whose media type (which the service reports) is not the manifests' is blocked: adopted,
    /// it would be replaced by the next plan.
    static func importTypeConflict(_ want: DesiredVideo, _ have: RemoteVideo) -> String? {
        let wanted = (want.mediaType ?? .video).rawValue
        guard let type = have.mediaType, !type.isEmpty, type != wanted else { return nil }
        return "it is \(type == "audio" ? "an audio media" : "a \(type) media") and the manifests say `type: \(wanted)`; "
            + "the type is fixed at creation: write `type: \(type)` to adopt it"
    }

    /// A create or replace of an audio media on a service that has none, blocked with the reason.
    static func blockingAudio(_ change: ResourceChange, _ options: PlanOptions) -> ResourceChange {
        guard change.action == .create || change.action == .replace, change.desired?.video?.mediaType == .audio,
            let why = options.audioMediaUnsupported, change.blocked == nil
        else { return change }
        var change = change
        change.blocked = why
        return change
    }
}
