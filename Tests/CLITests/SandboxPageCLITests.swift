import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension String {
    /// The port of `then open http://127.0.0.1:PORT/ …`, the line after the hint's command.
    fileprivate var portInOpenHint: Int? {
        guard let range = range(of: "http://127.0.0.1:") else { return nil }
        return Int(self[range.upperBound...].prefix { $0.isNumber })
    }
}

/// The quickstart, then a look at the account: `apply --sandbox` says its emulator stopped and prints
/// the command that serves the account again; on that server every printed link resolves and the page
/// at `/` shows the example videos (checked in headless Chromium when it is installed).
@Suite("the sandbox page after the quickstart", .gated, .serialized)
struct SandboxPageCLITests {
    static let exampleTitles = [
        "Welcome to Swift 101", "Lesson 1: Values, variables and optionals", "Lesson 2: Structs, classes and protocols",
        "Office hours, week 1",
    ]
    static let account = (publicKey: "streamplan-sandbox", secretKey: "streamplan-sandbox-local-only")

    static func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var hasChromium: Bool { ["chromium", "chromium-browser", "google-chrome"].contains { which($0) != nil } }

    /// `streamplan sandbox …` as a process, with its page URL once it is ready.
    final class Served: @unchecked Sendable {
        let process = Process()
        let log: String
        private(set) var lines: [String] = []

        /// Runs `command` exactly as a person would paste it into a shell in `directory`.
        init(command: String, directory: String) throws {
            log = directory + "/sandbox.log"
            #expect(FileManager.default.createFile(atPath: log, contents: nil))
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // `exec`: the shell becomes the command, so stopping the process stops the sandbox.
            process.arguments = ["-c", "exec " + command]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits (bounded by the test's time limit) for `sandbox: ready`, then returns the printed lines.
        func ready() async throws -> [String] {
            while process.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("sandbox: ready") {
                    lines = text.split(separator: "\n").map(String.init)
                    return lines
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TestFailure("streamplan sandbox exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }

        func value(after prefix: String) -> String? {
            lines.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }

        func stop() async {
            process.terminate()
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    self.process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A port free now (tests run beside other servers, so not 8080): what apply's closing hint names.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw TestFailure("no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Applies the examples to the embedded sandbox of a fresh copy and returns the copy, apply's output
    /// and the port its closing hint names.
    static func quickstart() async throws -> (ExampleCopy, CLIResult, Int) {
        let copy = try ExampleCopy()
        let port = try freePort()
        let apply = try await streamplan(
            ["apply", "--sandbox", "--auto-approve", "manifests"], in: copy.path,
            environment: ["STREAMPLAN_SANDBOX_SERVE_PORT": String(port)])
        #expect(apply.status == 0, "\(apply.stderr)")
        return (copy, apply, port)
    }

    /// The command apply's closing hint names, started exactly as printed, in the directory apply ran in.
    static func serveAgain(_ apply: CLIResult, in directory: String) throws -> Served {
        let lines = apply.stdout.split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("The embedded sandbox has stopped.") }, "\(apply.stdout)")
        let command = lines[index + 1].trimmingCharacters(in: .whitespaces)
        #expect(command.hasSuffix(" sandbox --data .streamplan/sandbox --port \(lines[index + 2].portInOpenHint ?? -1)"))
        return try Served(command: command, directory: directory)
    }

    @Test(
        "apply --sandbox says the emulator stopped and how to serve it again; there, every printed link resolves",
        .timeLimit(.minutes(10)))
    func printedLinksResolve() async throws {
        let (copy, apply, port) = try await Self.quickstart()
        defer { copy.remove() }
        let origin = "http://127.0.0.1:\(port)/"
        #expect(apply.stdout.contains("then open \(origin) and sign in with the public and secret key it prints."))
        let links = apply.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            // `player: "brand"` in the plan is a video's player theme, not a link.
            guard parts.count == 2, ["hls:", "dash:", "player:", "mp4:"].contains(String(parts[0])),
                !parts[1].trimmingCharacters(in: .whitespaces).hasPrefix("\"")
            else { return nil }
            return (String(parts[0]), String(parts[1]))
        }
        #expect(links.count == 16, "\(apply.stdout)")
        for (_, url) in links { #expect(url.hasPrefix(origin + "api/"), "\(url)") }

        // The README: "Run the apply again and it reports `No changes.` (13 up to date: …)", word for word.
        let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let promised = try #require(
            readme.components(separatedBy: "it reports `No changes.` (").dropFirst().first?.split(separator: ")").first)
        let again = try await streamplan(["apply", "--sandbox", "--auto-approve", "manifests"], in: copy.path)
        #expect(again.stdout.hasPrefix("No changes."), "\(again.stdout)")
        #expect(again.stdout.contains("(\(promised))."), "README: \(promised)\n\(again.stdout)")

        let served = try Self.serveAgain(apply, in: copy.path)
        defer { if served.process.isRunning { served.process.terminate() } }
        _ = try await served.ready()
        // The keys to sign in with are the embedded account's, printed by the served sandbox.
        #expect(served.value(after: "sandbox: public key ") == Self.account.publicKey)
        #expect(served.value(after: "sandbox: secret key ") == Self.account.secretKey)
        let page = try #require(served.value(after: "sandbox: page "))
        let base = try #require(page.split(separator: " ").first.map(String.init))
        // The printed command serves on the port the hint and the links name: they work as printed.
        #expect(base == origin)
        for (name, url) in links {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            #expect(response.status.code == 200, "\(name) \(url)")
            _ = try await response.body.collect(upTo: 16 << 20)
        }
        var request = HTTPClientRequest(url: base)
        let token = Data("\(Self.account.publicKey):\(Self.account.secretKey)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 200)
        let html = String(buffer: try await response.body.collect(upTo: 16 << 20))
        for title in Self.exampleTitles { #expect(html.contains(#"<h3 class="title">\#(title)</h3>"#), "\(title)") }
        // The README's count: streamplan's registry record is shown apart, not as a fifth video.
        #expect(html.contains("Videos (4)"), "\(html)")
        #expect(html.contains("streamplan's own records ("), "\(html)")
        await served.stop()
    }

    @Test("status --sandbox ends the same way, quoting a state directory the shell would split", .timeLimit(.minutes(10)))
    func statusAfterword() async throws {
        let copy = try ExampleCopy()
        defer { copy.remove() }
        let status = try await streamplan(["status", "--sandbox", "--state-dir", "my state", "manifests"], in: copy.path)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("The embedded sandbox has stopped."), "\(status.stdout)")
        // The tests start streamplan by its absolute path: the hint names that path, which works anywhere.
        let binary = try #require(streamplanBinary)
        #expect(status.stdout.contains(" sandbox --data 'my state/sandbox' --port 8080\n"), "\(status.stdout)")
        #expect(status.stdout.contains("  \(binary) sandbox") || status.stdout.contains("  '\(binary)' sandbox"))
    }

    @Test(
        "headless Chromium: the page after the quickstart lists the example videos, each one can play; a screenshot",
        .enabled(
            if: hasChromium,
            "chromium is not installed, so the page is not checked in a browser: apt-get install -y chromium (.ci/run does)"),
        .timeLimit(.minutes(10)))
    func chromium() async throws {
        let (copy, apply, port) = try await Self.quickstart()
        defer { copy.remove() }
        let served = try Self.serveAgain(apply, in: copy.path)
        defer { if served.process.isRunning { served.process.terminate() } }
        _ = try await served.ready()
        let page = try #require(served.value(after: "sandbox: page ")?.split(separator: " ").first.map(String.init))
        let withKeys = page.replacingOccurrences(
            of: "http://", with: "http://\(Self.account.publicKey):\(Self.account.secretKey)@")
        // Kept under .build/ for a person to look at after `swift test`.
        let screenshot = packageRoot + "/.build/screenshots/sandbox-page.png"
        var arguments = [packageRoot + "/scripts/check-sandbox-page.sh", "--videos", "4"]
        for title in Self.exampleTitles { arguments += ["--title", title] }
        let check = try await ToolRun.runOffPool("bash", arguments + [withKeys, screenshot])
        #expect(check.status == 0, "\(check.output)")
        #expect(FileManager.default.fileExists(atPath: screenshot))

        // A printed player link, as printed (the served port is the one it names): a page whose <video> plays the source.
        let here = try #require(
            apply.stdout.split(separator: "\n").first { $0.contains("player: http") }?.split(separator: " ").last.map(String.init)
        )
        #expect(here.hasPrefix("http://127.0.0.1:\(port)/"))
        let played = try await ToolRun.runOffPool(
            "bash",
            [
                packageRoot + "/scripts/check-sandbox-page.sh", "--videos", "1", here,
                packageRoot + "/.build/screenshots/sandbox-player.png",
            ])
        #expect(played.status == 0, "\(played.output)")
        await served.stop()
    }
}
