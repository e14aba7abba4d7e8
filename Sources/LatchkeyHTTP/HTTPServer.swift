import CMicroHTTPD
import LatchkeyLog
import LatchkeyThreads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on libmicrohttpd: a pool of worker threads, each running its own
/// epoll loop, calling the handler synchronously for every complete request. Work the
/// dispatcher returns as `.blocking` runs on the ``BlockingPool`` instead, with the
/// connection suspended until it is done.
///
/// Limits: headers past `maxHeaderBytes` are answered `431` here, without the handler;
/// an oversized body or target reaches the handler with `Request.limitViolation` set, and
/// undecodable or too many parameters with `Request.parameterError`, so that the
/// application answers in its own format. A `HEAD` request reaches the handler as `HEAD`;
/// libmicrohttpd sends the response's headers and `Content-Length` without its body, so
/// a router may treat it like `GET`.
///
/// Call `shutdown()` before dropping the server; `deinit` only does it as a last resort.
/// Sendable because its only mutable state, the running daemon, sits behind a lock.
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(Daemon)
        case stopped
    }

    /// A started daemon and what must outlive it.
    private struct Daemon {
        let handle: OpaquePointer
        let context: Unmanaged<ServerContext>
        let port: UInt16
    }

    private let context: ServerContext
    private let state = Locked<State>(.idle)

    /// - Parameter handler: called on a worker thread for every request, including those
    ///   that broke a limit (see `Request.limitViolation` and `Request.parameterError`).
    public convenience init(
        configuration: HTTPServerConfiguration, logger: Logger, handler: @escaping Handler
    ) {
        self.init(configuration: configuration, logger: logger) { request in
            .response(handler(request))
        }
    }

    /// - Parameter dispatcher: called on a worker thread for every request, as `handler`
    ///   above; the work it returns as `.blocking` runs on the blocking pool.
    public init(
        configuration: HTTPServerConfiguration, logger: Logger,
        dispatcher: @escaping Dispatcher
    ) {
        self.context = ServerContext(
            configuration: configuration, logger: logger, dispatcher: dispatcher)
    }

    deinit {
        shutdown()
    }

    /// The port the server is bound to, which differs from the configured one when that
    /// was `0`; `0` before `start()`.
    public var port: UInt16 {
        state.withLock { state in
            guard case .running(let daemon) = state else { return 0 }
            return daemon.port
        }
    }

    /// Connections open right now, for metrics; 0 when not running.
    public var openConnections: Int {
        state.withLock { state in
            guard case .running(let daemon) = state else { return 0 }
            return Int(cmhd_open_connections(daemon.handle))
        }
    }

    /// Requests begun and not yet reported complete by libmicrohttpd.
    var requestsInFlight: Int {
        context.requestsInFlight.load(ordering: .acquiring)
    }

    /// Binds the configured address and starts the worker threads.
    /// - Throws: `HTTPServerError` when the address is not a literal, a setting is out of
    ///   range, or the address cannot be bound (for example, the port is in use).
    public func start() throws(HTTPServerError) {
        let configuration = context.configuration
        try configuration.validate()
        let address = try SocketAddress(host: configuration.host, port: configuration.port)

        let daemon = try state.withLock { state throws(HTTPServerError) -> Daemon in
            guard case .idle = state else {
                throw HTTPServerError(.alreadyStarted, "the server was already started")
            }
            let daemon = try startDaemon(address: address)
            state = .running(daemon)
            return daemon
        }

        context.logger.info(
            "server started", ["http.host": configuration.host, "http.port": "\(daemon.port)"])
    }

    private func startDaemon(address: SocketAddress) throws(HTTPServerError) -> Daemon {
        let retained = Unmanaged.passRetained(context)
        let contextPointer = retained.toOpaque()
        let configuration = context.configuration
        // Suspending is needed even without a blocking pool: a pending response holds
        // its connection until it answers.
        var flags =
            MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_USE_ITC.rawValue
            | MHD_USE_ERROR_LOG.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if address.isIPv6 {
            flags |= MHD_USE_IPv6.rawValue
        }
        if context.certificateChain != nil {
            flags |= MHD_USE_TLS.rawValue
        }

        context.isStarting.store(true, ordering: .releasing)
        defer { context.isStarting.store(false, ordering: .releasing) }
        let handle = address.withSocketAddress { socketAddress in
            // The logger goes first, or libmicrohttpd prints earlier messages its own way.
            var options = [
                cmhd_option_logger(context.messageSink),
                MHD_OptionItem(
                    option: .SOCK_ADDR, value: 0,
                    ptr_value: UnsafeMutableRawPointer(mutating: socketAddress)),
                MHD_OptionItem(
                    option: .THREAD_POOL_SIZE, value: configuration.threadCount,
                    ptr_value: nil),
                MHD_OptionItem(
                    option: .CONNECTION_LIMIT, value: configuration.connectionLimit,
                    ptr_value: nil),
                MHD_OptionItem(
                    option: .CONNECTION_TIMEOUT, value: configuration.connectionTimeout,
                    ptr_value: nil),
                MHD_OptionItem(
                    option: .CONNECTION_MEMORY_LIMIT,
                    value: configuration.connectionMemoryLimit, ptr_value: nil),
                // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without
                // `Host`; strict mode also refuses spaces inside the request target.
                MHD_OptionItem(option: .STRICT_FOR_CLIENT, value: 1, ptr_value: nil),
                cmhd_option_uri_log(ServerCallbacks.requestLine, contextPointer),
                cmhd_option_notify_completed(ServerCallbacks.completed, contextPointer),
            ]
            if let certificateChain = context.certificateChain, let privateKey = context.privateKey
            {
                options.append(
                    MHD_OptionItem(option: .HTTPS_MEM_CERT, value: 0, ptr_value: certificateChain))
                options.append(
                    MHD_OptionItem(option: .HTTPS_MEM_KEY, value: 0, ptr_value: privateKey))
            }
            options.append(MHD_OptionItem(option: .END, value: 0, ptr_value: nil))
            // The port is also bound through SOCK_ADDR; passing it here keeps messages right.
            return cmhd_start_daemon(
                flags, configuration.port, ServerCallbacks.access, contextPointer, &options)
        }

        guard let handle else {
            retained.release()
            let messages = context.startMessages.withLock { $0.joined(separator: "; ") }
            throw HTTPServerError(
                .startFailed,
                "cannot listen on \(address.description): "
                    + (messages.isEmpty ? "libmicrohttpd refused to start" : messages))
        }
        return Daemon(handle: handle, context: retained, port: cmhd_bound_port(handle))
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// `shutdownGracePeriod` seconds), then stops the workers. Safe to call twice.
    public func shutdown() {
        let daemon = state.withLock { state -> Daemon? in
            guard case .running(let daemon) = state else {
                state = .stopped
                return nil
            }
            state = .stopped
            return daemon
        }
        guard let daemon else { return }

        // Refusing new connections at once (shutdown(2) on the listening socket) instead
        // of leaving them in the backlog lets a load balancer move on to another instance.
        context.isDraining.store(true, ordering: .releasing)
        let listener = MHD_quiesce_daemon(daemon.handle)
        if listener >= 0 {
            stopListening(listener)
        }

        waitForRequestsInFlight(seconds: context.configuration.shutdownGracePeriod)
        // libmicrohttpd must not stop with a connection suspended, and blocking work or
        // a pending response resumes its connection when it ends: stopping first would
        // leave that call with freed memory. So both are waited for past the grace
        // period; they are bounded by the database's own timeouts. The requests they
        // resumed then get a moment to send their answers.
        context.blockingPool?.waitUntilIdle()
        while context.suspendedConnections.load(ordering: .acquiring) > 0 {
            usleep(1_000)
        }
        waitForRequestsInFlight(seconds: 1)
        MHD_stop_daemon(daemon.handle)
        context.blockingPool?.stop()
        if listener >= 0 {
            close(listener)
        }
        daemon.context.release()
        context.logger.info("server stopped", ["http.port": "\(daemon.port)"])
    }

    private func waitForRequestsInFlight(seconds: Double) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while context.requestsInFlight.load(ordering: .acquiring) > 0,
            ContinuousClock.now < deadline
        {
            usleep(5_000)
        }
    }

    private func stopListening(_ listener: Int32) {
        #if canImport(Glibc)
            _ = Glibc.shutdown(listener, Int32(SHUT_RDWR))
        #else
            _ = Darwin.shutdown(listener, SHUT_RDWR)
        #endif
    }
}
