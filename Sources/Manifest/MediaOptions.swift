import Foundation

/// What a media is: AIOZ's 2026 `type` of `POST /media/create` ("video" by default, or "audio").
public enum MediaType: String, Sendable, Hashable, Codable, CaseIterable {
    case video
    case audio
}

/// A watermark laid over a video at creation (AIOZ's `VideoWatermark`): the id of a watermark
/// image already on the account, and its placement as CSS-like lengths, normalised when read
/// (`opacity` is always a percentage, `0.5` is read as `50%`).
public struct WatermarkSpec: Sendable, Hashable, Codable {
    public var id: String
    public var top: String?
    public var bottom: String?
    public var left: String?
    public var right: String?
    public var width: String?
    public var height: String?
    /// `0%` to `100%`.
    public var opacity: String?

    public init(
        id: String, top: String? = nil, bottom: String? = nil, left: String? = nil, right: String? = nil,
        width: String? = nil, height: String? = nil, opacity: String? = nil
    ) {
        self.id = id
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
        self.width = width
        self.height = height
        self.opacity = opacity
    }

    /// The keys of the manifest's `watermark:` mapping, in the order plans show them.
    public static let keys = ["id", "top", "bottom", "left", "right", "width", "height", "opacity"]

    /// The placement fields by key, for the keys that are set.
    public var fields: [(key: String, value: String)] {
        let values: [String?] = [id, top, bottom, left, right, width, height, opacity]
        return zip(Self.keys, values).compactMap { key, value in value.map { (key, $0) } }
    }

    /// For plans: `{id: logo, top: 10px, right: 5%, opacity: 80%}`.
    public var summary: String {
        "{" + fields.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// The normalised fields as one text (`key=value` lines), which the video's create-options mark
    /// hashes (the service does not show the watermark back). Frozen: changing it would replace
    /// every watermarked video.
    public var canonicalText: String {
        fields.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }
}

/// The rules of the create-time media fields, shared by the manifest reader and the docs.
public enum MediaRules {
    /// `segment_duration`, in seconds (AIOZ documents the field as an integer and no range: inferred,
    /// docs/manifests.md).
    public static let segmentDurations = 1...30

    /// A CSS-like length: a non-negative number with `px` or `%` (`%` at most 100); nil when it is one,
    /// else why not.
    public static func lengthProblem(_ text: String) -> String? {
        let unit = text.hasSuffix("px") ? "px" : text.hasSuffix("%") ? "%" : nil
        guard let unit else { return "must be a length in px or a percentage, e.g. \"10px\" or \"5%\"" }
        let number = String(text.dropLast(unit.count))
        guard isDecimal(number), let value = Double(number) else {
            return "must be a non-negative number followed by px or %, e.g. \"10px\" or \"5%\""
        }
        if unit == "%", value > 100 { return "is more than 100%" }
        if unit == "px", value > 10_000 { return "is more than 10000px" }
        return nil
    }

    /// `opacity` as a percentage (`80%`), from a percentage or a number from 0 to 1; nil when it is
    /// neither.
    public static func opacity(_ text: String) -> String? {
        if text.hasSuffix("%") {
            let number = String(text.dropLast())
            guard isDecimal(number), let value = Double(number), value <= 100 else { return nil }
            return Self.percent(value)
        }
        guard isDecimal(text), let value = Double(text), value <= 1 else { return nil }
        return Self.percent(value * 100)
    }

    private static func percent(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? "\(Int(rounded))%" : "\(rounded)%"
    }

    /// Digits with at most one decimal point inside: `10`, `2.5`; not `-1`, `.5`, `1e3` or `5.`.
    static func isDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// Why a quality cannot be one of an audio media's renditions (it encodes a picture), or nil.
    public static func audioQualityProblem(_ quality: QualitySpec) -> String? {
        guard quality.video != nil else { return nil }
        return "quality \(quality.resolution) encodes video (video_config, or a shorthand such as `720p`); "
            + "an audio media takes audio-only qualities: a mapping with audio_config and no video_config, "
            + "e.g. {resolution: audio, audio_config: {bitrate: 128000}}"
    }
}
