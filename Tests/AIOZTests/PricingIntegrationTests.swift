import AIOZ
import Foundation
import Providers
import Sandbox
import SandboxTesting
import Testing

/// The adapter's pricing calls over loopback: the cost endpoint (both generations) and `/user/me`.
@Suite("AIOZ pricing through the provider seam")
struct PricingIntegrationTests {
    @Test("a ladder is priced by its video resolutions; audio-only renditions are named, not priced")
    func ladder() async throws {
        try await TestSandbox.with { sandbox in
            let price = try #require(try await sandbox.provider.transcodeCost(qualities: ["720p", "audio"], durationSeconds: 60))
            #expect(price.amount == Decimal(string: "0.002"))
            #expect(price.qualities == ["720p"] && price.unpriced == ["audio"])
            #expect(price.defaultLadderNote == nil)
            let onlyAudio = try #require(try await sandbox.provider.transcodeCost(qualities: ["audio"], durationSeconds: 60))
            #expect(onlyAudio.amount == 0 && onlyAudio.unpriced == ["audio"])
        }
    }

    @Test("the server's default ladder is priced as 360p, 720p, 1080p, and the price says it is assumed")
    func defaults() async throws {
        try await TestSandbox.with { sandbox in
            let price = try #require(try await sandbox.provider.transcodeCost(qualities: nil, durationSeconds: 120))
            #expect(price.qualities == ["360p", "720p", "1080p"])
            #expect(price.amount == Decimal(string: "0.012"))
            #expect(price.defaultLadderNote?.contains("does not document its default ladder") == true)
        }
    }

    @Test("the balance is GET /user/me's, exact, and follows /_sandbox/balance")
    func balance() async throws {
        try await TestSandbox.with { sandbox in
            #expect(try await sandbox.provider.balance() == 1_000_000)
            _ = try await sandbox.api.send(.POST, "/_sandbox/balance", json: #"{"balance":0.0003}"#)
            #expect(try await sandbox.provider.balance() == Decimal(string: "0.0003"))
        }
    }

    @Test("a balance or price sent as a number or as a string reads the same")
    func tolerant() throws {
        let asString = try JSONDecoder().decode(AccountUser.self, from: Data(#"{"id":"u","balance":"12.50"}"#.utf8))
        let asNumber = try JSONDecoder().decode(AccountUser.self, from: Data(#"{"id":"u","balance":12.5}"#.utf8))
        #expect(asString.balanceValue == Decimal(string: "12.5") && asNumber.balanceValue == Decimal(string: "12.5"))
        let garbage = try JSONDecoder().decode(AccountUser.self, from: Data(#"{"balance":"12abc"}"#.utf8))
        #expect(garbage.balanceValue == nil)
        let cost = try JSONDecoder().decode(Cost.self, from: Data(#"{"price":0.010042,"is_enough":true}"#.utf8))
        #expect(cost.priceDecimal == Decimal(string: "0.010042"))
    }
}
