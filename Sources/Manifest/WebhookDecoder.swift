import Foundation
import YAMLNodes

/// `webhooks: NAME: {name, url, events, public_url}`.
extension FragmentDecoder {
    static let webhookKeys = ["name", "url", "events", "public_url"] + Lifecycle.keys

    mutating func webhook(_ name: String, key: YAMLNode, node: YAMLNode) -> WebhookSpec? {
        let what = "webhook.\(name)"
        guard let f = reader.mapping(node, allowed: Self.webhookKeys, what: what) else { return nil }
        let before = reader.diagnostics.diagnostics.count
        var displayName = name
        if let n = f["name"], let v = reader.string(n, what: "name") {
            displayName = v
            reader.checkLength(v, 1...255, what: "name", at: n)
        }
        var url = ""
        var writtenURL = ""
        if let u = f["url"] {
            if let written = reader.string(u, what: "url"), let expanded = expandVariables(written, at: u) {
                url = expanded
                writtenURL = written
                if let problem = WebhookURL.problem(expanded) {
                    // The written form, never the expanded one: a variable may hold a token.
                    reader.error("url \"\(WebhookURL.masked(written))\" \(problem)", at: u)
                }
            }
        } else {
            reader.error(
                "\(what) is missing url (the https:// address AIOZ Stream calls; http only to 127.0.0.1, ::1 or localhost)",
                at: f.firstKeyNode)
        }
        var events: [WebhookEvent] = []
        if let e = f["events"] {
            if let items = reader.list(e, what: "events") {
                if items.isEmpty {
                    reader.error("events must name at least one of: \(WebhookEvent.names)", at: e)
                }
                for item in items {
                    guard let word = reader.string(item, what: "an event") else { continue }
                    guard let event = WebhookEvent(rawValue: word) else {
                        var message = "unknown event \"\(word)\""
                        if let guess = Suggest.closest(to: word, in: WebhookEvent.allCases.map(\.rawValue)) {
                            message += "; did you mean \"\(guess)\"?"
                        }
                        reader.error(message + " Allowed: \(WebhookEvent.names).", at: item)
                        continue
                    }
                    if events.contains(event) {
                        reader.error("event \(word) is listed twice", at: item)
                        continue
                    }
                    events.append(event)
                }
            }
        } else {
            reader.error("\(what) is missing events (a list of: \(WebhookEvent.names))", at: f.firstKeyNode)
        }
        var publicURL = false
        if let p = f["public_url"], let v = reader.bool(p, what: "public_url") {
            publicURL = v
        }
        let hasErrors = reader.diagnostics.diagnostics[before...].contains { $0.severity == .error }
        guard !hasErrors else { return nil }
        return WebhookSpec(
            name: name, displayName: displayName, url: url, writtenURL: writtenURL, events: events, publicURL: publicURL,
            location: reader.location(key))
    }

    /// `${NAME}` replaced by the environment variable NAME, so a token need not be written in git;
    /// an unset variable is an error at the url.
    mutating func expandVariables(_ text: String, at node: YAMLNode) -> String? {
        switch WebhookURL.expand(text, environment: WebhookURL.environment) {
        case .success(let expanded): return expanded
        case .failure(let error):
            reader.error(error.description, at: node)
            return nil
        }
    }
}
