import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `/api/v1/me` document of SPEC §1.
public enum Profile {
    public static func json(of user: User, scopes: [String], link: String = "/api/v1/me")
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .int(user.id)), ("username", .string(user.username)),
        ]
        if scopes.contains("email") { members.append(("email", .string(user.email))) }
        members.append(("name", .string(user.name)))
        members.append(("link", .string(link)))
        members.append(("created_at", .string(iso8601(user.createdAt))))
        members.append(("updated_at", .string(iso8601(user.updatedAt))))
        return .object(members)
    }

    /// SPEC §10: ISO 8601 in UTC, whole seconds (`2026-12-03T16:42:00Z`).
    ///
    /// Computed from the epoch seconds rather than with `ISO8601DateFormatter`, whose
    /// creation costs more than the rest of a `/api/v1/me` request together.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else {
            return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
                + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":"
                + pad(secondOfDay % 60, 2) + "Z"
        }

        // Every API answer carries two dates: the digits go straight into the string's
        // storage instead of through a dozen small concatenations.
        return String(unsafeUninitializedCapacity: 20) { buffer in
            var position = 0
            func put(_ value: Int64, width: Int, then separator: UInt8) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    buffer[position + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[position + width] = separator
                position += width + 1
            }
            // `UInt8(ascii:)` of a literal is a constant; a `Character`'s `asciiValue` is
            // worked out at run time, and cost more than the digits.
            put(year, width: 4, then: UInt8(ascii: "-"))
            put(month, width: 2, then: UInt8(ascii: "-"))
            put(day, width: 2, then: UInt8(ascii: "T"))
            put(secondOfDay / 3600, width: 2, then: UInt8(ascii: ":"))
            put(secondOfDay % 3600 / 60, width: 2, then: UInt8(ascii: ":"))
            put(secondOfDay % 60, width: 2, then: UInt8(ascii: "Z"))
            return position
        }
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (the well-known
    /// era-based conversion: 400-year eras of 146,097 days each).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width
            ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
