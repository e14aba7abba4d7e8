import LatchkeyText

/// Decodes `application/x-www-form-urlencoded` text: the query string and form bodies go
/// through this one function, so that both are decoded exactly once and the same way.
public enum URLEncodedForm {
    /// Splits `encoded` on `&`, each pair at its first `=`, turns `+` into a space and
    /// percent-decodes names and values as UTF-8.
    ///
    /// Empty pairs (`a=1&&b=2`) are skipped; a name without `=` has the value `""`.
    /// - Parameter limit: the most pairs accepted; counted before anything is decoded,
    ///   so that a flood of parameters costs no decoding work.
    /// - Throws: `ParameterError.tooManyParameters` past `limit`;
    ///   `ParameterError.malformedEncoding` for a `%` without two hex digits or bytes
    ///   that are not UTF-8.
    public static func decode(
        _ encoded: Substring, limit: Int
    ) throws(ParameterError) -> [(name: String, value: String)] {
        let pieces = split(encoded, at: UInt8(ascii: "&"))
        guard pieces.count <= limit else { throw .tooManyParameters(limit: limit) }

        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(pieces.count)
        for piece in pieces {
            let name: Substring
            let value: Substring
            if let equals = piece.utf8.firstIndex(of: UInt8(ascii: "=")) {
                name = piece[..<equals]
                value = piece[piece.utf8.index(after: equals)...]
            } else {
                name = piece
                value = ""
            }
            pairs.append((try component(name), try component(value)))
        }
        return pairs
    }

    /// The non-empty pieces between `separator` bytes. The separators are ASCII, so
    /// every cut falls between two characters.
    private static func split(_ text: Substring, at separator: UInt8) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = start
        let utf8 = text.utf8
        while index != utf8.endIndex {
            if utf8[index] == separator {
                if start != index { pieces.append(text[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != text.endIndex { pieces.append(text[start...]) }
        return pieces
    }

    /// Decodes one name or value: `+` first (so that `%2B` stays a plus sign), then
    /// percent escapes.
    static func component(_ encoded: Substring) throws(ParameterError) -> String {
        let hasPlus = encoded.containsByte(UInt8(ascii: "+"))
        let hasPercent = encoded.containsByte(UInt8(ascii: "%"))
        // Most names and values need neither step: copy them as they are.
        guard hasPlus || hasPercent else { return String(encoded) }
        let spaced =
            hasPlus
            ? String(
                decoding: encoded.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 },
                as: UTF8.self)
            : String(encoded)
        guard hasPercent else { return spaced }
        guard let decoded = PercentEncoding.decoding(spaced) else {
            throw .malformedEncoding
        }
        return decoded
    }

    /// Percent-decodes a path; `+` is a literal plus sign there.
    static func path(_ encoded: Substring) throws(ParameterError) -> String {
        guard encoded.containsByte(UInt8(ascii: "%")) else { return String(encoded) }
        guard let decoded = PercentEncoding.decoding(encoded) else {
            throw .malformedEncoding
        }
        return decoded
    }
}

extension Substring {
    /// Whether `byte` is one of the UTF-8 bytes. Scans them as one buffer where it can:
    /// the generic `utf8.contains` takes a bounds-checked index step per byte, which
    /// showed up in profiles of every form-encoded request.
    func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }
}
