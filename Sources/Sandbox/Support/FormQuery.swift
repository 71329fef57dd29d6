import Foundation
import Hummingbird

extension Request {
    /// The URI's query parameters as AIOZ's server (Go's `url.ParseQuery`) reads them: `+` is a space and
    /// `%XX` a byte, so that `search=video+C`, as Go's `url.Values.Encode` sends it, searches `video C`.
    /// A name given twice keeps its first value.
    var formQuery: [String: String] {
        var parameters: [String: String] = [:]
        for pair in (uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if parameters[name] == nil { parameters[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return parameters
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
