/// Bytes from hex text written in a test vector; spaces are ignored.
func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.replacingOccurrences(of: " ", with: "").utf8)
    precondition(digits.count % 2 == 0, "odd hex digit count in a test vector")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
