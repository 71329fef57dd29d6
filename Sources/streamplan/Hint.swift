import Foundation

/// The commands streamplan suggests (after `apply --sandbox`, `plan --out`, a stale plan, …), spelled so
/// that each works exactly as printed, pasted in the directory this streamplan ran in.
enum Hint {
    /// How to run this same streamplan again from the current directory (see `program(argv0:…)`).
    static let program: String = program(
        argv0: CommandLine.arguments.first ?? "streamplan", currentDirectory: FileManager.default.currentDirectoryPath,
        executable: Bundle.main.executablePath, searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "",
        isFile: { FileManager.default.fileExists(atPath: $0) })

    /// `streamplan` when the shell found it by that name on `PATH`; `swift run streamplan` when it is
    /// the build (under `.build/`) of the package whose root is the current directory, started by a
    /// relative path as `swift run` starts it (`-c release` when the build is a release one); else its
    /// absolute path, which works from anywhere.
    static func program(
        argv0: String, currentDirectory: String, executable: String?, searchPath: String, isFile: (String) -> Bool
    ) -> String {
        if !argv0.contains("/") {
            let found = searchPath.split(separator: ":").contains { isFile("\($0)/\(argv0)") }
            return ConnectionOptions.shellQuoted(found ? argv0 : executable ?? argv0)
        }
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        let absolute = URL(fileURLWithPath: argv0, relativeTo: base).standardizedFileURL.path
        let components = absolute.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if !argv0.hasPrefix("/"), let build = components.lastIndex(of: ".build") {
            let root = components[..<build].joined(separator: "/")
            if root == URL(fileURLWithPath: currentDirectory).standardizedFileURL.path, isFile(root + "/Package.swift") {
                return components[(build + 1)...].contains("release") ? "swift run -c release streamplan" : "swift run streamplan"
            }
        }
        return ConnectionOptions.shellQuoted(absolute)
    }

    /// This streamplan with `arguments`, each quoted for a POSIX shell where it needs to be.
    static func command(_ arguments: [String]) -> String {
        ([program] + arguments.map(ConnectionOptions.shellQuoted)).joined(separator: " ")
    }
}

extension ConnectionOptions {
    /// The options that chose where this command connected, to repeat in a suggested command (a saved
    /// plan made with `--sandbox` is applied with `--sandbox`).
    var repeated: [String] {
        var arguments: [String] = []
        if sandbox { arguments.append("--sandbox") }
        if let endpoint { arguments += ["--endpoint", endpoint] }
        if let credentials { arguments += ["--credentials", credentials] }
        if stateDir != ".streamplan" { arguments += ["--state-dir", stateDir] }
        if let api { arguments += ["--api", api] }
        return arguments
    }
}
