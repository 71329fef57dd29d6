import AIOZ
import AsyncHTTPClient
import Crypto
import Foundation
import NIOFoundationCompat
import Sandbox
import TestSupport
import Testing

@Suite("an apply killed mid-upload")
struct CrashRecoveryTests {
    static let account = SandboxAccount(publicKey: "pk_crash", secretKey: "sk_crash_test_only")

    @Test("is resumed by the next apply: no duplicate video, identical bytes, acknowledged parts not re-sent",
          .timeLimit(.minutes(3)))
    func killAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/manifests/media", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 8 MiB + a little: 129 parts of 64 KiB, slowed by injected latency so the kill lands mid-upload.
        var bytes = [UInt8](repeating: 0, count: 8 * 1024 * 1024 + 1000)
        bytes.replaceSubrange(0..<12, with: [0, 0, 0, 0x18] + Array("ftypisom".utf8))
        var x: UInt32 = 2_463_534_242
        for i in 12..<bytes.count {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5
            bytes[i] = UInt8(truncatingIfNeeded: x)
        }
        let source = Data(bytes)
        try source.write(to: URL(fileURLWithPath: directory + "/manifests/media/clip.mp4"))
        try """
            project: crash
            videos:
              clip:
                title: Survives a kill
                source: media/clip.mp4
            """.write(toFile: directory + "/manifests/streamplan.yaml", atomically: true, encoding: .utf8)

        var configuration = SandboxConfiguration(accounts: [Self.account], minPartSize: 64 * 1024)
        configuration.faults = FaultConfiguration(rate: 1, seed: 7, kinds: [.latency], pathPrefixes: ["/videos"],
                                                  latencyMilliseconds: 40)
        try await SandboxServer.withSandbox(configuration) { server in
            let base = await server.baseURL
            let environment = [
                "STREAM_PUBLIC_KEY": Self.account.publicKey, "STREAM_SECRET_KEY": Self.account.secretKey,
                "STREAMPLAN_MIN_PART_SIZE": "65536", "STREAMPLAN_PART_SIZE": "65536",
            ]
            let arguments = ["--endpoint", base, "manifests"]
            let journal = directory + "/.streamplan/upload-journal.json"

            let first = try CLIProcess(["apply", "--auto-approve"] + arguments, directory: directory, environment: environment)
            var acknowledged = 0
            let deadline = Date().addingTimeInterval(60)
            while acknowledged < 5 && first.process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
                acknowledged = (try? String(contentsOfFile: journal, encoding: .utf8))?.components(separatedBy: "\"proof\"").count ?? 1
                acknowledged -= 1
            }
            #expect(first.process.isRunning, "the apply finished before it could be killed")
            first.kill()
            _ = await first.finished()

            let plan = try await streamplan(["plan", "--detailed-exitcode"] + arguments, in: directory, environment: environment)
            #expect(plan.status == 2, "\(plan.stderr)")
            #expect(plan.stdout.contains("# video.clip will be resumed"), "\(plan.stdout)")

            // The killed apply left its project lock; breaking it is explicit (docs/ci.md).
            let second = try await streamplan(["apply", "--auto-approve", "--break-lock"] + arguments, in: directory, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("warning: breaking the lock"))
            let firstProgress = second.stderr.split(separator: "\n").first { $0.contains("video.clip: uploaded") }
            #expect(firstProgress?.contains("uploaded 0 B") == false, "acknowledged parts were sent again: \(firstProgress ?? "")")

            let again = try await streamplan(["plan", "--detailed-exitcode"] + arguments, in: directory, environment: environment)
            #expect(again.status == 0, "\(again.stdout)")

            let client = AIOZClient(configuration: .init(
                endpoint: try AIOZEndpoint(base),
                credentials: AIOZCredentials(publicKey: Self.account.publicKey, secretKey: Self.account.secretKey)))
            let videos = try await client.allVideos(VideoListQuery())
            try await client.shutdown()
            #expect(videos.count == 1)
            let video = try #require(videos.first)
            var request = HTTPClientRequest(url: try #require(video.assets?.sourceURL))
            request.headers.add(name: "stream-public-key", value: Self.account.publicKey)
            request.headers.add(name: "stream-secret-key", value: Self.account.secretKey)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 32 << 20)
            #expect(SHA256.hash(data: Data(buffer: body)) == SHA256.hash(data: source))
        }
    }
}
