import Foundation
import Sandbox
import SandboxTesting
import TestSupport
import Testing

/// The cost in the plan (issue 12, item 5): real sources probed, priced by the sandbox's cost
/// endpoint, the balance from `GET /user/me`, and apply refusing before anything is created when the
/// balance or `--max-cost` is short.
@Suite("The cost of a plan: prices, total, balance and refusals", .gated, .serialized)
struct CostCLITests {
    static let media = packageRoot + "/Tests/Fixtures/media/"
    static let environment = ["STREAMPLAN_MIN_PART_SIZE": "16384", "STREAMPLAN_PART_SIZE": "16384"]

    /// A project of real sources: an MP4 with its own ladder, a MOV left to the server's defaults, a
    /// WebM, and (with `avi`) a source streamplan cannot probe.
    static func workspace(avi: Bool) throws -> TestWorkspace {
        let workspace = try TestWorkspace(project: "costs")
        try FileManager.default.createDirectory(atPath: workspace.directory + "/media", withIntermediateDirectories: true)
        for name in ["clip-2s-320x240.mp4", "clip-3s-160x120.mov", "clip-1.5s-176x144.webm"] {
            try FileManager.default.copyItem(atPath: media + name, toPath: workspace.directory + "/media/" + name)
        }
        var yaml = """
            videos:
              mp4:
                title: An MP4
                source: media/clip-2s-320x240.mp4
                qualities: [240p, 360p]
              mov:
                title: A MOV on the server's ladder
                source: media/clip-3s-160x120.mov
              webm:
                title: A WebM
                source: media/clip-1.5s-176x144.webm
                qualities: [720p]

            """
        if avi {
            try Data("RIFF\u{0}\u{0}\u{0}\u{0}AVI LIST and then nothing".utf8).write(
                to: URL(fileURLWithPath: workspace.directory + "/media/raw.avi"))
            yaml += """
                  avi:
                    title: An AVI
                    source: media/raw.avi
                    qualities: [360p]

                """
        }
        try workspace.manifest(yaml)
        return workspace
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func decimal(_ value: Any?) -> Decimal? {
        (value as? NSNumber).flatMap { Decimal(string: $0.stringValue) }
    }

    @Test("plan prices each video from its probed duration, totals them and shows the balance, in text, Markdown and JSON")
    func planShowsCost() async throws {
        let workspace = try Self.workspace(avi: true)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let json = try await sandbox.streamplan(["plan", "--format", "json", "."], in: workspace.directory)
            #expect(json.status == 0, "\(json.stderr)")
            let cost = try #require(try Self.json(json.stdout)["cost"] as? [String: Any], "\(json.stdout)")
            let videos = try #require(cost["videos"] as? [[String: Any]])
            let byAddress = Dictionary(uniqueKeysWithValues: videos.map { ($0["address"] as? String ?? "", $0) })
            #expect(byAddress.keys.sorted() == ["video.avi", "video.mov", "video.mp4", "video.webm"])
            // Each known price is what the cost endpoint answers for the probed duration.
            var sum = Decimal(0)
            for (address, seconds, qualities) in [
                ("video.mp4", 2.0, ["240p", "360p"]), ("video.mov", 3.0, ["360p", "720p", "1080p"]),
                ("video.webm", 1.508, ["720p"]),
            ] {
                let item = try #require(byAddress[address])
                let duration = try #require(item["duration_seconds"] as? Double)
                #expect(abs(duration - seconds) < 0.05, "\(address): \(duration)")
                #expect(item["qualities"] as? [String] == qualities)
                let quoted = try await sandbox.client.cost(qualities: qualities, duration: duration)
                let price = try #require(Self.decimal(item["price"]), "\(address)")
                #expect(price == quoted.priceDecimal, "\(address): \(price) vs \(quoted.price)")
                sum += price
            }
            #expect(byAddress["video.mov"]?["server_default_qualities"] as? Bool == true)
            let avi = try #require(byAddress["video.avi"])
            #expect(avi["price"] is NSNull)
            #expect((avi["unknown_reason"] as? String)?.contains("will not guess") == true, "\(avi)")
            #expect(Self.decimal(cost["total"]) == sum)
            #expect(cost["complete"] as? Bool == false)
            #expect(Self.decimal(cost["balance"]) == 1_000_000)
            #expect(cost["exceeds_balance_by"] is NSNull)
            let check = try await ToolRun.checkPlanSchemaOffPool(json: json.stdout)
            #expect(check.status == 0, "\(check.output)")

            let total = PlanCostText.format(sum)
            let text = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
            #expect(text.status == 0, "\(text.stderr)")
            let block = try #require(text.stdout.range(of: "Cost of transcoding").map { String(text.stdout[$0.lowerBound...]) })
            #expect(block.contains("video.mp4") && block.contains("240p, 360p"), "\(block)")
            #expect(block.contains("server defaults (priced as 360p, 720p, 1080p)"), "\(block)")
            #expect(block.contains("video.avi") && block.contains("unknown: media/raw.avi"), "\(block)")
            #expect(block.contains("Total:") && block.contains("\(total) (at least: 1 video's cost unknown)"), "\(block)")
            #expect(block.contains("Balance:") && block.contains("1000000 ("), "\(block)")
            #expect(block.contains("Server defaults: AIOZ Stream does not document its default ladder"), "\(block)")

            let markdown = try await sandbox.streamplan(["plan", "--format", "markdown", "."], in: workspace.directory)
            #expect(markdown.stdout.contains("#### Cost of transcoding"), "\(markdown.stdout)")
            #expect(markdown.stdout.contains("| **total** | | | **\(total)** (at least; 1 unknown) |"), "\(markdown.stdout)")
            #expect(markdown.stdout.contains("Balance: 1000000 ("), "\(markdown.stdout)")

            // Offline: no cost section, and nothing asked of the cost endpoint.
            let offline = try await sandbox.streamplan(["plan", "--no-cost", "."], in: workspace.directory)
            #expect(offline.status == 0 && !offline.stdout.contains("Cost of transcoding"), "\(offline.stdout)")
        }
    }

    @Test("a balance below the total: apply exits 1 before any create, says by how much, and the account is unchanged")
    func balanceShort() async throws {
        let workspace = try Self.workspace(avi: false)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":0.0001}"#)
            let plan = try await sandbox.streamplan(["plan", "--format", "json", "."], in: workspace.directory)
            let cost = try #require(try Self.json(plan.stdout)["cost"] as? [String: Any])
            let total = try #require(Self.decimal(cost["total"]))
            let short = total - Decimal(string: "0.0001")!
            #expect(short > 0)
            #expect(Self.decimal(cost["exceeds_balance_by"]) == short)

            let apply = try await sandbox.streamplan(
                ["apply", "--auto-approve", "."], in: workspace.directory, environment: Self.environment)
            #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
            #expect(
                apply.stderr.contains(
                    "error: the transcodes cost \(PlanCostText.format(total)) but the balance on AIOZ Stream is 0.0001: "
                        + "\(PlanCostText.format(short)) short; nothing was changed."), "\(apply.stderr)")
            #expect(apply.stdout.contains("apply will refuse"), "\(apply.stdout)")
            #expect(try await sandbox.projectVideos("costs").isEmpty)
            let balance = try await sandbox.api.send(.GET, "/_sandbox/balance").data["balance"] as? Double
            #expect(balance == 0.0001)

            // Topped up: the same apply goes through, and the sandbox charges exactly the planned total.
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":10}"#)
            let paid = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--max-cost", "1", "."], in: workspace.directory, environment: Self.environment)
            #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
            #expect(try await sandbox.projectVideos("costs").count == 3)
            let me = try await sandbox.client.me()
            #expect(me.user.balanceValue == 10 - total, "\(me.user.balance) after paying \(total)")
        }
    }

    @Test("a ladder with an audio-only quality: the sandbox charges exactly the plan's total (audio is not priced)")
    func audioChargedAsPlanned() async throws {
        let workspace = try TestWorkspace(project: "costs")
        defer { workspace.remove() }
        try FileManager.default.createDirectory(atPath: workspace.directory + "/media", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.media + "clip-2s-320x240.mp4", toPath: workspace.directory + "/media/clip.mp4")
        try workspace.manifest(
            """
            videos:
              listen:
                title: With an audio-only rendition
                source: media/clip.mp4
                qualities:
                  - 360p
                  - resolution: audio
                    type: hls
                    container_type: mp4
                    audio_config: {codec: aac, bitrate: 96000, channels: "1", sample_rate: 44100, language: en}

            """)
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":10}"#)
            let plan = try await sandbox.streamplan(["plan", "."], in: workspace.directory)
            #expect(plan.stdout.contains("not priced: audio"), "\(plan.stdout)")
            let json = try await sandbox.streamplan(["plan", "--format", "json", "."], in: workspace.directory)
            let cost = try #require(try Self.json(json.stdout)["cost"] as? [String: Any])
            let total = try #require(Self.decimal(cost["total"]))
            #expect(total > 0)
            let paid = try await sandbox.streamplan(
                ["apply", "--auto-approve", "."], in: workspace.directory, environment: Self.environment)
            #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
            let me = try await sandbox.client.me()
            #expect(me.user.balanceValue == 10 - total, "\(me.user.balance) after a plan of \(total)")
        }
    }

    @Test("--max-cost below the total, or with a price unknown, makes apply exit 1 before any create")
    func maxCost() async throws {
        let workspace = try Self.workspace(avi: true)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let unknown = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--max-cost", "100", "."], in: workspace.directory, environment: Self.environment)
            #expect(unknown.status == 1)
            #expect(
                unknown.stderr.contains("--max-cost cannot be checked: the cost of video.avi is unknown"), "\(unknown.stderr)")
            #expect(try await sandbox.projectVideos("costs").isEmpty)

            try FileManager.default.removeItem(atPath: workspace.directory + "/media/raw.avi")
            let yaml = try String(contentsOfFile: workspace.directory + "/streamplan.yaml", encoding: .utf8)
            try String(yaml[..<yaml.range(of: "  avi:")!.lowerBound]).write(
                toFile: workspace.directory + "/streamplan.yaml", atomically: true, encoding: .utf8)
            let over = try await sandbox.streamplan(
                ["apply", "--auto-approve", "--max-cost", "0.0001", "."], in: workspace.directory, environment: Self.environment)
            #expect(over.status == 1)
            #expect(over.stderr.contains("more than --max-cost 0.0001 by "), "\(over.stderr)")
            #expect(try await sandbox.projectVideos("costs").isEmpty)

            let bad = try await sandbox.streamplan(["plan", "--max-cost", "ten", "."], in: workspace.directory)
            #expect(bad.status == 64 && bad.stderr.contains("--max-cost \"ten\" is not an amount"), "\(bad.stderr)")
            let both = try await sandbox.streamplan(["plan", "--no-cost", "--max-cost", "1", "."], in: workspace.directory)
            #expect(both.status == 64, "\(both.stderr)")
        }
    }

    @Test("a saved plan is refused at apply time when the balance has dropped below its cost since")
    func savedPlanRechecks() async throws {
        let workspace = try Self.workspace(avi: false)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            let plan = try await sandbox.streamplan(["plan", "--out", "plan.json", "."], in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            let saved = try String(contentsOfFile: workspace.directory + "/plan.json", encoding: .utf8)
            #expect(saved.contains("\"exceeds_balance_by\" : null"), "the saved plan carries its cost")
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":0}"#)
            let apply = try await sandbox.streamplan(
                ["apply", "plan.json"], in: workspace.directory, environment: Self.environment)
            #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
            #expect(apply.stderr.contains("but the balance on AIOZ Stream is 0: "), "\(apply.stderr)")
            #expect(apply.stderr.contains(" short; nothing was changed."), "\(apply.stderr)")
            #expect(try await sandbox.projectVideos("costs").isEmpty)
            // Topped up again, the same saved plan is applied.
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":5}"#)
            let again = try await sandbox.streamplan(
                ["apply", "plan.json"], in: workspace.directory, environment: Self.environment)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try await sandbox.projectVideos("costs").count == 3)
        }
    }

    @Test("a plan saved while the balance was short applies once it is topped up: apply FILE judges the balance now")
    func savedWhileShort() async throws {
        let workspace = try Self.workspace(avi: false)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":0}"#)
            let plan = try await sandbox.streamplan(["plan", "--out", "plan.json", "."], in: workspace.directory)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("apply will refuse: the transcodes cost "), "\(plan.stdout)")
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":5}"#)
            let apply = try await sandbox.streamplan(
                ["apply", "plan.json"], in: workspace.directory, environment: Self.environment)
            #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
            #expect(try await sandbox.projectVideos("costs").count == 3)
        }
    }

    @Test("both generations of the API price the same plan the same (/videos/cost and /media/cost with type=video)")
    func bothGenerations() async throws {
        let workspace = try Self.workspace(avi: false)
        defer { workspace.remove() }
        try await TestSandbox.with(minimumPartSize: 16_384) { sandbox in
            var totals: [String] = []
            for api in ["videos", "media"] {
                let plan = try await sandbox.streamplan(["plan", "--api", api, "--format", "json", "."], in: workspace.directory)
                #expect(plan.status == 0, "\(api): \(plan.stderr)")
                let cost = try #require(try Self.json(plan.stdout)["cost"] as? [String: Any], "\(api)")
                #expect(cost["complete"] as? Bool == true, "\(api): \(cost)")
                totals.append(Self.decimal(cost["total"]).map { PlanCostText.format($0) } ?? "none")
            }
            #expect(totals[0] == totals[1] && totals[0] != "0", "\(totals)")
        }
    }

    @Test("validate warns, at the quality's file:line:column, when a quality is above the source's resolution")
    func validateWarns() async throws {
        let workspace = try TestWorkspace(project: "costs")
        defer { workspace.remove() }
        try FileManager.default.createDirectory(atPath: workspace.directory + "/media", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.media + "clip-2s-320x240.mp4", toPath: workspace.directory + "/media/clip.mp4")
        try workspace.manifest(
            """
            profiles:
              tall:
                - 240p
                - 1080p
            videos:
              inline:
                title: Inline ladder
                source: media/clip.mp4
                qualities:
                  - 240p
                  - 720p
              profiled:
                title: From a profile
                source: media/clip.mp4
                qualities: tall

            """)
        let result = try await streamplan(["validate", "."], in: workspace.directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 warnings"), "\(result.stdout)")
        #expect(
            result.stderr.contains(
                "streamplan.yaml:12:9: warning: video.inline asks for 720p but its source \"media/clip.mp4\" is 320×240 (240p)"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains("streamplan.yaml:5:7: warning: video.profiled asks for 1080p (from profile tall)"),
            "\(result.stderr)")
    }
}

/// Amounts as the plan prints them (PlanCost.format), without importing the engine here.
enum PlanCostText {
    static func format(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 6, .plain)
        return "\(rounded)"
    }
}
