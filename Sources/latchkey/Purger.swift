import Dispatch
import LatchkeyLog
import LatchkeyStorage
import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Deletes expired codes, sessions and tokens once a minute, so that tables grow with
/// live grants and not with traffic.
final class Purger: Sendable {
    private let storage: any Storage
    private let logger: Logger
    private let stopped = Locked(false)
    private let wakeUp = DispatchSemaphore(value: 0)

    init(storage: any Storage, logger: Logger) {
        self.storage = storage
        self.logger = logger
    }

    func start() {
        DetachedThread.start(name: "purger") { [self] in
            while true {
                // Waits a minute, or less when told to stop.
                _ = wakeUp.wait(timeout: .now() + 60)
                if stopped.withLock({ $0 }) { return }
                do {
                    let removed = try storage.purgeExpired(at: Date())
                    if removed > 0 {
                        logger.debug("storage.purged", ["rows": String(removed)])
                    }
                } catch {
                    logger.error("storage.purge_failed", ["error.detail": "\(error)"])
                }
            }
        }
    }

    func stop() {
        stopped.withLock { $0 = true }
        wakeUp.signal()
    }
}
