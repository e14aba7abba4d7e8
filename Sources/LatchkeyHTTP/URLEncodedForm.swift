import Foundation

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
        let pieces = encoded.split(separator: "&", omittingEmptySubsequences: true)
        guard pieces.count <= limit else { throw .tooManyParameters(limit: limit) }

        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(pieces.count)
        for piece in pieces {
            let name: Substring
            let value: Substring
            if let equals = piece.firstIndex(of: "=") {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = ""
            }
            pairs.append((try component(name), try component(value)))
        }
        return pairs
    }

    /// Decodes one name or value: `+` first (so that `%2B` stays a plus sign), then
    /// percent escapes.
    static func component(_ encoded: Substring) throws(ParameterError) -> String {
        let spaced = encoded.replacing("+", with: " ")
        guard spaced.contains("%") else { return String(spaced) }
        guard let decoded = String(spaced).removingPercentEncoding else {
            throw .malformedEncoding
        }
        return decoded
    }

    /// Percent-decodes a path; `+` is a literal plus sign there.
    static func path(_ encoded: Substring) throws(ParameterError) -> String {
        guard encoded.contains("%") else { return String(encoded) }
        guard let decoded = String(encoded).removingPercentEncoding else {
            throw .malformedEncoding
        }
        return decoded
    }
}
