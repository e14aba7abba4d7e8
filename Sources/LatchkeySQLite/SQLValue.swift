#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value bound to a statement parameter. Values are always bound, never spliced into
/// SQL text.
enum SQLValue {
    case integer(Int64)
    case text(String)
    case null

    /// Dates are stored as integer milliseconds since 1970-01-01 UTC.
    static func date(_ date: Date) -> SQLValue {
        .integer(milliseconds(date))
    }

    static func date(_ date: Date?) -> SQLValue {
        date.map { .date($0) } ?? .null
    }

    static func text(_ text: String?) -> SQLValue {
        text.map { .text($0) } ?? .null
    }

    static func integer(_ value: Int64?) -> SQLValue {
        value.map { .integer($0) } ?? .null
    }

    /// Space-separated, as scopes are written on the wire (RFC 6749 §3.3); no element
    /// can contain a space, so the split is exact.
    static func words(_ words: [String]) -> SQLValue {
        .text(words.joined(separator: " "))
    }
}

/// Milliseconds since the epoch, rounded down, as every date column holds them.
///
/// Clamped to what an Int64 holds, so that a date such as `now - .infinity` (an unbounded
/// window) compares as "before everything" instead of trapping.
func milliseconds(_ date: Date) -> Int64 {
    let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
    guard !value.isNaN else { return 0 }
    guard value < 9.2e18 else { return .max }
    guard value > -9.2e18 else { return .min }
    return Int64(value)
}
