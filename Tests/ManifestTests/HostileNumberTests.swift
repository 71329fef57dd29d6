import Foundation
import Testing

@testable import Manifest

/// Every integer a manifest gives, at and past the edges of `Int` (issue 26, item 3): refused at its
/// position or accepted, never a crash. Integers come through `CoreSchema` (nil on overflow) and are
/// only compared, never multiplied; this pins it.
@Suite("hostile numbers in manifests")
struct HostileNumberTests {
    static let values = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999999", "0x7fffffffffffffff", "0xffffffffffffffffffff", "0o7777777777777777777777777",
        "1e400", ".inf", "-.inf", ".nan", "0", "-1",
    ]
    static let fields = [
        "        video_config: {bitrate: VALUE}\n",
        "        video_config: {codec: h264, index: VALUE}\n",
        "        audio_config: {bitrate: VALUE}\n",
        "        audio_config: {sample_rate: VALUE}\n",
        "        audio_config: {index: VALUE}\n",
    ]

    @Test("bitrates, sample rates and track indexes at and past Int's edges: answered, never a crash")
    func edges() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        for field in Self.fields {
            for value in Self.values {
                let result = try ws.load(quality(field.replacingOccurrences(of: "VALUE", with: value)))
                let findings = ws.findings(result)
                // Past Int's range, or not a whole number: always refused, at the value's line.
                if Int(value) == nil && !value.hasPrefix("0x7") {
                    #expect(
                        findings.contains { $0.hasPrefix("m.yaml:8:") && $0.contains("error:") }, "\(field) \(value): \(findings)"
                    )
                }
                #expect(findings.allSatisfy { $0.count < 600 }, "\(findings)")
            }
        }
    }
}
