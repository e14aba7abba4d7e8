import Foundation
import Testing

@testable import LatchkeyWeb

@Suite struct DisplayDateTests {
    @Test(arguments: [
        (1_796_316_120.0, "3 Dec 2026, 16:42 UTC", "2026-12-03T16:42:00Z"),
        (1_798_761_600.0, "1 Jan 2027, 00:00 UTC", "2027-01-01T00:00:00Z"),
        (1_709_197_559.0, "29 Feb 2024, 09:05 UTC", "2024-02-29T09:05:59Z"),
        (946_684_799.0, "31 Dec 1999, 23:59 UTC", "1999-12-31T23:59:59Z"),
        (1_781_526_600.0, "15 Jun 2026, 12:30 UTC", "2026-06-15T12:30:00Z"),
        (0.0, "1 Jan 1970, 00:00 UTC", "1970-01-01T00:00:00Z"),
    ])
    func date_isFormattedInUTC(seconds: Double, text: String, iso: String) {
        let date = Date(timeIntervalSince1970: seconds)

        #expect(DisplayDate.text(date) == text)
        #expect(DisplayDate.iso8601(date) == iso)
        #expect(DisplayDate.element(date) == "<time datetime=\"\(iso)\">\(text)</time>")
    }

    @Test func date_secondsAreTruncatedNotRounded() {
        let date = Date(timeIntervalSince1970: 1_796_316_120 + 59.9)

        #expect(DisplayDate.text(date) == "3 Dec 2026, 16:42 UTC")
    }

    @Test func date_ignoresTheProcessTimeZone() {
        // Rendering runs with whatever TZ the server has; the page must not change.
        let saved = NSTimeZone.default
        NSTimeZone.default = TimeZone(identifier: "Pacific/Auckland")!
        defer { NSTimeZone.default = saved }

        #expect(
            DisplayDate.text(Date(timeIntervalSince1970: 1_796_316_120))
                == "3 Dec 2026, 16:42 UTC")
    }
}
