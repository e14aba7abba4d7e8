import LatchkeyWeb
import Testing

@Suite struct HTMLEscapeTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&amp;", "&amp;amp;"),
        ("say \"hi\"", "say &quot;hi&quot;"),
        ("it's", "it&#39;s"),
        ("\" onmouseover=\"x", "&quot; onmouseover=&quot;x"),
        ("' autofocus onfocus='x", "&#39; autofocus onfocus=&#39;x"),
        ("a<b>c", "a&lt;b&gt;c"),
        ("", ""),
        ("plain text 123", "plain text 123"),
        ("café ☕ 東京", "café ☕ 東京"),
    ])
    func escape_replacesEverySpecialCharacter(input: String, expected: String) {
        #expect(HTML.escape(input) == expected)
    }

    @Test func escape_quoteWithCombiningMark_isStillEscaped() {
        // `"` + U+0301 is a single Character that is not equal to `"`; the browser still
        // sees a quote that would close the attribute.
        let input = "\"\u{301} onmouseover=\"x"

        let escaped = HTML.escape(input)

        #expect(!escaped.unicodeScalars.contains("\""))
        #expect(
            Array(escaped.unicodeScalars)
                == Array("&quot;\u{301} onmouseover=&quot;x".unicodeScalars))
    }

    @Test func escape_lessThanWithCombiningMark_isStillEscaped() {
        let escaped = HTML.escape("<\u{338}script>")

        // Compared as scalars: the mark now combines with `;`, which String equality
        // and hasPrefix would treat as a different character.
        #expect(!escaped.unicodeScalars.contains("<"))
        #expect(Array(escaped.unicodeScalars) == Array("&lt;\u{338}script&gt;".unicodeScalars))
    }

    @Test func escape_escapedTwice_escapesTheAmpersandsAgain() {
        // Double escaping is visible to users as "&amp;" and so must never happen on a
        // page; this pins down that escape is not idempotent and callers escape once.
        #expect(HTML.escape(HTML.escape("<")) == "&amp;lt;")
    }

    @Test func escape_longInput_keepsEveryCharacter() {
        let input = String(repeating: "a<b&", count: 10_000)

        let escaped = HTML.escape(input)

        #expect(escaped.count == 10_000 * (1 + 4 + 1 + 5))
    }
}
