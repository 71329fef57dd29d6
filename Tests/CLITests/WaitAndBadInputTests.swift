import AIOZ
import AsyncHTTPClient
import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

@Suite("apply --wait and bad manifest input on the command line", .gated, .eachGeneration, .namingGeneration)
struct WaitAndBadInputTests {
    private func project(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/manifests", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot + "/manifests/media", toPath: directory + "/manifests/media")
        try """
        project: waiting
        videos:
          intro:
            title: Intro
            source: media/intro.mp4
        """.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)
    }

    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wait-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("--wait follows transcoding to done and prints the links", .timeLimit(.minutes(10)))
    func waitDone() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try project(directory)
        // Long enough that even a loaded machine polls while the video is still transcoding (with 3 s,
        // a slow apply once found it already done and printed no transcoding line).
        try await TestSandbox.with(SandboxConfiguration(transcodeSeconds: 15)) { sandbox in
            let result = try await sandbox.streamplan(["apply", "--auto-approve", "--wait", "manifests"], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("video.intro: transcoding"), "\(result.stderr)")
            #expect(result.stdout.contains("status done"))
            #expect(result.stdout.contains("hls: http://127.0.0.1:"))
        }
    }

    @Test("--wait reports a video that ends in fail as an error", .timeLimit(.minutes(10)))
    func waitFail() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try project(directory)
        try await TestSandbox.with(SandboxConfiguration(transcodeSeconds: 30)) { sandbox in
            let apply = try sandbox.start(["apply", "--auto-approve", "--wait", "manifests"], in: directory)
            // Once the upload is complete, make transcoding fail through the sandbox's admin endpoint.
            var failed = false
            for _ in 0..<600 where !failed {
                if let video = try await sandbox.projectVideos("waiting").first, video.status.rawValue == "transcoding" {
                    #expect(try await sandbox.api.send(.POST, "/_sandbox/videos/\(video.id)/fail").status == 200)
                    failed = true
                } else {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(failed)
            let result = await apply.finished()
            #expect(result.status == 1)
            #expect(result.stderr.contains("video.intro: transcoding failed on AIOZ Stream"), "\(result.stderr)")
        }
    }

    @Test(
        "bad files named .yaml get one clear error and exit 1",
        arguments: [
            ("binary", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] as [UInt8], "looks binary"),
            ("latin1", Array("project: caf".utf8) + [0xE9, 0x0A], "not valid UTF-8"),
            ("deep", Array(String(repeating: "[", count: 50_000).utf8), "deeper than 64"),
        ])
    func badInput(name: String, bytes: [UInt8], says: String) async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/\(name).yaml"))
        let result = try await streamplan(["validate", "\(name).yaml"], in: directory)
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("\(name).yaml:") == true)
        #expect(errors.first?.contains(says) == true, "\(result.stderr)")
    }
}
