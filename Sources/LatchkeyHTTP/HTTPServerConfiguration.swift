#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the server listens and the limits it enforces on every request (SPEC §5, §10).
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal; the server binds exactly this address.
    public var host: String
    /// `0` asks the system for a free port; `HTTPServer.port` then tells which.
    public var port: UInt16
    /// Worker threads, each running an event loop; handlers run on them.
    public var threadCount: Int
    /// Threads for work a ``Dispatcher`` marks as blocking, with its connection suspended
    /// meanwhile; `0` runs that work on the workers too. Each is started when first
    /// needed. As many writes as there are threads can wait for one commit together; at
    /// 64 connections a commit carries about 20, and each thread costs its stack and, in
    /// a burst, allocator memory.
    public var blockingThreadCount: Int
    /// A larger body reaches the handler as `LimitViolation.bodyTooLarge` (answer `413`).
    public var maxBodyBytes: Int
    /// All request headers together; more is answered `431` by the HTTP layer itself.
    public var maxHeaderBytes: Int
    /// The request target (path and query); longer reaches the handler as
    /// `LimitViolation.urlTooLong` (answer `414`).
    public var maxURLBytes: Int
    /// Query and form parameters together; more is `ParameterError.tooManyParameters`.
    public var maxParameters: Int
    /// Seconds a connection may stay silent before it is closed.
    public var connectionTimeout: Int
    /// Connections open at once. libmicrohttpd splits it evenly among the worker threads
    /// and a worker at its share stops accepting: further clients wait in the listen
    /// backlog until a connection closes (or times out).
    public var connectionLimit: Int
    /// Seconds `shutdown()` waits for requests in flight before it closes them.
    public var shutdownGracePeriod: Double
    /// Serve HTTPS with this certificate; nil serves plain HTTP (behind a TLS proxy).
    public var tls: TLSConfiguration?

    public init(
        host: String = "127.0.0.1", port: UInt16 = 8080,
        threadCount: Int = HTTPServerConfiguration.defaultThreadCount,
        blockingThreadCount: Int = 32,
        maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 << 10, maxURLBytes: Int = 8 << 10,
        maxParameters: Int = 100, connectionTimeout: Int = 30, connectionLimit: Int = 1024,
        shutdownGracePeriod: Double = 10, tls: TLSConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.threadCount = threadCount
        self.blockingThreadCount = blockingThreadCount
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxURLBytes = maxURLBytes
        self.maxParameters = maxParameters
        self.connectionTimeout = connectionTimeout
        self.connectionLimit = connectionLimit
        self.shutdownGracePeriod = shutdownGracePeriod
        self.tls = tls
    }

    /// One worker per core, and never fewer than two so that one slow handler does not
    /// stall every other request.
    public static var defaultThreadCount: Int {
        max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
