import LatchkeyCrypto

/// The RFC 8628 `user_code`: what a person reads on a TV and types on a phone.
///
/// Eight letters from the nineteen consonants other than L and Y (RFC 8628 §6.1 suggests
/// consonants, so that no word is spelled; Y is half a vowel, and L goes with the digits
/// 0 and 1 and the vowels O and I, which look alike in many fonts), shown as `XXXX-XXXX`.
/// That is about 34 bits: enough for a code that lives ten minutes while wrong guesses
/// are limited per user and per address (RFC 8628 §5.1).
public enum UserCode {
    static let alphabet = Array("BCDFGHJKMNPQRSTVWXZ".utf8)
    static let length = 8
    /// Longer input is refused without looking at it: nothing honest is that long.
    static let maximumInputLength = 64

    /// A new code, normalized (eight letters, no hyphen).
    public static func generate() -> String {
        var letters: [UInt8] = []
        // Rejection sampling: bytes at or above the largest multiple of the alphabet's size
        // would make the first letters likelier than the rest.
        let limit = UInt8(256 / alphabet.count * alphabet.count)
        while letters.count < length {
            for byte in SecureRandom.bytes(count: length) where byte < limit {
                guard letters.count < length else { break }
                letters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// What the user typed, as the eight letters the code is stored under: case,
    /// hyphens and spaces do not matter. Nil when it cannot be a user code.
    public static func normalized(_ typed: String) -> String? {
        guard typed.utf8.count <= maximumInputLength else { return nil }
        let letters = typed.uppercased().utf8.filter {
            $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ")
        }
        guard letters.count == length, letters.allSatisfy(alphabet.contains) else { return nil }
        return String(decoding: letters, as: UTF8.self)
    }

    /// `WDJBMJHT` as `WDJB-MJHT`.
    public static func display(_ normalized: String) -> String {
        let half = normalized.index(normalized.startIndex, offsetBy: length / 2)
        return normalized[..<half] + "-" + normalized[half...]
    }

    /// The hash a user code is stored and looked up by. Its 34 bits do not resist a
    /// search of every value; the hash keeps codes out of the database, not secret from
    /// someone holding it, who could not use them without signing in as the user anyway.
    public static func storageHash(ofNormalized normalized: String) -> String {
        LatchkeyOAuth.storageHash(of: "user_code:" + normalized)
    }
}
