import Foundation
import MediaInfo

/// Findings that need a source's contents: a quality asked at a higher resolution than the source
/// has. AIOZ Stream ignores such a quality ("a quality above the source resolution is ignored by the
/// server"), so it is a warning, never an error.
public enum SourceResolutionRules {
    /// One warning per quality above its video's source, at the quality's file:line:column. Sources
    /// that cannot be probed (another container, a damaged index) or have no video track give none:
    /// the plan says why their cost is unknown.
    public static func warnings(_ manifest: Manifest) -> [Diagnostic] {
        var probes: [String: SourceProbe] = [:]
        var found: [Diagnostic] = []
        if let unchecked = unfetched(manifest) { found.append(unchecked) }
        for video in manifest.videos {
            // An LFS pointer's media is not fetched to check it (the plan says its cost is unknown).
            guard let qualities = video.qualities, video.source.lfs == nil, video.source.remote == nil else { continue }
            let path = video.source.path
            let probe = probes[path] ?? MediaProbe.probe(path: path)
            probes[path] = probe
            guard let lines = probe.lines, let width = probe.width, let height = probe.height else { continue }
            for (index, quality) in qualities.enumerated() {
                guard let asked = Int(quality.resolution.dropLast()), quality.resolution.hasSuffix("p"), asked > lines else {
                    continue
                }
                let location = index < video.qualityLocations.count ? video.qualityLocations[index] : video.location
                let from = video.profile.map { " (from profile \($0))" } ?? ""
                found.append(
                    Diagnostic(
                        .warning,
                        "\(video.address) asks for \(quality.resolution)\(from) but its source \"\(video.source.written)\" is "
                            + "\(width)×\(height) (\(lines)p); AIOZ Stream ignores a quality above the source's resolution, "
                            + "and the plan still prices it", at: location))
            }
        }
        return found
    }

    /// One warning for every check skipped because its file is a Git LFS pointer (the media is not
    /// fetched to validate): qualities not compared with the source's resolution, WebVTT not read.
    /// At the first such video; nil when there is none.
    static func unfetched(_ manifest: Manifest) -> Diagnostic? {
        let sources = manifest.videos.filter { $0.qualities != nil && $0.source.lfs != nil }
        let tracks = manifest.videos.filter { video in (video.captions + video.chapters).contains { $0.lfs != nil } }
        let count = (sources.count, manifest.videos.reduce(0) { $0 + ($1.captions + $1.chapters).filter { $0.lfs != nil }.count })
        guard let first = sources.first ?? tracks.first else { return nil }
        var skipped: [String] = []
        if count.0 > 0 {
            skipped.append(
                "the qualities of \(count.0) video\(count.0 == 1 ? "" : "s") are not compared with the source's resolution")
        }
        if count.1 > 0 {
            skipped.append("\(count.1) caption or chapter file\(count.1 == 1 ? " is" : "s are") not checked as WebVTT")
        }
        return Diagnostic(
            .warning,
            "not checked: LFS pointer, media not fetched: \(skipped.joined(separator: ", and ")) "
                + "(first: \(first.address), \"\(first.source.lfs != nil && first.qualities != nil ? first.source.written : "its captions or chapters")\")",
            at: first.location)
    }
}
