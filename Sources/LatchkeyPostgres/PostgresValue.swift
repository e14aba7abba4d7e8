#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value sent as a statement parameter, in PostgreSQL's text format. Values are always
/// parameters, never spliced into SQL text.
enum PostgresValue {
    case integer(Int64)
    case text(String)
    case null

    /// Dates are stored as BIGINT milliseconds since 1970-01-01 UTC, as in SQLite, so that
    /// both backends read back exactly the same Date.
    static func date(_ date: Date) -> PostgresValue {
        .integer(milliseconds(date))
    }

    static func date(_ date: Date?) -> PostgresValue {
        date.map { .date($0) } ?? .null
    }

    static func text(_ text: String?) -> PostgresValue {
        text.map { .text($0) } ?? .null
    }

    static func integer(_ value: Int64?) -> PostgresValue {
        value.map { .integer($0) } ?? .null
    }

    /// Space-separated, as scopes are written on the wire (RFC 6749 §3.3); no element
    /// can contain a space, so the split is exact.
    static func words(_ words: [String]) -> PostgresValue {
        .text(words.joined(separator: " "))
    }

    /// The parameter's text form, or nil for SQL NULL.
    var wireText: String? {
        switch self {
        case .integer(let integer): String(integer)
        case .text(let text): text
        case .null: nil
        }
    }
}

/// Milliseconds since the epoch, rounded down, as every date column holds them.
///
/// Clamped to what a BIGINT holds, so that a date such as `now - .infinity` (an unbounded
/// window) compares as "before everything" instead of trapping.
func milliseconds(_ date: Date) -> Int64 {
    let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
    guard !value.isNaN else { return 0 }
    guard value < 9.2e18 else { return .max }
    guard value > -9.2e18 else { return .min }
    return Int64(value)
}
