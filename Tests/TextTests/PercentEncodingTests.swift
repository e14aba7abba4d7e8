import Testing

@testable import LatchkeyText

struct PercentEncodingTests {
    @Test(arguments: [
        ("", ""),
        ("a.b-c_d~e", "a.b-c_d~e"),
        ("x y&z=1/é", "x%20y%26z%3D1%2F%C3%A9"),
        ("\"><script>", "%22%3E%3Cscript%3E"),
        ("+%", "%2B%25"),
        ("😀", "%F0%9F%98%80"),
    ])
    func encodingAllButUnreserved_escapesEveryOtherByteInUpperCase(text: String, expected: String) {
        #expect(PercentEncoding.encodingAllButUnreserved(text) == expected)
    }

    @Test(arguments: [
        ("", ""),
        ("plain", "plain"),
        ("a+b", "a+b"),
        ("K%C3%B8benhavn", "København"),
        ("%e2%82%ac", "€"),
        ("%00", "\u{0}"),
        ("%25", "%"),
        ("%2541", "%41"),
    ])
    func decoding_replacesEscapesWithTheirBytes(text: String, expected: String) {
        #expect(PercentEncoding.decoding(text) == expected)
        #expect(PercentEncoding.decoding(text[...]) == expected)
    }

    @Test(arguments: [
        "%", "%4", "a%", "%zz", "%4g", "%%41",
        // Not UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a
        // surrogate, a value past U+10FFFF.
        "%FF", "%80", "%A9", "%C3", "%C3%28", "%C0%80", "%ED%A0%80", "%F4%90%80%80",
    ])
    func decoding_malformed_isNil(text: String) {
        #expect(PercentEncoding.decoding(text) == nil)
    }

    @Test func decoding_keepsAByteOrderMark() {
        #expect(PercentEncoding.decoding("%EF%BB%BFx") == "\u{FEFF}x")
    }
}
