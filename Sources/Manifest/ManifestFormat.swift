import Foundation
public import YAMLNodes

/// `streamplan fmt`: the canonical layout of manifest files (docs/manifests.md, "Formatting").
///
/// Keys of the manifest's own mappings follow the order of docs/manifests.md's tables (the order
/// the decoder reads them); names chosen by the user (videos, profiles, live streams, streamings,
/// metadata keys) keep the order they are written in, because that order is the manifest's.
public enum ManifestFormat {
    public static let topLevelKeys = FragmentDecoder.topLevelKeys
    public static let videoKeys = FragmentDecoder.videoKeys
    public static let qualityKeys = ["resolution", "type", "container_type", "video_config", "audio_config"]
    public static let videoConfigKeys = ["codec", "bitrate", "index"]
    public static let audioConfigKeys = ["codec", "bitrate", "channels", "sample_rate", "language", "index"]
    public static let liveStreamKeys =
        [
            "name", "save", "type", "thumbnail", "streamings", "restream", "recordings", "recording_defaults",
        ] + Lifecycle.keys
    public static let streamingKeys = ["title", "save", "qualities"] + Lifecycle.keys
    public static let playlistKeys = FragmentDecoder.playlistKeys

    /// The formatter with the manifest's key order.
    public static let formatter = YAMLFormatter(keyOrder: canonicalKeys(at:))

    /// The canonical key order of the mapping at `path` (keys from the root, `-` for a list item),
    /// or nil where the keys are names chosen by the user.
    public static func canonicalKeys(at path: [String]) -> [String]? {
        // A mapping merged with `<<` stands for the mapping it is merged into.
        let p = path.filter { $0 != "<<" }
        if p.isEmpty { return topLevelKeys }
        if p.count == 2 && p[0] == "videos" { return videoKeys }
        if p.count == 2 && p[0] == "live_streams" { return liveStreamKeys }
        if p.count == 4 && p[0] == "live_streams" && p[2] == "streamings" { return streamingKeys }
        if p.count == 2 && p[0] == "playlists" { return playlistKeys }
        if let keys = PlayerFields.canonicalKeys(at: p) { return keys }
        // A quality mapping: in a profile (profiles.NAME.-) or in a video (videos.NAME.qualities.-).
        let quality: Int?
        if p.count >= 3 && p[0] == "profiles" && p[2] == "-" {
            quality = 3
        } else if p.count >= 4 && p[0] == "videos" && p[2] == "qualities" && p[3] == "-" {
            quality = 4
        } else {
            quality = nil
        }
        guard let quality else { return nil }
        switch Array(p[quality...]) {
        case []: return qualityKeys
        case ["video_config"]: return videoConfigKeys
        case ["audio_config"]: return audioConfigKeys
        default: return nil
        }
    }

    /// The manifest files that `paths` name: files as given, and every `*.yaml`/`*.yml` below a
    /// directory (as `validate` reads them); and a sentence for each path that names none.
    public static func files(_ paths: [String]) -> (files: [String], problems: [String]) {
        var files: [String] = []
        var problems: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append("\(path): no such file or directory")
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let (found, escaping) = ManifestLoader.manifestFiles(in: path)
            for (file, target) in escaping {
                problems.append(
                    "\(file) resolves to \(target), outside \(path); fmt leaves files outside the directories given alone")
            }
            if found.isEmpty && escaping.isEmpty { problems.append("\(path): no *.yaml or *.yml files in this directory") }
            files += found
        }
        var seen = Set<String>()
        return (files.filter { seen.insert(LocalFileRules.realpath($0)).inserted }, problems)
    }
}
