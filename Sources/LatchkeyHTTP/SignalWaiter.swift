#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Blocks the caller until SIGTERM or SIGINT arrives, so that the executable can run
/// `start()`, wait, `shutdown()`, `exit(0)` (SPEC §10: in-flight requests finish).
///
/// Create it before starting the server: from then on those signals no longer end the
/// process but are remembered. The handler only writes the signal number to a pipe
/// (`write(2)` is async-signal-safe), so the signal may land on any thread.
public final class SignalWaiter: Sendable {
    private let readEnd: Int32

    /// Installs the handlers for SIGTERM and SIGINT. Create one per process.
    public init() {
        var ends: [Int32] = [0, 0]
        precondition(pipe(&ends) == 0, "pipe(2) failed while installing signal handlers")
        readEnd = ends[0]
        signalPipeWriteEnd = ends[1]
        for signalNumber in [SIGTERM, SIGINT] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { signalNumber in
                    var byte = UInt8(truncatingIfNeeded: signalNumber)
                    _ = write(signalPipeWriteEnd, &byte, 1)
                }
            #else
                action.__sigaction_u.__sa_handler = { signalNumber in
                    var byte = UInt8(truncatingIfNeeded: signalNumber)
                    _ = write(signalPipeWriteEnd, &byte, 1)
                }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Waits for the next SIGTERM or SIGINT and returns its number.
    public func wait() -> Int32 {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count == 1 { return Int32(byte) }
            if count < 0 && errno == EINTR { continue }
            // The pipe cannot close while this object lives; stop waiting rather than spin.
            return SIGTERM
        }
    }
}

/// Written once before the handlers are installed, then only read by them; a plain
/// global because a signal handler can reach nothing else.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
