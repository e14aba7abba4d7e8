import Testing

@testable import LatchkeyText

struct WhitespaceTests {
    @Test(arguments: [
        ("", ""),
        ("   ", ""),
        ("\t a b \t", "a b"),
        ("\u{A0}\u{3000}x\u{2003}\u{200B}", "x"),
        // Line breaks are not spaces.
        ("\na\n", "\na\n"),
        // Scalars, not characters: the combining accent after a trimmed space stays.
        (" \u{301}x", "\u{301}x"),
    ])
    func trimmingSpacesAndTabs_removesOnlyThoseAtTheEnds(text: String, expected: String) {
        #expect(text.trimmingSpacesAndTabs() == expected)
        #expect(text[...].trimmingSpacesAndTabs() == expected)
    }

    @Test(arguments: [
        ("", ""),
        ("\r\n x \r\n", "x"),
        ("\u{85}\u{2028}x\u{2029}\u{B}\u{C}", "x"),
        (" a\nb ", "a\nb"),
    ])
    func trimmingWhitespaceAndNewlines_removesBothAtTheEnds(text: String, expected: String) {
        #expect(text.trimmingWhitespaceAndNewlines() == expected)
    }
}
