// Why this module exists: the server modules import FoundationEssentials rather than
// Foundation (see LatchkeyThreads), and the string methods below are in the part of
// Foundation that is left out. Each does exactly what the Foundation method it replaces
// did, byte for byte: percent-encoding decides what a redirect URL and a link say.

/// Percent-encoding (RFC 3986 §2.1) of UTF-8 text.
public enum PercentEncoding {
    /// `text` with every byte of its UTF-8 form that is not an RFC 3986 §2.3 unreserved
    /// character (`A-Z a-z 0-9 - . _ ~`) written as `%XX`, upper-case hex: what
    /// Foundation's `addingPercentEncoding(withAllowedCharacters:)` gives for that set.
    public static func encodingAllButUnreserved(_ text: some StringProtocol) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// `text` with every `%XX` replaced by the byte it stands for, the result read as
    /// UTF-8: what Foundation's `removingPercentEncoding` gives. Nil when a `%` is not
    /// followed by two hex digits or when the bytes are not UTF-8. A `+` stays a `+`.
    ///
    /// Stricter than Foundation on Linux in two details that are CoreFoundation's own
    /// quirks, not rules of UTF-8: it took a stray `%A9` byte (and no other) as U+FFFD,
    /// and dropped a byte order mark at the start of the result.
    public static func decoding(_ text: some StringProtocol) -> String? {
        let input = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            guard input[index] == UInt8(ascii: "%") else {
                decoded.append(input[index])
                index += 1
                continue
            }
            guard index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            else { return nil }
            decoded.append(high << 4 | low)
            index += 3
        }
        // Nil for anything but well-formed UTF-8: overlong forms, surrogates and values
        // past U+10FFFF included.
        return String(validating: decoded, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
