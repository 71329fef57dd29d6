import Foundation
import TestSupport
import Testing

@testable import Planning

/// The cost attached to a plan: sums, refusals with amounts, and the three renderings, which add one
/// block at the end and leave everything before it as it was.
@Suite("Plan cost: totals, refusals and renderings")
struct PlanCostTests {
    static func item(_ name: String, _ price: String?, reason: String? = nil, defaults: Bool = false) -> PlanCost.Item {
        PlanCost.Item(
            address: "video.\(name)", action: .create, qualities: defaults ? ["360p", "720p", "1080p"] : ["720p"],
            serverDefaultQualities: defaults, durationSeconds: price == nil ? nil : 90,
            price: price.flatMap { Decimal(string: $0) }, unknownReason: reason)
    }

    static func cost(balance: String?, maxCost: String? = nil, unknown: Bool = false) -> PlanCost {
        var items = [item("a", "0.1"), item("b", "0.2", defaults: true)]
        if unknown { items.append(item("c", nil, reason: "media/c.avi: streamplan will not guess")) }
        return PlanCost(
            items: items, balance: balance.flatMap { Decimal(string: $0) },
            balanceUnknownReason: balance == nil ? "AIOZ Stream does not tell it" : nil,
            maxCost: maxCost.flatMap { Decimal(string: $0) }, service: "AIOZ Stream", serverDefaultsNote: "assumed ladder")
    }

    @Test("the total is exact (0.1 + 0.2 is 0.3) and unknown prices are left out and counted")
    func totals() {
        let cost = Self.cost(balance: "1", unknown: true)
        #expect(cost.total == Decimal(string: "0.3"))
        #expect(PlanCost.format(cost.total) == "0.3")
        #expect(!cost.complete)
        #expect(cost.unknownItems.map(\.address) == ["video.c"])
        #expect(cost.refusals.isEmpty)
    }

    @Test("refusals say by how much: the balance, --max-cost, and --max-cost with an unknown price")
    func refusals() {
        #expect(
            Self.cost(balance: "0.25").refusals == [
                "the transcodes cost 0.3 but the balance on AIOZ Stream is 0.25: 0.05 short"
            ])
        #expect(
            Self.cost(balance: "10", maxCost: "0.1").refusals == [
                "the transcodes cost 0.3, more than --max-cost 0.1 by 0.2"
            ])
        #expect(
            Self.cost(balance: "10", maxCost: "1", unknown: true).refusals == [
                "--max-cost cannot be checked: the cost of video.c is unknown (see the plan's Cost section)"
            ])
        // An unknown balance never refuses by itself.
        #expect(Self.cost(balance: nil).refusals.isEmpty)
    }

    @Test("the text plan is the same up to the cost block, which comes last")
    func text() {
        var plan = samplePlan
        let before = PlanTextRenderer().render(plan)
        plan.cost = Self.cost(balance: "0.25", unknown: true)
        let after = PlanTextRenderer().render(plan)
        #expect(after.hasPrefix(before))
        let block = String(after.dropFirst(before.count))
        #expect(block.hasPrefix("\nCost of transcoding (prices from AIOZ Stream, in the unit of its balance):\n"), "\(block)")
        #expect(block.contains("  video.a  0.1  (1 min 30 s, 720p)\n"), "\(block)")
        #expect(block.contains("  video.b  0.2  (1 min 30 s, server defaults (priced as 360p, 720p, 1080p))\n"), "\(block)")
        #expect(block.contains("  video.c  unknown: media/c.avi: streamplan will not guess\n"), "\(block)")
        #expect(block.contains("  Total:   0.3 (at least: 1 video's cost unknown)\n"), "\(block)")
        #expect(block.contains("  Balance: 0.25 (0.05 short)\n"), "\(block)")
        #expect(block.contains("  Server defaults: assumed ladder\n"), "\(block)")
        #expect(
            block.hasSuffix("apply will refuse: the transcodes cost 0.3 but the balance on AIOZ Stream is 0.25: 0.05 short.\n"))
    }

    @Test("Markdown ends with the cost section, kept even when the resources are cut for size")
    func markdown() {
        var plan = samplePlan
        let before = PlanMarkdownRenderer().render(plan)
        plan.cost = Self.cost(balance: "1")
        let after = PlanMarkdownRenderer().render(plan)
        #expect(after.hasPrefix(before))
        #expect(after.contains("#### Cost of transcoding\n"))
        #expect(after.contains("| video.a | 720p | 1 min 30 s | 0.1 |"), "\(after)")
        #expect(after.contains("| **total** | | | **0.3** |"))
        #expect(after.contains("Balance: 1 (0.7 left after)."), "\(after)")
        let small = PlanMarkdownRenderer(limit: 2_000).render(plan)
        #expect(small.utf8.count <= 2_000)
        #expect(small.contains("#### Cost of transcoding") && small.contains("are not shown"), "\(small)")
    }

    @Test("JSON carries the same figures as numbers, every key present, and validates against the schema")
    func json() async throws {
        var plan = samplePlan
        plan.cost = Self.cost(balance: "0.25", unknown: true)
        let text = try PlanJSON.render(plan)
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cost = try #require(object["cost"] as? [String: Any])
        #expect((cost["total"] as? NSNumber)?.stringValue == "0.3")
        #expect((cost["exceeds_balance_by"] as? NSNumber)?.stringValue == "0.05")
        #expect(cost["complete"] as? Bool == false)
        #expect(cost["max_cost"] is NSNull)
        let videos = try #require(cost["videos"] as? [[String: Any]])
        #expect(videos.count == 3 && videos[2]["price"] is NSNull && videos[2]["duration_seconds"] is NSNull)
        #expect(text.contains("\"total\" : 0.3,"), "a decimal, not a float's 0.30000000000000004: \(text)")
        let check = try await ToolRun.checkPlanSchemaOffPool(json: text)
        #expect(check.status == 0, "\(check.output)")
        // Without a cost the document is as before: no `cost` key at all.
        #expect(!(try PlanJSON.render(samplePlan)).contains("\"cost\""))
        // A saved plan keeps it and reads it back.
        let saved = SavedPlan(plan: plan, partial: nil, manifestsDigest: "x", directory: "/w")
        let back = try SavedPlan.decode(try saved.encoded(), path: "plan.json")
        #expect(try back.resolvedPlan(directory: "/w").cost == plan.cost)
    }
}
