import Foundation
import TestSupport
import Testing

@testable import Manifest

/// The WebVTT checker on hostile input (issue 26, item 2): hours of 13 to 19 digits overflowed the
/// milliseconds and stopped the process. Seeded, so a failure reproduces.
@Suite("the WebVTT checker on hostile timestamps")
struct WebVTTFuzzTests {
    @Test("hours of every length up to 40 digits: refused past 9 digits with the line, never a crash")
    func longHours() {
        for length in 1...40 {
            for digit in ["9", "1", "0"] {
                let hours = String(repeating: digit, count: length)
                let text = "WEBVTT\n\n\(hours):59:59.999 --> \(hours):59:59.999\nx\n"
                let problem = TextTrackRules.checkWebVTT(Data(text.utf8))
                if (2...9).contains(length) {
                    #expect(problem == nil, "\(length) digits: \(String(describing: problem))")
                } else {
                    #expect(problem?.line == 3, "\(length) digits")
                    #expect(problem?.message.contains("is not a timestamp") == true, "\(length) digits")
                    #expect((problem?.message.count ?? 0) < 200)
                }
            }
        }
        #expect(TextTrackRules.milliseconds("999999999:59:59.999") == 3_599_999_999_999_999)
        #expect(TextTrackRules.milliseconds("9999999999999:00:00.000") == nil)
    }

    @Test("20,000 seeded random timing lines and mutated cues: every one answered, none crashes")
    func random() {
        var generator = SplitMix64(state: 26)
        let pieces = [
            "0", "9", "00", "59", "60", "99", ":", ".", "-->", " ", "\t", "999", "9999999999999", "9223372036854775807",
            "18446744073709551616", "-1", "+1", "٣", "１", "\u{0}", "\r", "\n", "WEBVTT", "NOTE", "é", "000",
        ]
        for round in 0..<20_000 {
            var timing = ""
            for _ in 0..<Int.random(in: 1...12, using: &generator) { timing += pieces.randomElement(using: &generator)! }
            let text: String
            switch round % 3 {
            case 0: text = "WEBVTT\n\n\(timing)\nx\n"
            case 1: text = "WEBVTT\n\n\(timing) --> \(timing)\nx\n"
            default: text = "WEBVTT\n\n00:00.000 --> \(timing):00:00.000\nx\n\n\(timing)\n"
            }
            // Answered (a problem or none) without trapping: reaching the next round is the check.
            let problem = TextTrackRules.checkWebVTT(Data(text.utf8))
            if let problem { #expect(problem.line >= 1 && problem.message.count < 400) }
        }
    }
}
