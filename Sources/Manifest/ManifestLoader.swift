import Foundation
import YAMLNodes

/// What loading a set of manifest paths produced: the manifest when there were no errors,
/// and every finding either way.
public struct ManifestLoadResult: Sendable {
    public var manifest: Manifest?
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Loads manifest files and directories into one validated ``Manifest``.
///
/// A directory contributes every `*.yaml`/`*.yml` below it (sorted; hidden entries skipped);
/// each YAML document is a fragment, and fragments merge. Files named by manifests must stay
/// under the directory holding the manifests: the directory given; for a file given on its own,
/// the current directory when the file lies under it, else the file's directory.
public struct ManifestLoader: Sendable {
    public var limits: YAMLLimits
    /// The value of `STREAM_SECRET_KEY`, so that a pasted copy of it is caught.
    public var environmentSecret: String?
    /// Overrides the directory that source and thumbnail paths must stay under.
    public var root: String?

    public init(limits: YAMLLimits = .standard, environmentSecret: String? = nil, root: String? = nil) {
        self.limits = limits
        self.environmentSecret = environmentSecret
        self.root = root
    }

    /// Loads the given paths (files or directories), reading the environment's secret key.
    public static func load(_ paths: [String], root: String? = nil) -> ManifestLoadResult {
        ManifestLoader(environmentSecret: ProcessInfo.processInfo.environment["STREAM_SECRET_KEY"], root: root).load(paths)
    }

    public func load(_ paths: [String]) -> ManifestLoadResult {
        var diagnostics = DiagnosticCollector()
        var inputs: [(file: String, root: String)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.error("\(path): no such file or directory", at: nil)
                continue
            }
            if isDirectory.boolValue {
                let (found, escaping) = Self.manifestFiles(in: path)
                for (file, target) in escaping {
                    diagnostics.error(
                        "\(file) resolves to \(target), outside \(path); manifest files must stay under the directories given (not read)",
                        at: nil)
                }
                if found.isEmpty && escaping.isEmpty {
                    diagnostics.error("\(path): no *.yaml or *.yml files in this directory", at: nil)
                }
                let dirRoot = root ?? LocalFileRules.realpath(path)
                inputs += found.map { ($0, dirRoot) }
            } else {
                inputs.append((path, root ?? Self.defaultRoot(forFile: path)))
            }
        }
        var seenFiles = Set<String>()
        var fragments: [Fragment] = []
        var unreadable = false
        for input in inputs where seenFiles.insert(LocalFileRules.realpath(input.file)).inserted {
            let parsed = YAMLLoader.load(path: input.file, limits: limits)
            for d in parsed.diagnostics { diagnostics.error(d.message, at: d.location) }
            if parsed.documents.isEmpty && !parsed.diagnostics.isEmpty { unreadable = true }
            let scanner = SecretScanner(environmentSecret: environmentSecret)
            for document in parsed.documents {
                guard let rootNode = document.root else { continue }
                scanner.scan(rootNode, file: input.file, into: &diagnostics)
                var decoder = FragmentDecoder(file: input.file, root: input.root)
                fragments.append(decoder.decode(rootNode))
                for d in decoder.reader.diagnostics.diagnostics { diagnostics.append(d) }
            }
        }
        let manifest = merge(fragments, files: inputs.map(\.file), unreadable: unreadable, into: &diagnostics)
        let sorted = diagnostics.sorted
        let failed = sorted.contains { $0.severity == .error }
        return ManifestLoadResult(manifest: failed ? nil : manifest, diagnostics: sorted)
    }

    /// A file given on its own may name media under the current directory when it lies there
    /// (running from a repository's root), and otherwise only under its own directory.
    static func defaultRoot(forFile path: String) -> String {
        let parent = Paths.directory(of: path)
        let directory = LocalFileRules.realpath(parent.isEmpty ? "." : parent)
        let cwd = LocalFileRules.realpath(FileManager.default.currentDirectoryPath)
        return directory == cwd || directory.hasPrefix(cwd == "/" ? "/" : cwd + "/") ? cwd : directory
    }

    /// Every manifest file below `directory`, sorted, skipping hidden files and folders; and the
    /// ones that resolve (through symlinks) outside it, with where they lead, which are not read.
    static func manifestFiles(in directory: String) -> (files: [String], escaping: [(String, String)]) {
        // Enumerate the resolved directory (the enumerator does not enter a symlinked top), but
        // name files by the path the user gave.
        let top = LocalFileRules.realpath(directory)
        guard let enumerator = FileManager.default.enumerator(atPath: top) else { return ([], []) }
        var files: [String] = []
        var escaping: [(String, String)] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            guard ext == "yaml" || ext == "yml" else { continue }
            let full = directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let target = LocalFileRules.realpath(full)
            guard target.hasPrefix(top == "/" ? "/" : top + "/") else {
                escaping.append((full, target))
                continue
            }
            files.append(full)
        }
        return (files.sorted(), escaping.sorted { $0.0 < $1.0 })
    }

    private func merge(
        _ fragments: [Fragment], files: [String], unreadable: Bool,
        into diagnostics: inout DiagnosticCollector
    ) -> Manifest? {
        var project: (value: String, location: SourceLocation)?
        var provider: (value: ServiceProvider, location: SourceLocation)?
        var addresses: [String: SourceLocation] = [:]
        func define(_ address: String, _ key: YAMLNode, in file: String) -> Bool {
            let here = SourceLocation(file: file, mark: key.mark)
            if let first = addresses[address] {
                diagnostics.error("\(address) is defined twice: here and at \(first)", at: here)
                return false
            }
            addresses[address] = here
            return true
        }
        var profiles: [String: ProfileSpec] = [:]
        var profileOrder: [String] = []
        for fragment in fragments {
            if let p = fragment.project {
                let here = SourceLocation(file: fragment.file, mark: p.node.mark)
                if let existing = project, existing.value != p.value {
                    diagnostics.error(
                        "project \"\(p.value)\" disagrees with project \"\(existing.value)\" set at \(existing.location); all files must name the same project",
                        at: here)
                } else if project == nil {
                    project = (p.value, here)
                }
            }
            if let p = fragment.provider {
                let here = SourceLocation(file: fragment.file, mark: p.node.mark)
                if let existing = provider, existing.value != p.value {
                    diagnostics.error(
                        "provider \"\(p.value.rawValue)\" disagrees with provider \"\(existing.value.rawValue)\" set at \(existing.location); all files of a project must name the same provider",
                        at: here)
                } else if provider == nil {
                    provider = (p.value, here)
                }
            }
            for (spec, key) in fragment.profiles {
                let name = key.scalar?.value ?? ""
                guard define("profile.\(name)", key, in: fragment.file), let spec else { continue }
                profiles[name] = spec
                profileOrder.append(name)
            }
        }
        // Findings that something is missing (a project, a video a playlist names, a profile, …): when a
        // file has a section streamplan could not read (`vidoes:`, a misspelt or invalid `project`),
        // what seems missing may be in it, and the finding about that section is the one to read.
        var references = DiagnosticCollector()
        let incomplete = fragments.contains(where: \.incomplete)
        if project == nil && !unreadable && !fragments.isEmpty && !fragments.contains(where: \.projectGiven) {
            references.error(
                "no manifest sets `project`, the namespace streamplan stamps on what it creates "
                    + "(for example `project: acme-learning`)", at: SourceLocation(file: fragments[0].file, line: 1, column: 1))
        }
        var videos: [VideoSpec] = []
        var liveStreams: [LiveStreamSpec] = []
        var webhooks: [WebhookSpec] = []
        let players = mergePlayers(fragments, define: define)
        checkDefaultPlayers(players.specs, into: &diagnostics)
        for fragment in fragments {
            for (pending, key) in fragment.videos {
                guard define("video.\(pending.name)", key, in: fragment.file) else { continue }
                guard var spec = pending.spec else {
                    if let ref = pending.profileReference { checkProfile(ref, fragment.file, profiles, into: &references) }
                    if let ref = pending.playerReference { checkPlayer(ref, fragment.file, players.names, into: &references) }
                    continue
                }
                if let ref = pending.profileReference {
                    guard let profile = checkProfile(ref, fragment.file, profiles, into: &references) else { continue }
                    spec.qualities = profile.qualities
                    spec.qualityLocations = profile.qualityLocations
                    spec.profile = profile.name
                }
                if let ref = pending.playerReference {
                    guard checkPlayer(ref, fragment.file, players.names, into: &references) else { continue }
                    spec.player = ref.name
                }
                guard audioQualitiesFit(spec, into: &diagnostics) else { continue }
                videos.append(spec)
            }
            for (spec, key) in fragment.liveStreams {
                let name = key.scalar?.value ?? ""
                guard define("live_stream.\(name)", key, in: fragment.file), let spec else { continue }
                checkRecordingPlayers(spec, players.names, into: &references)
                liveStreams.append(spec)
            }
            for (spec, key) in fragment.webhooks {
                let name = key.scalar?.value ?? ""
                guard define("webhook.\(name)", key, in: fragment.file), let spec else { continue }
                webhooks.append(spec)
            }
        }
        var playlists: [PlaylistSpec] = []
        let videoNames = Set(addresses.keys.filter { $0.hasPrefix("video.") }.map { String($0.dropFirst(6)) })
        for fragment in fragments {
            for (pending, key) in fragment.playlists {
                let name = key.scalar?.value ?? ""
                guard define("playlist.\(name)", key, in: fragment.file) else { continue }
                guard
                    PlaylistReferences.check(
                        pending, videos: videoNames, recordings: Set(liveStreams.flatMap { $0.recordings.map(\.address) }),
                        into: &references), let spec = pending.spec
                else { continue }
                playlists.append(spec)
            }
        }
        var imports: [ImportSpec] = []
        var importedTo: [String: SourceLocation] = [:]
        var importedIDs: [String: SourceLocation] = [:]
        let streamings = liveStreams.flatMap { key in key.streamings.map { "live_stream.\(key.name).streaming.\($0.name)" } }
        for fragment in fragments {
            for (spec, _) in fragment.imports {
                guard addresses[spec.to] != nil || streamings.contains(spec.to) else {
                    let kind = String(spec.to.prefix { $0 != "." })
                    let known = spec.to.contains(".streaming.") ? streamings : Array(addresses.keys)
                    let names = known.filter { $0.hasPrefix(kind + ".") }.sorted()
                    let noun = spec.to.contains(".streaming.") ? "streaming" : kind.replacingOccurrences(of: "_", with: " ")
                    var message = "import to \(spec.to): no such \(noun) in the manifests"
                    if let guess = Suggest.closest(to: spec.to, in: names) { message += "; did you mean \(guess)?" }
                    message += " An import adopts an object as one the manifests describe: define \(spec.to) too."
                    references.error(message, at: spec.location)
                    continue
                }
                if let first = importedTo[spec.to] {
                    diagnostics.error("\(spec.to) is imported twice: here and at \(first)", at: spec.location)
                    continue
                }
                if let first = importedIDs[spec.id] {
                    diagnostics.error("id \(spec.id) is imported twice: here and at \(first)", at: spec.location)
                    continue
                }
                importedTo[spec.to] = spec.location
                importedIDs[spec.id] = spec.location
                imports.append(spec)
            }
        }
        if !incomplete { for finding in references.diagnostics { diagnostics.append(finding) } }
        if let provider, provider.value != .aioz {
            ProviderRules(provider: provider.value, providerLocation: provider.location).check(
                fragments, into: &diagnostics)
        }
        guard let project else { return nil }
        var manifest = Manifest(
            project: project.value, profiles: profileOrder.compactMap { profiles[$0] }, videos: videos,
            liveStreams: liveStreams, files: files)
        manifest.imports = imports
        let defined = Set(addresses.keys).union(
            liveStreams.flatMap { key in key.streamings.map { "live_stream.\(key.name).streaming.\($0.name)" } })
        manifest.moves = MoveRules.check(fragments.flatMap(\.moves), defined: defined, into: &diagnostics)
        for fragment in fragments { for (address, spec) in fragment.lifecycle { manifest.lifecycle[address] = spec } }
        manifest.webhooks = webhooks
        manifest.playlists = playlists
        manifest.players = players.specs
        manifest.provider = provider?.value ?? .aioz
        return manifest
    }

    @discardableResult
    private func checkProfile(
        _ ref: (name: String, node: YAMLNode), _ file: String, _ profiles: [String: ProfileSpec],
        into diagnostics: inout DiagnosticCollector
    ) -> ProfileSpec? {
        if let profile = profiles[ref.name] { return profile }
        if QualityRules.shorthand(ref.name) != nil {
            diagnostics.error(
                "\"\(ref.name)\" names no profile; for a one-quality ladder write a list: `qualities: [\(ref.name)]`",
                at: SourceLocation(file: file, mark: ref.node.mark))
            return nil
        }
        var message = "unknown profile \"\(ref.name)\""
        let names = profiles.keys.sorted()
        message += Suggest.closest(to: ref.name, in: names).map { "; did you mean \"\($0)\"?" } ?? "."
        message += names.isEmpty ? " No profiles are defined." : " Defined profiles: \(names.joined(separator: ", "))."
        diagnostics.error(message, at: SourceLocation(file: file, mark: ref.node.mark))
        return nil
    }
}

extension ManifestLoader {
    /// An audio media's qualities (inline or from its profile) must be audio-only renditions; each one
    /// that encodes video is reported where it is written. False when one does.
    func audioQualitiesFit(_ spec: VideoSpec, into diagnostics: inout DiagnosticCollector) -> Bool {
        guard spec.mediaType == .audio, let qualities = spec.qualities else { return true }
        var fits = true
        for (index, quality) in qualities.enumerated() {
            guard let problem = MediaRules.audioQualityProblem(quality) else { continue }
            let location = index < spec.qualityLocations.count ? spec.qualityLocations[index] : spec.location
            let from = spec.profile.map { " (from profile \($0))" } ?? ""
            diagnostics.error("\(spec.address) is `type: audio`\(from): \(problem)", at: location)
            fits = false
        }
        return fits
    }
}
