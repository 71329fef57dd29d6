import Foundation
import Hummingbird

extension Request {
    /// The URI's query parameters as AIOZ's server (Go's `url.ParseQuery`) reads them: `+` is a space and
    /// `%XX` a byte, so that `search=video+C`, as Go's `url.Values.Encode` sends it, searches `video C`.
    /// A name given twice keeps its first value.
    var formQuery: [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in FormPairs.decode(uri.query ?? "") where parameters[name] == nil {
            parameters[name] = value
        }
        return parameters
    }
}

/// The pairs of `application/x-www-form-urlencoded` text, a query or a request body, as Go's
/// `url.ParseQuery` reads them: `+` is a space and `%XX` a byte (a malformed escape is kept as
/// written). In order, a name given twice kept twice (a form's `tags` repeat).
enum FormPairs {
    static func decode(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }

    static func unescape(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension [String: String] {
    /// The query parameter `name` as an integer; nil when absent, 400 when it is not one.
    func integer(_ name: String) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("\(name) must be an integer.") }
        return value
    }
}
