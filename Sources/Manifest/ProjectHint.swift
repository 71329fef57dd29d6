import Foundation

extension ManifestLoader {
    /// The project the manifests at `paths` most likely name, read without parsing them: the value
    /// of every top-level `project:` line (block style, at column 0), when all agree and no
    /// top-level `provider:` line names another service than `aioz`; nil otherwise.
    ///
    /// A hint only, for starting to read the account while the manifests load (`plan` reads the
    /// project's video list meanwhile, which takes a few reads and changes nothing): whoever uses
    /// it checks it against the loaded manifest's `project` and throws away what it read for a
    /// hint that was wrong.
    public static func projectHint(_ paths: [String]) -> String? {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
            files += isDirectory.boolValue ? manifestFiles(in: path).files : [path]
        }
        var projects = Set<String>()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            for (key, value) in topLevelScalars(data, keys: ["project", "provider"]) {
                if key == "provider" {
                    guard value == "aioz" else { return nil }
                } else {
                    projects.insert(value)
                }
            }
        }
        return projects.count == 1 ? projects.first : nil
    }

    /// `key: value` lines at column 0 whose key is one of `keys`, with the value unquoted and any
    /// comment removed; a value that is not a plain word (flow, block, anchors) is left out.
    static func topLevelScalars(_ data: Data, keys: Set<String>) -> [(String, String)] {
        var found: [(String, String)] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "#"),
                let colon = line.firstIndex(of: UInt8(ascii: ":"))
            else { continue }
            let key = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard keys.contains(key) else { continue }
            var value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]) }
            value = value.trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { continue }
            found.append((key, value))
        }
        return found
    }
}
