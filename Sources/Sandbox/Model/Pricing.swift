import Foundation

/// The sandbox's price list: deterministic, documented in docs/sandbox.md, not AIOZ's real prices.
enum Pricing {
    /// Price per minute of source, per output quality.
    static let perMinute: [String: Double] = [
        "144p": 0.0005, "240p": 0.0005, "360p": 0.001, "480p": 0.0015, "720p": 0.002,
        "1080p": 0.003, "1440p": 0.006, "2160p": 0.012, "4320p": 0.024,
    ]
    /// The price of transcoding `durationSeconds` of source to `qualities`. Only video resolutions are
    /// priced: AIOZ's cost endpoint takes resolutions only (144p … 2160p, seed 001), so an audio-only
    /// quality adds nothing, and `complete` charges exactly what `GET /videos/cost` quoted.
    static func price(durationSeconds: Double, qualities: [String]) -> Double {
        let rate = qualities.reduce(0) { $0 + (perMinute[$1] ?? 0) }
        return (rate * durationSeconds / 60 * 1_000_000).rounded() / 1_000_000
    }

    /// The sandbox cannot decode video, so duration is derived from size: as if encoded at 1 Mbit/s.
    static func duration(forSize size: Int) -> Double {
        Double(size) / 125_000
    }

    static func format(_ price: Double) -> String {
        String(format: "%.6f", price)
    }
}
