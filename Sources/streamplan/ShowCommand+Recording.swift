import Apply
import Manifest
import Planning
import Providers

/// `streamplan show live_stream.KEY.recording.NAME`: the saved recording the entry selects, with the
/// fields streamplan manages and its links.
extension ShowCommand {
    static func recording(
        _ wanted: Address, manifest: Manifest, provider: any Provider, link: (String) -> String
    ) async throws -> String? {
        let desired = DesiredState(manifest, videos: [])
        guard let want = desired.recordings.first(where: { $0.address == wanted }) else { return nil }
        let entries = await (try Registry.load(project: manifest.project, provider: provider)).entries
        guard let keyID = entries.id(wanted.root), let key = try await provider.liveKey(id: keyID) else { return nil }
        var observation = Observation(registry: entries)
        observation.liveKeys[keyID] = ObservedLiveKey(
            key, streamings: try await provider.streamings(keyID: keyID),
            recordings: try await provider.savedRecordings(keyID: keyID))
        let match = RecordingPlanner.match(want, desired, observation, PlanOptions(serviceName: provider.serviceName))
        guard case .found(_, let recording, let media) = match else { return nil }
        func field(_ name: String, _ value: String) -> String {
            "  \(name):" + String(repeating: " ", count: max(1, 11 - name.count)) + value + "\n"
        }
        var out = "\(wanted) (id \(media.id))\n"
        out += field("title", media.title)
        out += field("status", media.state.rawValue)
        out += field("public", String(media.isPublic))
        if !media.description.isEmpty { out += field("description", media.description) }
        out += field("tags", "[\(media.tags.joined(separator: ", "))]")
        if let playerID = media.playerID, !playerID.isEmpty {
            out += field("player", (entries.address(of: playerID).map { "\($0) " } ?? "") + "(id \(playerID))")
        }
        let streaming = entries.address(of: recording.streamingID)?.description ?? "(not managed)"
        out += field("streaming", "\(streaming) (id \(recording.streamingID))")
        out += field("key", "\(wanted.root) (id \(keyID))")
        for (name, url) in media.links.printable { out += field(name, link(url)) }
        return out
    }
}
