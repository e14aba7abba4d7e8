import CMicroHTTPD
import LatchkeyLog
import LatchkeyText
import LatchkeyThreads
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything libmicrohttpd's callbacks need, reached through their context pointer.
///
/// `@unchecked Sendable`: the only non-Sendable members are C pointers (`messageSink`
/// and the TLS texts) written once in `init` and read-only afterwards (libmicrohttpd
/// reads them from its threads); everything mutable is an `Atomic` or `Locked`.
final class ServerContext: @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let dispatcher: Dispatcher
    /// Runs the blocking work of requests; nil when `blockingThreadCount` is 0.
    let blockingPool: BlockingPool?

    /// Requests whose request line arrived and whose completion was not yet reported.
    let requestsInFlight = Atomic<Int>(0)
    /// Connections suspended until their answer is ready, by blocking work or a pending
    /// response; libmicrohttpd must not stop while one is, since it is resumed after.
    let suspendedConnections = Atomic<Int>(0)
    /// Set by `shutdown()`: responses then carry `Connection: close`.
    let isDraining = Atomic<Bool>(false)
    /// libmicrohttpd's messages while `start()` runs, to explain a failed start.
    let startMessages = Locked<[String]>([])
    let isStarting = Atomic<Bool>(true)
    /// Where libmicrohttpd's logger writes; see `cmhd_format_message`.
    let messageSink: UnsafeMutablePointer<cmhd_logger>
    /// The PEM texts as C strings: libmicrohttpd keeps the pointers it is given, so they
    /// live as long as the context, which outlives the daemon.
    let certificateChain: UnsafeMutablePointer<CChar>?
    let privateKey: UnsafeMutablePointer<CChar>?

    init(
        configuration: HTTPServerConfiguration, logger: Logger,
        dispatcher: @escaping Dispatcher
    ) {
        self.configuration = configuration
        self.logger = logger
        self.dispatcher = dispatcher
        self.blockingPool =
            configuration.blockingThreadCount > 0
            ? BlockingPool(maximumThreads: configuration.blockingThreadCount) : nil
        self.certificateChain = configuration.tls.map { strdup($0.certificateChainPEM) }
        self.privateKey = configuration.tls.map { strdup($0.privateKeyPEM) }
        self.messageSink = .allocate(capacity: 1)
        messageSink.initialize(to: cmhd_logger(callback: nil, context: nil))
        messageSink.pointee.callback = { context, message in
            guard let context, let message else { return }
            let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
            server.record(libraryMessage: String(cString: message))
        }
        messageSink.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if let privateKey {
            // The key is a secret: wipe it before the memory goes back to the allocator.
            memset(privateKey, 0, strlen(privateKey))
        }
        free(certificateChain)
        free(privateKey)
        messageSink.deinitialize(count: 1)
        messageSink.deallocate()
    }

    /// libmicrohttpd reports client mistakes here too, so they stay at debug level; only
    /// the messages of a failing start are kept, to name the cause in the thrown error.
    private func record(libraryMessage message: String) {
        let trimmed = message.trimmingWhitespaceAndNewlines()
        if isStarting.load(ordering: .acquiring) {
            startMessages.withLock { $0.append(trimmed) }
        }
        logger.debug("libmicrohttpd message", ["mhd.message": trimmed])
    }
}
