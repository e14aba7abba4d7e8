#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One logfmt line built as UTF-8 bytes in a single buffer.
///
/// Every request writes a line, so this avoids what made it cost: string
/// interpolation and concatenation (an allocation each), and `String(format:)`, which
/// goes through Foundation's formatting machinery.
struct LogLine {
    private(set) var bytes: [UInt8] = []

    init(date: Date, level: Logger.Level, message: StaticString) {
        bytes.reserveCapacity(256)
        appendPrefix(date: date, level: level)
        message.withUTF8Buffer { Self.appendQuoted(bytes: $0, to: &bytes) }
    }

    init(date: Date, level: Logger.Level, message: String) {
        bytes.reserveCapacity(256)
        appendPrefix(date: date, level: level)
        Self.appendQuoted(message, to: &bytes)
    }

    /// ` key=value`, the value quoted when logfmt needs it. Keys are code constants.
    mutating func append(_ key: String, _ value: String) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
        Self.appendQuoted(value, to: &bytes)
    }

    /// Every pair in key order; pairs already in order (the request line's) are not
    /// sorted again.
    mutating func append(_ pairs: [(String, String)]) {
        let isSorted = zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 < $1.0 }
        for (key, value) in isSorted ? pairs : pairs.sorted(by: { $0.0 < $1.0 }) {
            append(key, value)
        }
    }

    /// Every entry in key order.
    mutating func append(_ metadata: [String: String]) {
        for key in metadata.keys.sorted() {
            append(key, metadata[key]!)
        }
    }

    mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func appendPrefix(date: Date, level: Logger.Level) {
        append("ts=")
        appendTimestamp(date)
        append(" level=")
        append(level.name)
        append(" msg=")
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `2026-12-03T16:42:00.250Z`, from `gmtime_r` and integer digits.
    private mutating func appendTimestamp(_ date: Date) {
        let since1970 = date.timeIntervalSince1970
        var seconds = time_t(since1970)
        let milliseconds = Int(since1970 * 1000) % 1000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        appendDigits(Int(parts.tm_year) + 1900, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mon) + 1, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(Int(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_sec), width: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(milliseconds, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// A non-negative number, zero-padded on the left to at least `width` digits.
    private mutating func appendDigits(_ value: Int, width: Int) {
        var divisor = 1
        var digits = 1
        while divisor <= value / 10 {
            divisor *= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendQuoted(bytes: $0, to: &output) }
    }

    /// logfmt quoting on UTF-8 bytes: every byte of a non-ASCII character is 0x80 or
    /// above, so only ASCII bytes ever need escaping and the rest are copied as they are.
    static func appendQuoted(bytes value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard value.isEmpty || value.contains(where: needsQuotes) else {
            output.append(contentsOf: value)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in value {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case UInt8(ascii: "\n"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case _ where byte < 0x20 || byte == 0x7F:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0xF))
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
