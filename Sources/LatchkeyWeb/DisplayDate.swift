#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Formats instants for people, always in UTC and always the same way
/// (`3 Dec 2026, 16:42 UTC`), whatever the server's locale or time zone.
enum DisplayDate {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = Locale(identifier: "en_US_POSIX")
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    // Fixed English abbreviations: a formatter would follow locale data that can change.
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `3 Dec 2026, 16:42 UTC`.
    static func text(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let month = months[(parts.month ?? 1) - 1]
        return "\(parts.day ?? 1) \(month) \(parts.year ?? 1970), "
            + "\(twoDigits(parts.hour ?? 0)):\(twoDigits(parts.minute ?? 0)) UTC"
    }

    /// `2026-12-03T16:42:00Z`, for the machine-readable `datetime` attribute.
    static func iso8601(_ date: Date) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: date)
        let year = String(parts.year ?? 1970)
        let paddedYear = String(repeating: "0", count: max(0, 4 - year.count)) + year
        return "\(paddedYear)-\(twoDigits(parts.month ?? 1))-\(twoDigits(parts.day ?? 1))"
            + "T\(twoDigits(parts.hour ?? 0)):\(twoDigits(parts.minute ?? 0))"
            + ":\(twoDigits(parts.second ?? 0))Z"
    }

    /// A `<time>` element showing `text(date)`.
    static func element(_ date: Date) -> String {
        "<time datetime=\"\(iso8601(date))\">\(text(date))</time>"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
