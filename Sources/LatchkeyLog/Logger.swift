import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one logfmt line per event: `ts`, `level`, a constant `msg`, then the
/// metadata keys in sorted order.
///
/// The message text never varies; the data goes in dotted metadata keys
/// (`http.status`, `oauth.client_id`). Never pass a token, code, secret, password,
/// cookie or `Authorization` header: identify a token by the first 8 hex digits of
/// its hash instead.
public struct Logger: Sendable {
    /// Debug for request flow, info for lifecycle, notice for audit events, warning for
    /// a dangerous setting, error for Latchkey's own failures.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, notice, warning, error

        public var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            }
        }

        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = level
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var minimumLevel: Level
    private let fileDescriptor: Int32

    /// - Parameter fileDescriptor: where lines go; standard error by default.
    public init(minimumLevel: Level = .info, fileDescriptor: Int32 = 2) {
        self.minimumLevel = minimumLevel
        self.fileDescriptor = fileDescriptor
    }

    public func log(_ level: Level, _ message: StaticString, _ metadata: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        let line = Self.format(
            date: Date(), level: level, message: "\(message)", metadata: metadata)

        // One write(2) per line keeps lines whole when worker threads log at once.
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(fileDescriptor, buffer.baseAddress, buffer.count - 1)
        }
    }

    public func debug(_ message: StaticString, _ metadata: [String: String] = [:]) {
        log(.debug, message, metadata)
    }

    public func info(_ message: StaticString, _ metadata: [String: String] = [:]) {
        log(.info, message, metadata)
    }

    public func notice(_ message: StaticString, _ metadata: [String: String] = [:]) {
        log(.notice, message, metadata)
    }

    public func warning(_ message: StaticString, _ metadata: [String: String] = [:]) {
        log(.warning, message, metadata)
    }

    public func error(_ message: StaticString, _ metadata: [String: String] = [:]) {
        log(.error, message, metadata)
    }

    /// One logfmt line, newline included.
    public static func format(
        date: Date, level: Level, message: String, metadata: [String: String]
    ) -> String {
        var line = "ts=\(timestamp(date)) level=\(level.name) msg=\(quoted(message))"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quoted(metadata[key]!))"
        }
        return line + "\n"
    }

    /// Quotes a value when logfmt needs it, escaping quotes, backslashes and control
    /// characters so that a hostile value cannot forge a second line or key.
    static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20
                    || $0.value == 0x7F
            }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// `2026-12-03T16:42:00.250Z`, built by hand: `String(format:)` was a visible share of
    /// a request's cost.
    private static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        let milliseconds = Int(date.timeIntervalSince1970 * 1000) % 1000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(24)
        append(Int(parts.tm_year) + 1900, width: 4, to: &text)
        text += "-"
        append(Int(parts.tm_mon) + 1, width: 2, to: &text)
        text += "-"
        append(Int(parts.tm_mday), width: 2, to: &text)
        text += "T"
        append(Int(parts.tm_hour), width: 2, to: &text)
        text += ":"
        append(Int(parts.tm_min), width: 2, to: &text)
        text += ":"
        append(Int(parts.tm_sec), width: 2, to: &text)
        text += "."
        append(milliseconds, width: 3, to: &text)
        return text + "Z"
    }

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }
}
