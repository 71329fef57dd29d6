import ArgumentParser
import Foundation
import Manifest
import YAMLNodes

/// `streamplan fmt`: rewrites manifests in the canonical layout, never losing a comment or
/// changing a value (docs/manifests.md, "Formatting").
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite manifests in the canonical key order and indentation.",
        discussion: """
            Puts the keys of videos, qualities, live streams and streamings in the order of \
            docs/manifests.md and indents every level by two spaces. Comments, values, quoting, \
            anchors and the order of your own names (videos, profiles, metadata keys) are kept; the \
            result is read back and compared before a file is written. Each rewritten file is named \
            on stdout. A file fmt cannot lay out safely is left as it is, with a note on stderr. \
            Exit status: 0 done (or, with --check, nothing to change); 1 a file is not valid YAML \
            (named as file:line:column, left untouched) or cannot be read or written; 3 with --check, \
            some file would change.

            Examples:
              streamplan fmt
              streamplan fmt --check manifests/
              streamplan fmt --diff manifests/videos/course.yaml
            """
    )

    @Flag(help: "Change no file: list the files that would change, and exit 3 if there are any.")
    var check = false

    @Flag(help: "Print a unified diff of each change (with --check, of each change fmt would make).")
    var diff = false

    @Argument(help: "Manifest files or directories (every *.yaml and *.yml below a directory).")
    var paths: [String] = ["manifests"]

    func run() throws {
        let (files, problems) = ManifestFormat.files(paths)
        var failed = !problems.isEmpty
        for problem in problems { Terminal.stderr("error: \(problem)") }
        var changed = 0
        for file in files {
            // The loader's checks first: a regular file, not too large, UTF-8, no NUL byte, valid YAML.
            let loaded = YAMLLoader.load(path: file)
            if !loaded.diagnostics.isEmpty {
                for d in loaded.diagnostics { Terminal.stderr("\(d.location): error: \(d.message) (the file is left untouched)") }
                failed = true
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                Terminal.stderr("\(file):1:1: error: the file cannot be read (left untouched)")
                failed = true
                continue
            }
            // Valid UTF-8 (the loader checked), decoded as is: a byte-order mark stays.
            let text = String(decoding: data, as: UTF8.self)
            switch ManifestFormat.formatter.format(text, file: file) {
            case .invalid(let diagnostics):
                for d in diagnostics { Terminal.stderr("\(d.location): error: \(d.message) (the file is left untouched)") }
                failed = true
            case .leftAsIs(let reason):
                Terminal.stderr("\(file): note: left as it is: \(reason)")
            case .formatted(let formatted):
                guard formatted != text else { continue }
                changed += 1
                if diff {
                    let name = file.hasPrefix("/") ? String(file.dropFirst()) : file
                    Terminal.stdout(UnifiedDiff.diff(text, formatted, oldName: "a/\(name)", newName: "b/\(name)"), newline: false)
                } else {
                    Terminal.stdout(file)
                }
                guard !check else { continue }
                do {
                    try Self.replace(file, with: formatted)
                } catch {
                    Terminal.stderr("\(file):1:1: error: cannot write the formatted file: \(error.localizedDescription)")
                    failed = true
                }
            }
        }
        if failed { throw StreamplanExit.failure.code }
        if check && changed > 0 {
            Terminal.stderr(
                "\(changed) file\(changed == 1 ? "" : "s") would be reformatted; run `\(Hint.command(["fmt"] + paths))` to fix"
            )
            throw StreamplanExit.wouldReformat.code
        }
    }

    /// Writes `text` beside `file` and renames it over `file`, keeping its permissions, so that a
    /// crash leaves either the old file or the new one.
    static func replace(_ file: String, with text: String) throws {
        let url = URL(fileURLWithPath: file).resolvingSymlinksInPath()
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).fmt-\(getpid())")
        try Data(text.utf8).write(to: temporary)
        do {
            if let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
