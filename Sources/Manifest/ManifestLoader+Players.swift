import YAMLNodes

extension ManifestLoader {
    /// The players of every fragment (each address defined once), and every name written (a video's
    /// `player:` may name one with errors: that is not reported twice).
    func mergePlayers(_ fragments: [Fragment], define: (String, YAMLNode, String) -> Bool)
        -> (specs: [PlayerSpec], names: Set<String>)
    {
        var specs: [PlayerSpec] = []
        var names = Set<String>()
        for fragment in fragments {
            for (spec, key) in fragment.players {
                let name = key.scalar?.value ?? ""
                guard define("player.\(name)", key, fragment.file) else { continue }
                names.insert(name)
                if let spec { specs.append(spec) }
            }
        }
        return (specs, names)
    }

    /// At most one player is `default: true` (the account has one default player theme): each other
    /// one is reported where it says so, with the first one's position.
    func checkDefaultPlayers(_ specs: [PlayerSpec], into diagnostics: inout DiagnosticCollector) {
        let defaults = specs.filter { $0.isDefault == true }
        guard let first = defaults.first else { return }
        for spec in defaults.dropFirst() {
            diagnostics.error(
                "\(spec.address) has default: true, but \(first.address) is already the default "
                    + "(\(first.defaultLocation ?? first.location)); the account has one default player theme: "
                    + "keep default: true on one of them",
                at: spec.defaultLocation ?? spec.location)
        }
    }

    /// Whether a video's `player:` names a player of the manifests; reports it with a suggestion when not.
    @discardableResult
    func checkPlayer(
        _ ref: (name: String, node: YAMLNode), _ file: String, _ names: Set<String>,
        into diagnostics: inout DiagnosticCollector
    ) -> Bool {
        if names.contains(ref.name) { return true }
        var message = "unknown player \"\(ref.name)\""
        let sorted = names.sorted()
        message += Suggest.closest(to: ref.name, in: sorted).map { "; did you mean \"\($0)\"?" } ?? "."
        message += sorted.isEmpty ? " No players are defined (players:)." : " Defined players: \(sorted.joined(separator: ", "))."
        diagnostics.error(message, at: SourceLocation(file: file, mark: ref.node.mark))
        return false
    }
}

extension ManifestLoader {
    /// Whether each recording's (and the recording defaults') `player:` names a player of the
    /// manifests (reported as a video's is).
    func checkRecordingPlayers(_ key: LiveStreamSpec, _ names: Set<String>, into diagnostics: inout DiagnosticCollector) {
        var references = key.recordings.map { ($0.player, $0.playerLocation ?? $0.location) }
        if let defaults = key.recordingDefaults {
            references.append((defaults.player, defaults.playerLocation ?? defaults.location))
        }
        for (player, location) in references {
            guard let player, !names.contains(player) else { continue }
            var message = "unknown player \"\(player)\""
            let sorted = names.sorted()
            message += Suggest.closest(to: player, in: sorted).map { "; did you mean \"\($0)\"?" } ?? "."
            message +=
                sorted.isEmpty ? " No players are defined (players:)." : " Defined players: \(sorted.joined(separator: ", "))."
            diagnostics.error(message, at: location)
        }
    }
}
