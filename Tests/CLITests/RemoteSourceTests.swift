import Foundation
import SandboxTesting
import TestSupport
import Testing

/// Sources that are URLs or S3 objects, against real servers on loopback started by the test
/// (scripts/source-servers.py): moto's S3 server with authentication on, and a small HTTP server
/// with byte ranges. moto is required (the CI installs it).
@Suite("URL and S3 sources: plan asks the servers, apply streams ranged GETs into the parts", .gated)
struct RemoteSourceTests {
    @Test(
        "an s3:// object (with and without S3's checksum) and a loopback http URL: apply uploads the exact bytes, then No changes"
    )
    func endToEnd() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        // Several parts each (64 KiB parts), so the parts' ranged GETs are exercised.
        let intro = TestMedia.bytes(for: "intro.mp4", size: 300_001, seed: 1)
        let second = TestMedia.bytes(for: "second.mp4", size: 200_000, seed: 2)
        let web = TestMedia.bytes(for: "web.mp4", size: 150_017, seed: 3)
        let png = TestMedia.bytes(for: "cover.png", size: 3000, seed: 4)
        let jpeg = TestMedia.bytes(for: "cover.jpg", size: 2500, seed: 5)
        try await Self.offPool {
            try servers.put("clips/intro one.mp4", intro, checksum: true)
            try servers.put("clips/second.mp4", second, checksum: false)
            try servers.serve("web.mp4", web)
            try servers.put("covers/cover.png", png, checksum: false)
            try servers.serve("cover.jpg", jpeg)
        }
        let directory = try manifest(project, servers, thumbnails: true)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let environment = servers.environment()
            let apply = try await sandbox.streamplan(["apply", "--auto-approve", "."], in: directory, environment: environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stdout.contains("Apply complete: 3 of 3 changes made."), "\(apply.stdout)")
            for (name, bytes) in [("checksummed", intro), ("unchecksummed", second), ("web", web)] {
                let got = try await uploaded(sandbox, project, name)
                #expect(got.sha256 == Self.sha256(bytes), "\(name)")
                #expect(got.md5 == Self.md5(bytes), "\(name)")
            }
            // The thumbnails too: streamed from their servers, their hashes in the marks.
            let videos = try await sandbox.projectVideos(project)
            for (name, bytes) in [("checksummed", png), ("web", jpeg)] {
                let video = try #require(
                    videos.first { $0.metadata.contains { $0.key == "streamplan.address" && $0.value == "video.\(name)" } })
                let thumbnail = try await sandbox.api.send(.GET, "/videos/\(video.id)/thumbnail", auth: .none)
                #expect(thumbnail.status == 200)
                #expect(Self.sha256(thumbnail.bytes) == Self.sha256(bytes), "\(name)'s thumbnail")
                #expect(
                    video.metadata.contains { $0.key == "streamplan.thumbnail_sha256" && $0.value == Self.sha256(bytes) },
                    "\(video.metadata)")
            }
            // The URL's parts were ranged GETs.
            let requests = try await Self.offPool { try servers.requests() }
            #expect(requests.contains { $0.hasPrefix("GET /web.mp4 range=bytes=65536-131071") }, "\(requests)")

            // The URL has no stored checksum: the plan read it whole once, to hash it.
            #expect(requests.filter { $0 == "GET /web.mp4 range=bytes=0-\(web.count - 1)" }.count == 1, "\(requests)")

            let plan = try await sandbox.streamplan(["plan", "."], in: directory, environment: environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
            // Planning again reads no byte of it: the hash is cached by URL, size and ETag.
            let after = try await Self.offPool { try servers.requests() }
            #expect(after.filter { $0.hasPrefix("GET ") }.count == requests.filter { $0.hasPrefix("GET ") }.count, "\(after)")
            #expect(after.contains("HEAD /web.mp4 range=None"), "\(after)")
            let cache = try FileManager.default.subpathsOfDirectory(atPath: directory + "/.streamplan")
                .compactMap { try? String(contentsOfFile: directory + "/.streamplan/" + $0, encoding: .utf8) }.joined()
            #expect(cache.contains("remote:"), "\(cache)")
            #expect(!cache.contains("127.0.0.1"), "the hash cache keys remote sources by a hash of their URL")
            for output in [apply.stdout, apply.stderr, plan.stdout, plan.stderr] {
                #expect(!output.contains(servers.secret))
            }
        }
    }

    @Test("an object replaced between a saved plan and its apply refuses, naming the source; so does a changed URL")
    func replacedBetweenPlanAndApply() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        let intro = TestMedia.bytes(for: "intro.mp4", size: 100_000, seed: 1)
        let second = TestMedia.bytes(for: "second.mp4", size: 90_000, seed: 2)
        let web = TestMedia.bytes(for: "web.mp4", size: 80_000, seed: 3)
        try await Self.offPool {
            try servers.put("clips/intro one.mp4", intro, checksum: true)
            try servers.put("clips/second.mp4", second, checksum: false)
            try servers.serve("web.mp4", web)
        }
        let directory = try manifest(project, servers)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let environment = servers.environment()
            let saved = try await sandbox.streamplan(
                ["plan", "--out", "plan.json", "."], in: directory, environment: environment)
            #expect(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
            let planText = try String(contentsOfFile: directory + "/plan.json", encoding: .utf8)
            #expect(!planText.contains(servers.secret), "no credential in a saved plan")
            #expect(!planText.contains(servers.accessKeyID), "no credential in a saved plan")

            try await Self.offPool {
                try servers.put("clips/intro one.mp4", TestMedia.bytes(for: "intro.mp4", size: 100_000, seed: 7), checksum: true)
                try servers.serve("web.mp4", TestMedia.bytes(for: "web.mp4", size: 80_000, seed: 8))
            }
            let apply = try await sandbox.streamplan(["apply", "plan.json"], in: directory, environment: environment)
            #expect(apply.status != 0, "\(apply.stdout)\(apply.stderr)")
            let output = apply.stdout + apply.stderr
            #expect(
                output.contains("video.checksummed: the source s3://media/clips/intro one.mp4 changed since the plan"),
                "\(output)")
            #expect(
                output.contains("video.web: the source http://127.0.0.1:\(servers.httpPort)/web.mp4 changed since the plan"),
                "\(output)")
            #expect(try await sandbox.projectVideos(project).isEmpty, "nothing applied from a stale plan")
            #expect(!output.contains(servers.secret))
        }
    }

    @Test("an apply killed mid-upload resumes: the parts acknowledged before are read again by ranged GETs to hash the source")
    func resumeAfterCrash() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        let intro = TestMedia.bytes(for: "intro.mp4", size: 400_003, seed: 6)
        _ = try await Self.offPool { try servers.put("clips/big.mp4", intro, checksum: false) }
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "project: \(project)\nvideos:\n  big:\n    title: Big\n    source: s3://media/clips/big.mp4\n".write(
            toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let environment = servers.environment()
            let killed = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--part-concurrency", "1", "."], in: directory,
                environment: environment.merging(["STREAMPLAN_CRASH_AT": "mid-part:2"]) { _, new in new })
            #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stdout)\(killed.stderr)")
            let again = try await sandbox.streamplan(
                ["apply", "--auto-approve", "."], in: directory,
                environment: environment.merging(["STREAMPLAN_HASH_STATS": "1"]) { _, new in new })
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("resume"), "\(again.stdout)")
            #expect(again.stderr.contains("131072 read again"), "the two parts sent before: \(again.stderr)")
            let got = try await uploaded(sandbox, project, "big")
            #expect(got.sha256 == Self.sha256(intro))
            let plan = try await sandbox.streamplan(["plan", "."], in: directory, environment: environment)
            #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
        }
    }

    @Test("a source GET broken off half-way through a part: the part is sent again and the upload completes")
    func brokenGet() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        let web = TestMedia.bytes(for: "web.mp4", size: 200_000, seed: 9)
        try await Self.offPool { try servers.serve("web.mp4", web) }
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try
            "project: \(project)\nvideos:\n  web:\n    title: Web\n    source: http://127.0.0.1:\(servers.httpPort)/flaky/web.mp4\n"
            .write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--part-concurrency", "1", "."], in: directory, environment: servers.environment())
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            let requests = try await Self.offPool { try servers.requests() }
            #expect(requests.filter { $0 == "GET /flaky/web.mp4 range=bytes=65536-131071" }.count == 2, "\(requests)")
            let got = try await uploaded(sandbox, project, "web")
            #expect(got.sha256 == Self.sha256(web))
        }
    }

    /// Issue 23, item 3: a 503 from the source's server mid-upload converges or refuses clearly.
    @Test("a source GET answered 503 half-way: the upload converges (at once, or on the next apply, which resumes)")
    func busyGet() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        let web = TestMedia.bytes(for: "web.mp4", size: 200_000, seed: 11)
        try await Self.offPool { try servers.serve("web.mp4", web) }
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try
            "project: \(project)\nvideos:\n  web:\n    title: Web\n    source: http://127.0.0.1:\(servers.httpPort)/busy/web.mp4\n"
            .write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let arguments = ["apply", "--auto-approve", "--part-concurrency", "1", "."]
            let first = try await sandbox.streamplan(arguments, in: directory, environment: servers.environment())
            if first.status != 0 {
                // Refused clearly: the source, the status, and what to do.
                #expect(first.stderr.contains("503"), "\(first.stdout)\(first.stderr)")
                #expect(first.stderr.contains("/busy/web.mp4"), "\(first.stderr)")
                let second = try await sandbox.streamplan(arguments, in: directory, environment: servers.environment())
                #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            }
            let requests = try await Self.offPool { try servers.requests() }
            #expect(requests.contains { $0.hasPrefix("GET /busy/web.mp4 range=bytes=65536-") }, "\(requests)")
            let got = try await uploaded(sandbox, project, "web")
            #expect(got.sha256 == Self.sha256(web))
            let again = try await sandbox.streamplan(
                ["plan", "--detailed-exitcode", "."], in: directory, environment: servers.environment())
            #expect(again.status == 0 && again.stdout.hasPrefix("No changes."), "\(again.stdout)\(again.stderr)")
        }
    }

    @Test("a wrong source_sha256 fails the upload before complete, saying which hash the bytes have")
    func wrongDeclaredHash() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        let web = TestMedia.bytes(for: "web.mp4", size: 30_000, seed: 4)
        try await Self.offPool { try servers.serve("web.mp4", web) }
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let wrong = String(repeating: "ab", count: 32)
        try
            ("project: \(project)\nvideos:\n  web:\n    title: Web\n    source: http://127.0.0.1:\(servers.httpPort)/web.mp4\n"
            + "    source_sha256: \(wrong)\n").write(toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "."], in: directory, environment: servers.environment())
            #expect(apply.status != 0, "\(apply.stdout)\(apply.stderr)")
            #expect(
                apply.stderr.contains("hash to sha256 \(Self.sha256(web)), not the source_sha256 \(wrong) the manifest gives"),
                "\(apply.stderr)")
            // A saved plan of a URL with a signature in its query is refused: it would keep it in clear.
            try
                ("project: \(project)\nvideos:\n  web:\n    title: Web\n    source: "
                + "http://127.0.0.1:\(servers.httpPort)/web.mp4?X-Amz-Signature=0123456789abcdef0123\n").write(
                    toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
            let saved = try await sandbox.streamplan(["plan", "--out", "plan.json", "."], in: directory)
            #expect(saved.status != 0, "\(saved.stdout)\(saved.stderr)")
            #expect(saved.stderr.contains("carries a credential"), "\(saved.stderr)")
            #expect(!saved.stderr.contains("0123456789abcdef0123"), "\(saved.stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/plan.json"))
            // The video was never completed: its source mark still names the declared hash, and the
            // upload did not finish.
            let videos = try await sandbox.projectVideos(project)
            #expect(videos.allSatisfy { $0.status.rawValue == "new" }, "\(videos.map(\.status))")
        }
    }

    @Test("a URL's redirects are followed to https or loopback http only")
    func redirects() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let web = TestMedia.bytes(for: "web.mp4", size: 20_000, seed: 3)
        try await Self.offPool { try servers.serve("web.mp4", web) }
        let directory = servers.root + "/project"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func write(_ source: String) throws {
            try "project: redirects\nvideos:\n  web:\n    title: Web\n    source: \(source)\n".write(
                toFile: directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
        }
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            try write("http://127.0.0.1:\(servers.httpPort)/to//web.mp4")
            let followed = try await sandbox.streamplan(["plan", "--out", "plan.json", "."], in: directory)
            #expect(followed.status == 0, "\(followed.stdout)\(followed.stderr)")
            #expect(try String(contentsOfFile: directory + "/plan.json", encoding: .utf8).contains(Self.sha256(web)))

            try write("http://127.0.0.1:\(servers.httpPort)/to/http://192.0.2.1/web.mp4")
            let refused = try await sandbox.streamplan(["plan", "."], in: directory)
            #expect(refused.status != 0, "\(refused.stdout)\(refused.stderr)")
            #expect(
                refused.stderr.contains("the server redirected to http://192.0.2.1/web.mp4, which streamplan does not follow"),
                "\(refused.stderr)")
        }
    }

    @Test("a wrong secret: a clear error naming the bucket and key, and the secret appears nowhere")
    func wrongSecret() async throws {
        let servers = try await Self.offPool { try Servers() }
        defer { servers.stop() }
        let project = "remote-\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.offPool {
            try servers.put("clips/intro one.mp4", TestMedia.bytes(for: "intro.mp4", size: 10_000, seed: 1), checksum: true)
            try servers.put("clips/second.mp4", TestMedia.bytes(for: "second.mp4", size: 10_000, seed: 2), checksum: false)
            try servers.serve("web.mp4", TestMedia.bytes(for: "web.mp4", size: 10_000, seed: 3))
        }
        let directory = try manifest(project, servers)
        let wrong = "wrong-secret-\(UUID().uuidString)"
        try await TestSandbox.with(minimumPartSize: 64 * 1024) { sandbox in
            let environment = servers.environment(secret: wrong)
            for arguments in [["plan", "."], ["apply", "--auto-approve", "."]] {
                let run = try await sandbox.streamplan(arguments, in: directory, environment: environment)
                #expect(run.status != 0, "\(run.stdout)\(run.stderr)")
                let output = run.stdout + run.stderr
                #expect(
                    output.contains(
                        "S3 refused to HEAD bucket media, key clips/intro one.mp4 with access key id \(servers.accessKeyID)"),
                    "\(output)")
                #expect(output.contains("SignatureDoesNotMatch"), "\(output)")
                #expect(output.contains("AWS_SECRET_ACCESS_KEY is wrong"), "\(output)")
                #expect(!output.contains(wrong), "the secret appears in no output")
                #expect(!output.contains(servers.secret))
            }
            #expect(try await sandbox.projectVideos(project).isEmpty)
        }
    }
}
