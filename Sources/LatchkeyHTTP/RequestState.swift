import LatchkeyLog
import Synchronization

/// What the HTTP layer gathers about one request between libmicrohttpd's calls.
///
/// Created when the request line arrives (`.URI_LOG_CALLBACK`), reached through
/// `*con_cls`, released in `.NOTIFY_COMPLETED`. libmicrohttpd hands a connection
/// to one worker thread at a time, so the state is never touched by two threads at once;
/// while the connection is suspended, only the blocking pool's thread touches it.
final class RequestState {
    let id: String
    let started: ContinuousClock.Instant
    /// The request target exactly as sent: path and query, still percent-encoded.
    let rawTarget: RawTarget
    let targetTooLong: Bool

    var method = ""
    var headers: [(name: String, value: String)] = []
    var remoteAddress = ""
    var headersRead = false
    var body: [UInt8] = []
    var bodyTooLarge = false
    /// Set once a response is queued; later calls for the same request only drain input.
    var status: Int?
    /// The answer of blocking work, left here for the worker that resumes the connection.
    /// Written by a pool thread before `MHD_resume_connection` and read by the worker
    /// after libmicrohttpd resumes it; libmicrohttpd's own lock around resuming orders
    /// the two.
    var deferredResponse: Response?

    init(rawTarget: RawTarget, maxURLBytes: Int, id: String = RequestID.make()) {
        self.id = id
        self.started = ContinuousClock.now
        self.rawTarget = rawTarget
        self.targetTooLong = rawTarget.text.utf8.count > maxURLBytes
    }

    /// The path as sent, without the query: the only part of the target fit for logs.
    var rawPath: Substring {
        let text = rawTarget.text
        return text[..<(text.utf8.firstIndex(of: UInt8(ascii: "?")) ?? text.endIndex)]
    }

    /// The path for log lines: never the query, which legacy clients fill with secrets,
    /// and cut short so that an oversized target cannot flood the log.
    var loggedPath: String {
        let path = rawPath
        guard path.utf8.count > 256 else { return String(path) }
        return String(path.prefix(256)) + "..."
    }

    /// Milliseconds since the request line arrived, for the request log line.
    var elapsedMilliseconds: String {
        Logger.milliseconds(ContinuousClock.now - started)
    }
}

/// The request target as it arrived on the wire.
struct RawTarget {
    /// The target; bytes that are not UTF-8 are replaced, and `isUTF8` is then false.
    var text: String
    var isUTF8: Bool

    init(cString: UnsafePointer<CChar>) {
        if let text = String(validatingCString: cString) {
            self.text = text
            self.isUTF8 = true
        } else {
            self.text = String(cString: cString)
            self.isUTF8 = false
        }
    }

    init(text: String = "/") {
        self.text = text
        self.isUTF8 = true
    }
}

/// Short request ids for log correlation.
enum RequestID {
    /// 16 hex digits, unique within the process and unlikely to repeat across processes.
    /// Not a secret, so not from the system generator: a `getrandom` call on every
    /// request measured about 1 % of the server's time under load. A random start, drawn
    /// once, and a counter go through a bijective mix, so no two requests of one process
    /// share an id and consecutive ids do not look alike.
    static func make() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return hex(mixed(start &+ count))
    }

    private static let start = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)

    /// The finalizer of SplitMix64: odd multipliers and xor-shifts, each invertible, so
    /// the whole is a permutation of 64-bit values.
    static func mixed(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// 16 lower-case hex digits, written straight into the string's storage.
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(index))) & 0xF
                buffer[index] =
                    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }
}
