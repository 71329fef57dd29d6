import Foundation

/// RFC 3339 UTC with microseconds, as AIOZ writes them: `2024-11-11T11:11:11.111111Z`.
enum Timestamp {
    static func now() -> Double { Date().timeIntervalSince1970 }

    static func format(_ seconds: Double) -> String {
        var whole = Int(seconds.rounded(.down))
        var micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros
        )
    }
}
