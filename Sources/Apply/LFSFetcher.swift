import Foundation
public import Manifest
public import Planning

/// The content of Git LFS pointers, for the uploads that need it and nothing else: a plan reads
/// the pointer (its `oid` is the content's SHA-256), an upload asks here for the bytes.
///
/// The content is taken from the repository's local LFS store (`<git-common-dir>/lfs/objects/aa/bb/<oid>`)
/// when it is there; otherwise `git lfs smudge` is given the pointer, which downloads exactly that
/// object into the store (through the repository's configured LFS remote). Either way the object's
/// SHA-256 is checked against the pointer before it is used.
public enum LFSFetcher {
    /// The path of the verified content of `file`, which must be an LFS pointer.
    public static func contentPath(of file: DesiredFile, hashes: ContentHasher) async throws -> String {
        guard let pointer = file.lfs else { return file.path }
        // The pointer on disk must still be the one planned: another oid is another content.
        switch LFSPointer.read(path: file.path) {
        case .success(let now)? where now == pointer: break
        case .success(let now)?:
            throw ApplyError(
                "\(file.written) changed since the plan (Git LFS oid \(pointer.oid.prefix(12)) then, \(now.oid.prefix(12)) now); plan again"
            )
        case .failure(let problem)?:
            throw ApplyError("\(file.written) is no longer a valid Git LFS pointer (\(problem)); plan again")
        case nil:
            throw ApplyError(
                "\(file.written) is no longer a Git LFS pointer (its content was checked out since the plan); plan again")
        }
        let directory = Paths.directory(of: file.path)
        let repository = try await gitLocation(directory: directory, written: file.written)
        let object =
            "\(repository.commonDir)/lfs/objects/\(pointer.oid.prefix(2))/\(pointer.oid.dropFirst(2).prefix(2))/\(pointer.oid)"
        if !FileManager.default.fileExists(atPath: object) {
            try await fetch(
                pointer, name: repository.prefix + (file.path as NSString).lastPathComponent, in: directory, written: file.written
            )
            guard FileManager.default.fileExists(atPath: object) else {
                throw ApplyError(
                    "\(file.written): git lfs smudge ended without the object \(pointer.oid.prefix(12)) in the local store (\(object))"
                )
            }
        }
        let identity = try ContentHasher.identity(of: object)
        guard identity.size == pointer.size else {
            throw ApplyError(
                "\(file.written): the Git LFS object \(pointer.oid.prefix(12)) in the local store is \(identity.size) bytes; "
                    + "the pointer says \(pointer.size)")
        }
        let digest = try await hashes.sha256(of: object)
        guard digest == pointer.oid else {
            throw ApplyError(
                "\(file.written): the Git LFS object in the local store (\(object)) hashes to \(digest.prefix(12)), "
                    + "not the pointer's \(pointer.oid.prefix(12)); it is damaged (delete it and apply again)")
        }
        return object
    }

    /// `file` with its path replaced by the verified content's (unchanged when it is not a pointer).
    public static func materialized(_ file: DesiredFile, hashes: ContentHasher) async throws -> DesiredFile {
        guard file.lfs != nil else { return file }
        var copy = file
        copy.path = try await contentPath(of: file, hashes: hashes)
        return copy
    }

    struct GitLocation {
        /// The repository's common git directory (absolute).
        var commonDir: String
        /// The directory's path inside the work tree (`sub/dir/` or empty).
        var prefix: String
    }

    static func gitLocation(directory: String, written: String) async throws -> GitLocation {
        let result = try await run(["git", "rev-parse", "--git-common-dir", "--show-prefix"], in: directory)
        guard result.status == 0 else {
            throw ApplyError(
                "\(written) is a Git LFS pointer outside a git repository (git rev-parse in \(directory): "
                    + "\(result.errorText)); its content cannot be fetched")
        }
        let lines = String(decoding: result.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var commonDir = lines.first.map(String.init) ?? ".git"
        if !commonDir.hasPrefix("/") { commonDir = directory + "/" + commonDir }
        let prefix = lines.count > 1 ? String(lines[1]) : ""
        return GitLocation(commonDir: (commonDir as NSString).standardizingPath, prefix: prefix)
    }

    /// Downloads one object into the local store: `git lfs smudge` with the pointer on its input
    /// (the content it writes out is discarded; the store keeps it).
    static func fetch(_ pointer: LFSPointer, name: String, in directory: String, written: String) async throws {
        let version = try await run(["git", "lfs", "version"], in: directory)
        guard version.status == 0 else {
            throw ApplyError(
                "\(written) is a Git LFS pointer and its content is not in the local store, but git-lfs is not installed "
                    + "(\(version.errorText)); install it (Debian: apt-get install git-lfs) or fetch the object first (git lfs pull)"
            )
        }
        let result = try await run(
            ["git", "lfs", "smudge", "--", name], in: directory, input: Data(pointer.text.utf8), discardOutput: true)
        guard result.status == 0 else {
            throw ApplyError(
                "\(written): git lfs could not fetch the object \(pointer.oid.prefix(12)) (\(pointer.size) bytes): \(result.errorText)"
            )
        }
    }

    struct RunResult {
        var status: Int32
        var output: Data
        var error: Data
        var errorText: String {
            let text = String(decoding: error, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let last = text.split(separator: "\n").suffix(3).joined(separator: "; ")
            return last.isEmpty ? "exit status \(status)" : String(last.prefix(600))
        }
    }

    /// Runs `arguments` (found on PATH) in `directory`, never prompting for credentials and with
    /// smudging enabled whatever the caller's environment says (`GIT_LFS_SKIP_SMUDGE`).
    static func run(_ arguments: [String], in directory: String, input: Data? = nil, discardOutput: Bool = false)
        async throws -> RunResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_LFS_SKIP_SMUDGE"] = nil
        environment["GIT_TERMINAL_PROMPT"] = "0"
        process.environment = environment
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = discardOutput ? FileHandle.nullDevice : outputPipe
        process.standardError = errorPipe
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        do {
            try process.run()
        } catch {
            throw ApplyError("cannot run \(arguments.joined(separator: " ")): \(error)")
        }
        let running = Running(
            process: process, input: input == nil ? nil : inputPipe, output: discardOutput ? nil : outputPipe, error: errorPipe)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: running.finish(writing: input))
            }
        }
    }

    /// A started process and its pipes, finished on a thread of its own (reading both outputs at once,
    /// so that neither fills its pipe while the other is read).
    private final class Running: @unchecked Sendable {
        let process: Process
        let input: Pipe?
        let output: Pipe?
        let error: Pipe
        var collected = Data()

        init(process: Process, input: Pipe?, output: Pipe?, error: Pipe) {
            self.process = process
            self.input = input
            self.output = output
            self.error = error
        }

        func finish(writing data: Data?) -> RunResult {
            if let input, let data {
                try? input.fileHandleForWriting.write(contentsOf: data)
                try? input.fileHandleForWriting.close()
            }
            let group = DispatchGroup()
            if let output {
                group.enter()
                DispatchQueue.global().async {
                    self.collected = output.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
            }
            let errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            process.waitUntilExit()
            return RunResult(status: process.terminationStatus, output: collected, error: errorData)
        }
    }
}

extension ContentHasher {
    /// The SHA-256 of a file's content: an LFS pointer's `oid` (read from the pointer, as it is on
    /// disk now), otherwise the file's hash (through the cache).
    public func contentSHA256(of file: DesiredFile) throws -> String {
        guard file.lfs != nil else { return try sha256(of: file.path) }
        switch LFSPointer.read(path: file.path) {
        case .success(let pointer)?: return pointer.oid
        case .failure(let problem)?: throw ApplyError("\(file.written) is a malformed Git LFS pointer: \(problem)")
        case nil: return try sha256(of: file.path)
        }
    }

    /// The SHA-256 of a manifest's file: an LFS pointer's `oid`, otherwise the file's hash.
    public func contentSHA256(of file: LocalFile) throws -> String {
        if let pointer = file.lfs { return pointer.oid }
        return try sha256(of: file.path)
    }
}
