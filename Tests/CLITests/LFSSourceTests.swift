import Crypto
import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Sources that are Git LFS pointers, with the real `git-lfs` and a local LFS remote (a bare
/// repository used as a `file://` remote through git-lfs's standalone file transfer): no network.
@Suite("LFS pointers as sources: plan reads no media, apply fetches only what it uploads", .gated)
struct LFSSourceTests {
    /// A bare `remote.git` holding `main` (intro, second) and `next` (another intro), every object
    /// pushed to its LFS store, and a clone of `main` made with `GIT_LFS_SKIP_SMUDGE=1` (pointers only).
    struct Repositories {
        let root: String
        var seed: String { root + "/seed" }
        var clone: String { root + "/clone" }
        var remote: String { root + "/remote.git" }
        let introNext: [UInt8]
        let cover = TestMedia.bytes(for: "cover.png", size: 1500, seed: 3)
        let second = TestMedia.bytes(for: "second.mp4", size: 2000, seed: 2)
        let caption = Array("WEBVTT\n\n00:00.000 --> 00:01.500\nHello from LFS\n".utf8)

        init(project: String) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("lfs-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/seed/media", withIntermediateDirectories: true)
            let seed = root + "/seed"
            try Self.git(["init", "-q", "--bare", "-b", "main", root + "/remote.git"], in: root)
            try Self.git(["init", "-q", "-b", "main"], in: seed)
            try Self.git(["lfs", "install", "--local"], in: seed)
            try Self.git(["config", "lfs.standalonetransferagent", "lfs-standalone-file"], in: seed)
            try Self.git(["lfs", "track", "*.mp4", "*.png", "*.vtt"], in: seed)
            try ".streamplan/\n".write(toFile: seed + "/.gitignore", atomically: true, encoding: .utf8)
            try """
            project: \(project)
            videos:
              intro:
                title: Intro
                source: media/intro.mp4
              second:
                title: Second
                source: media/second.mp4
                thumbnail: media/cover.png
                captions: {en: media/en.vtt}

            """.write(toFile: seed + "/streamplan.yaml", atomically: true, encoding: .utf8)
            try Data(TestMedia.bytes(for: "intro.mp4", size: 3000, seed: 1)).write(
                to: URL(fileURLWithPath: seed + "/media/intro.mp4"))
            try Data(cover).write(to: URL(fileURLWithPath: seed + "/media/cover.png"))
            try Data(caption).write(to: URL(fileURLWithPath: seed + "/media/en.vtt"))
            try Data(second).write(to: URL(fileURLWithPath: seed + "/media/second.mp4"))
            try Self.git(["add", "."], in: seed)
            try Self.git(["commit", "-q", "-m", "media"], in: seed)
            try Self.git(["remote", "add", "origin", "file://" + root + "/remote.git"], in: seed)
            try Self.git(["push", "-q", "origin", "main"], in: seed)
            // A second version of intro, pushed on its own branch (its object is on the remote only).
            introNext = TestMedia.bytes(for: "intro.mp4", size: 3500, seed: 9)
            try Self.git(["checkout", "-q", "-b", "next"], in: seed)
            try Data(introNext).write(to: URL(fileURLWithPath: seed + "/media/intro.mp4"))
            try Self.git(["commit", "-q", "-am", "new intro"], in: seed)
            try Self.git(["push", "-q", "origin", "next"], in: seed)
            try Self.git(["checkout", "-q", "main"], in: seed)
            try Self.git(
                [
                    "-c", "lfs.standalonetransferagent=lfs-standalone-file", "clone", "-q", "-b", "main",
                    "file://" + root + "/remote.git", "clone",
                ],
                in: root, environment: ["GIT_LFS_SKIP_SMUDGE": "1"])
            try Self.git(["config", "lfs.standalonetransferagent", "lfs-standalone-file"], in: root + "/clone")
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        /// The files under the clone's LFS object store (what has been fetched).
        var fetchedObjects: [String] {
            let store = clone + "/.git/lfs/objects"
            let found = FileManager.default.enumerator(atPath: store)?.compactMap { $0 as? String } ?? []
            return found.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: store + "/" + path, isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            }.map { ($0 as NSString).lastPathComponent }.sorted()
        }

        @discardableResult
        static func git(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            var env = ProcessInfo.processInfo.environment
            env["GIT_LFS_SKIP_SMUDGE"] = nil
            for (key, value) in [
                "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test",
                "GIT_COMMITTER_EMAIL": "test@example.com", "GIT_TERMINAL_PROMPT": "0",
            ] {
                env[key] = value
            }
            env.merge(environment) { _, new in new }
            process.environment = env
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure(
                    "git \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: err, as: UTF8.self))"
                )
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    static func isPointer(_ path: String) -> Bool {
        (try? String(contentsOfFile: path, encoding: .utf8))?.hasPrefix("version https://git-lfs.github.com/spec/v1\n") == true
    }

    @Test(
        "a clone with GIT_LFS_SKIP_SMUDGE=1 plans No changes without fetching; a changed pointer plans one replace and apply fetches that object only"
    )
    func pointersPlanAndApply() async throws {
        let project = "lfs-\(UUID().uuidString.prefix(8).lowercased())"
        let repos = try Repositories(project: project)
        defer { repos.remove() }
        #expect(Self.isPointer(repos.clone + "/media/intro.mp4"))
        #expect(Self.isPointer(repos.clone + "/media/second.mp4"))
        #expect(repos.fetchedObjects.isEmpty)
        try await TestSandbox.with { sandbox in
            // The media as files (the seed repository) are applied first.
            let first = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: repos.seed)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

            // The pointers plan the same account as up to date, and nothing is fetched.
            let plan = try await sandbox.streamplan(["plan", "."], in: repos.clone)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
            #expect(Self.isPointer(repos.clone + "/media/intro.mp4"))
            #expect(Self.isPointer(repos.clone + "/media/second.mp4"))
            #expect(repos.fetchedObjects.isEmpty, "\(repos.fetchedObjects)")
            let validate = try await TestSupport.streamplan(["validate", "."], in: repos.clone)
            #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")

            // One pointer changes (to an object that is on the remote only): one replace, priced as unknown.
            let oid = Self.sha256(repos.introNext)
            try "version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize \(repos.introNext.count)\n".write(
                toFile: repos.clone + "/media/intro.mp4", atomically: true, encoding: .utf8)
            let changed = try await sandbox.streamplan(["plan", "."], in: repos.clone)
            #expect(changed.status == 0, "\(changed.stderr)")
            #expect(changed.stdout.contains("Plan: 0 to create, 0 to update, 1 to replace, 0 to delete."), "\(changed.stdout)")
            #expect(changed.stdout.contains("not priced: LFS pointer, media not fetched"), "\(changed.stdout)")
            #expect(repos.fetchedObjects.isEmpty, "\(repos.fetchedObjects)")

            // As docs/examples/github-actions.yml runs it: a saved plan (which pins every source: the
            // pointers' oids, still nothing fetched), then apply of that plan.
            let saved = try await sandbox.streamplan(["plan", "--out", "plan.json", "."], in: repos.clone)
            #expect(saved.status == 0, "\(saved.stderr)")
            #expect(repos.fetchedObjects.isEmpty, "\(repos.fetchedObjects)")
            let apply = try await sandbox.streamplan(["apply", "--allow-delete", "plan.json"], in: repos.clone)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(repos.fetchedObjects == [oid], "\(repos.fetchedObjects)")
            #expect(Self.isPointer(repos.clone + "/media/intro.mp4"))

            let videos = try await sandbox.projectVideos(project)
            let intros = videos.filter { $0.metadata.contains { $0.key == "streamplan.address" && $0.value == "video.intro" } }
            #expect(intros.count == 1)
            let intro = try #require(
                intros.first { $0.metadata.contains { $0.key == "streamplan.source_sha256" && $0.value == oid } })
            let source = try await sandbox.api.send(.GET, "/videos/\(intro.id)/source", auth: .none)
            #expect(source.status == 200)
            #expect(Self.sha256(source.bytes) == oid)

            let again = try await sandbox.streamplan(["plan", "."], in: repos.clone)
            #expect(again.stdout.contains("No changes."), "\(again.stdout)")
        }
    }

    @Test(
        "from pointers alone: apply fetches the sources, thumbnail and caption it uploads; an object the remote lacks fails its change with git-lfs's reason"
    )
    func pointersOnlyAndMissingObject() async throws {
        let project = "lfs-\(UUID().uuidString.prefix(8).lowercased())"
        let repos = try Repositories(project: project)
        defer { repos.remove() }
        let missing = String(repeating: "0", count: 64)
        try "version https://git-lfs.github.com/spec/v1\noid sha256:\(missing)\nsize 4000\n".write(
            toFile: repos.clone + "/media/intro.mp4", atomically: true, encoding: .utf8)
        // A PATH whose git has no git-lfs beside it: every LFS upload fails, saying what to install.
        let bare = repos.root + "/bin"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bare + "/git", withDestinationPath: "/usr/bin/git")
        try await TestSandbox.with { sandbox in
            let withoutLFS = try await sandbox.streamplan(
                ["apply", "--auto-approve", "."], in: repos.clone, environment: ["PATH": bare])
            #expect(withoutLFS.status == 1, "\(withoutLFS.stdout)\(withoutLFS.stderr)")
            #expect(
                (withoutLFS.stdout + withoutLFS.stderr).contains(
                    "media/second.mp4 is a Git LFS pointer and its content is not in the local store, but git-lfs is not installed"
                ),
                "\(withoutLFS.stdout)\(withoutLFS.stderr)")
            #expect(repos.fetchedObjects.isEmpty, "\(repos.fetchedObjects)")
            #expect(try await sandbox.projectVideos(project).isEmpty)

            let apply = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: repos.clone)
            #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
            let output = apply.stdout + apply.stderr
            #expect(output.contains("media/intro.mp4: git lfs could not fetch the object 000000000000 (4000 bytes)"), "\(output)")
            #expect(
                repos.fetchedObjects
                    == [Self.sha256(repos.cover), Self.sha256(repos.second), Self.sha256(repos.caption)].sorted(),
                "\(repos.fetchedObjects)")

            let videos = try await sandbox.projectVideos(project)
            #expect(videos.count == 1)
            let second = try #require(videos.first)
            #expect(second.metadata.contains { $0.key == "streamplan.address" && $0.value == "video.second" })
            #expect(second.metadata.contains { $0.key == "streamplan.thumbnail_sha256" && $0.value == Self.sha256(repos.cover) })
            let source = try await sandbox.api.send(.GET, "/videos/\(second.id)/source", auth: .none)
            #expect(Self.sha256(source.bytes) == Self.sha256(repos.second))
            let thumbnail = try await sandbox.api.send(.GET, "/videos/\(second.id)/thumbnail", auth: .none)
            #expect(Self.sha256(thumbnail.bytes) == Self.sha256(repos.cover))
            let captions = try await sandbox.client.listTextTracks("captions", videoID: second.id)
            #expect(captions.map(\.language) == ["en"])
            let oid = Self.sha256(repos.caption)
            #expect(second.metadata.contains { $0.key == "streamplan.captions" && $0.value == "en=\(oid.prefix(16))" })
        }
    }
}
