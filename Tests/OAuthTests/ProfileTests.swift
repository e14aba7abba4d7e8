import Foundation
import Testing

@testable import LatchkeyOAuth

struct ProfileTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_796_316_120, "2026-12-03T16:42:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (4_107_542_399.9, "2100-02-28T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func iso8601_isUTCWithWholeSeconds(seconds: Double, expected: String) {
        #expect(Profile.iso8601(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func iso8601_agreesWithFoundationOverManyDays() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for step in stride(from: -2_000_000_000.0, to: 5_000_000_000, by: 86_400 * 37 + 3_671) {
            let date = Date(timeIntervalSince1970: step)
            #expect(Profile.iso8601(date) == formatter.string(from: date))
        }
    }
}
