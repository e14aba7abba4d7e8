/// Lowercase hexadecimal text.
public enum Hex {
    private static let digits: StaticString = "0123456789abcdef"

    /// Two lowercase hex digits per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    /// Two lowercase hex digits per byte, written straight into the string's storage.
    public static func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            write(bytes, into: text.baseAddress!)
            return bytes.count * 2
        }
    }

    /// Writes two lowercase hex digits per byte to `text`, which has room for them.
    public static func write(
        _ bytes: UnsafeBufferPointer<UInt8>, into text: UnsafeMutablePointer<UInt8>
    ) {
        let digits = digits.utf8Start
        for (index, byte) in bytes.enumerated() {
            text[2 * index] = digits[Int(byte >> 4)]
            text[2 * index + 1] = digits[Int(byte & 0x0f)]
        }
    }
}
