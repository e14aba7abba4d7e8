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

    /// `metadata` is built only when the line is written: a debug line on a request
    /// path costs nothing at the default level.
    public func log(
        _ level: Level, _ message: StaticString,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        guard level >= minimumLevel else { return }
        var line = LogLine(date: Date(), level: level, message: message)
        line.append(metadata())
        emit(&line)
    }

    /// The same line as `log(_:_:_:)`, from pairs instead of a dictionary: a caller on
    /// the request path passes its keys already sorted, which spares the hashing and
    /// the sort. Pairs out of order are sorted here, so the line is the same either way.
    public func log(_ level: Level, _ message: StaticString, pairs: [(String, String)]) {
        guard level >= minimumLevel else { return }
        var line = LogLine(date: Date(), level: level, message: message)
        line.append(pairs)
        emit(&line)
    }

    /// One write(2) per line keeps lines whole when worker threads log at once.
    private func emit(_ line: inout LogLine) {
        line.endLine()
        line.bytes.withUnsafeBufferPointer { buffer in
            _ = write(fileDescriptor, buffer.baseAddress, buffer.count)
        }
    }

    public func debug(
        _ message: StaticString, _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.debug, message, metadata())
    }

    public func info(
        _ message: StaticString, _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.info, message, metadata())
    }

    public func notice(
        _ message: StaticString, _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.notice, message, metadata())
    }

    public func warning(
        _ message: StaticString, _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.warning, message, metadata())
    }

    public func error(
        _ message: StaticString, _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        log(.error, message, metadata())
    }

    /// One logfmt line, newline included.
    public static func format(
        date: Date, level: Level, message: String, metadata: [String: String]
    ) -> String {
        var line = LogLine(date: date, level: level, message: message)
        line.append(metadata)
        line.endLine()
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// A duration as milliseconds with exactly three decimals (`12.345`), rounded half up
    /// from whole nanoseconds; negative durations read `0.000`. Integer arithmetic only:
    /// `String(format: "%.3f")` cost more than the rest of the request's log line.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let microseconds = (nanoseconds + 500) / 1000
        let fraction = microseconds % 1000
        let padding = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return "\(microseconds / 1000).\(padding)\(fraction)"
    }

    /// Quotes a value when logfmt needs it, escaping quotes, backslashes and control
    /// characters so that a hostile value cannot forge a second line or key.
    static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        LogLine.appendQuoted(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
