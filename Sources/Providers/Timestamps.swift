import Foundation

/// RFC 3339 timestamps as services send them (`created_at`), to dates, to the second.
public enum Timestamps {
    public static func date(_ text: String) -> Date? {
        guard text.count >= 19 else { return nil }
        let head = String(text.prefix(19))
        var offset: TimeInterval = 0
        let tail = text.dropFirst(19).drop { $0 == "." || $0.isNumber }
        if tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
            let h = Int(tail.dropFirst().prefix(2)), let m = Int(tail.suffix(2))
        {
            offset = TimeInterval(h * 3600 + m * 60) * (sign == "+" ? 1 : -1)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: head).map { $0.addingTimeInterval(-offset) }
    }
}
