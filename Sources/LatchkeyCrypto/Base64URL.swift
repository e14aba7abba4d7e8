import CCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The URL- and filename-safe Base64 alphabet of RFC 4648 §5, written without padding
/// (as JOSE, PKCE and Latchkey's tokens use it).
public enum Base64URL {
    /// Encodes without `=` padding.
    ///
    /// OpenSSL's block encoder writes standard Base64 into a buffer that then becomes
    /// the string; every credential check encodes a checksum, and Foundation's encoder
    /// plus a rewrite scalar by scalar cost more than the hash behind it.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withNonNullBufferPointer { encode(UnsafeRawBufferPointer($0)) }
    }

    /// Encodes without `=` padding; `bytes` must have a base address, even when empty.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let capacity = (bytes.count + 2) / 3 * 4 + 1
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let written = EVP_EncodeBlock(
                buffer.baseAddress, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                Int32(bytes.count))
            var count = Int(written)
            while count > 0, buffer[count - 1] == UInt8(ascii: "=") { count -= 1 }
            for index in 0..<count {
                switch buffer[index] {
                case UInt8(ascii: "+"): buffer[index] = UInt8(ascii: "-")
                case UInt8(ascii: "/"): buffer[index] = UInt8(ascii: "_")
                default: break
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// Decodes text with or without padding; nil for any character outside the alphabet,
    /// an impossible length, misplaced padding or non-zero trailing bits.
    public static func decode(_ text: String) -> [UInt8]? {
        let unpadded = text.utf8.reversed().drop(while: { $0 == UInt8(ascii: "=") }).reversed()
        let paddingCount = text.utf8.count - unpadded.count

        // Padding, when present, must complete the last quantum exactly.
        if paddingCount > 0, text.utf8.count % 4 != 0 || paddingCount > 2 { return nil }

        guard unpadded.count % 4 != 1 else { return nil }

        var standard = [UInt8]()
        standard.reserveCapacity(unpadded.count + 3)
        for byte in unpadded {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                standard.append(byte)
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            default: return nil
            }
        }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }

        guard let data = Data(base64Encoded: Data(standard)) else { return nil }
        let bytes = [UInt8](data)

        // Two spellings of the same bytes would let one token have several forms;
        // only the canonical one (zero trailing bits) is accepted.
        guard encode(bytes) == String(decoding: unpadded, as: UTF8.self) else { return nil }
        return bytes
    }
}
