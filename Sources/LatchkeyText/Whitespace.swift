/// The characters Foundation's `CharacterSet.whitespaces` and
/// `CharacterSet.whitespacesAndNewlines` hold, for trimming.
extension Unicode.Scalar {
    /// `CharacterSet.whitespaces`: the space separators (Unicode category Zs), tab, and
    /// U+200B ZERO WIDTH SPACE, a space separator in early Unicode that Foundation keeps.
    public var isSpaceOrTab: Bool {
        switch value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `CharacterSet.whitespacesAndNewlines`: the above, the line and paragraph
    /// separators (Zl, Zp), and U+000A to U+000D and U+0085.
    public var isWhitespaceOrNewline: Bool {
        switch value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: isSpaceOrTab
        }
    }
}

extension StringProtocol {
    /// The text without spaces and tabs at either end, as
    /// `trimmingCharacters(in: .whitespaces)` gives it.
    public func trimmingSpacesAndTabs() -> String {
        trimming(while: \.isSpaceOrTab)
    }

    /// The text without whitespace or line breaks at either end, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` gives it.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming(while: \.isWhitespaceOrNewline)
    }

    /// Trims Unicode scalars, not characters, as Foundation does: a combining mark after
    /// a trimmed space stays.
    private func trimming(while isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isTrimmed($0) })!
        return String(scalars[first...last])
    }
}
