import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Process {
    /// `run()`, but the child starts with no signal blocked, as it would from a shell.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and Foundation's
    /// `Process` on Linux does not reset it. Test code runs on Dispatch and Swift
    /// concurrency threads, which block nearly every signal, so a plain `run()` starts
    /// `latchkey serve` (and ChromeDriver) with SIGTERM blocked, and `stop()` could never
    /// test graceful shutdown. Spawning from a short-lived thread with an empty mask
    /// avoids that.
    func runWithUnblockedSignals() throws {
        let outcome = LaunchOutcome()
        let launched = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            var empty = sigset_t()
            var previous = sigset_t()
            sigemptyset(&empty)
            pthread_sigmask(SIG_SETMASK, &empty, &previous)
            do {
                try run()
            } catch {
                outcome.error.withLock { $0 = error }
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            launched.signal()
        }
        thread.start()
        launched.wait()

        if let error = outcome.error.withLock({ $0 }) {
            throw error
        }
    }
}

private final class LaunchOutcome: Sendable {
    let error = Mutex<(any Error)?>(nil)
}
