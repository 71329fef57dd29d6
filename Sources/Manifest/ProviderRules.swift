import YAMLNodes

/// What a provider other than AIOZ Stream cannot honour, refused where it is written.
///
/// AIOZ Stream's rules are the manifest's own (they were written for it); another provider's
/// limits are checked here, once every fragment is known, since `provider:` may be set in any file.
struct ProviderRules {
    let provider: ServiceProvider
    let providerLocation: SourceLocation

    /// Aionvision's documented limits (docs/providers.md).
    static let aionvisionMaxSize: Int64 = 10_737_418_240
    static let aionvisionMaxTags = 20
    static let aionvisionTagLength = 1...50

    /// Video keys a provider has no field for, with why.
    var unsupportedVideoKeys: [(key: String, why: String)] {
        switch provider {
        case .aioz: []
        case .aionvision:
            [
                ("qualities", "it chooses its own renditions (no encoding ladders)"),
                ("description", "its upload takes a title, tags and metadata only"),
                ("thumbnail", "it has no thumbnail upload"),
                ("is_public", "it has no public or private setting"),
                ("captions", "it has no caption upload"),
                ("chapters", "it has no chapter upload"),
                ("default_caption", "it has no captions"),
                ("player", "it has no player themes"),
                ("watermark", "its upload has no watermark"),
                ("segment_duration", "it chooses its own segments"),
            ]
        }
    }

    func check(_ fragments: [Fragment], into diagnostics: inout DiagnosticCollector) {
        let name = provider.displayName
        let chosen = "(provider: \(provider.rawValue) at \(providerLocation))"
        for fragment in fragments {
            for (_, key) in fragment.profiles {
                let profile = key.scalar?.value ?? ""
                diagnostics.error(
                    "profile.\(profile): \(name) cannot honour encoding ladders; it chooses its own renditions \(chosen). Remove the profile",
                    at: SourceLocation(file: fragment.file, mark: key.mark))
            }
            for (_, key) in fragment.liveStreams {
                let stream = key.scalar?.value ?? ""
                diagnostics.error(
                    "live_stream.\(stream): \(name) has no live streams \(chosen); keep live streams in a project on provider aioz",
                    at: SourceLocation(file: fragment.file, mark: key.mark))
            }
            for (_, key) in fragment.webhooks {
                diagnostics.error(
                    "webhook.\(key.scalar?.value ?? ""): \(name) has no webhooks \(chosen); keep webhooks in a project on provider aioz",
                    at: SourceLocation(file: fragment.file, mark: key.mark))
            }
            for (_, key) in fragment.playlists {
                diagnostics.error(
                    "playlist.\(key.scalar?.value ?? ""): \(name) has no playlists \(chosen); keep playlists in a project on provider aioz",
                    at: SourceLocation(file: fragment.file, mark: key.mark))
            }
            for (_, key) in fragment.players {
                diagnostics.error(
                    "player.\(key.scalar?.value ?? ""): \(name) has no player themes \(chosen); keep players in a project on provider aioz",
                    at: SourceLocation(file: fragment.file, mark: key.mark))
            }
            for (pending, _) in fragment.videos {
                checkVideo(pending, chosen: chosen, into: &diagnostics)
            }
        }
    }

    private func checkVideo(_ pending: PendingVideo, chosen: String, into diagnostics: inout DiagnosticCollector) {
        let name = provider.displayName
        let address = "video.\(pending.name)"
        for (key, why) in unsupportedVideoKeys {
            guard let location = pending.keyLocations[key] else { continue }
            diagnostics.error("\(address): \(name) cannot honour `\(key)`: \(why) \(chosen). Remove it", at: location)
        }
        guard provider == .aionvision, let spec = pending.spec else { return }
        if spec.mediaType == .audio, let location = pending.keyLocations["type"] {
            diagnostics.error(
                "\(address): \(name) cannot honour `type: audio`: it uploads videos only (MP4, MOV, M4V, WebM, AVI) "
                    + "\(chosen). Keep audio media in a project on provider aioz", at: location)
        }
        if spec.source.size > Self.aionvisionMaxSize, let location = pending.keyLocations["source"] {
            diagnostics.error(
                "\(address): source \"\(spec.source.written)\" is \(spec.source.size) bytes; \(name) accepts at most 10 GB (\(Self.aionvisionMaxSize) bytes) per video \(chosen)",
                at: location)
        }
        guard let tagsLocation = pending.keyLocations["tags"] else { return }
        if spec.tags.count > Self.aionvisionMaxTags {
            diagnostics.error(
                "\(address): \(spec.tags.count) tags; \(name) allows at most \(Self.aionvisionMaxTags) \(chosen)",
                at: tagsLocation)
        }
        for tag in spec.tags where !Self.isAionvisionTag(tag) {
            diagnostics.error(
                "\(address): tag \"\(tag)\" is not accepted by \(name): 1 to 50 letters, digits, spaces, '-' or '_' \(chosen)",
                at: pending.tagLocations[tag] ?? tagsLocation)
        }
    }

    static func isAionvisionTag(_ tag: String) -> Bool {
        aionvisionTagLength.contains(tag.count)
            && tag.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || " -_".unicodeScalars.contains($0)
            }
    }
}
