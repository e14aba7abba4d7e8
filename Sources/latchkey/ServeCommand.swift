import CMalloc
import Dispatch
import LatchkeyCrypto
import LatchkeyHTTP
import LatchkeyLog
import LatchkeyOAuth
import LatchkeyServer
import LatchkeyStorage
import LatchkeyText
import LatchkeyThreads

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

enum ServeCommand {
    static let command = Command(
        path: ["serve"],
        usage: "serve [--host 127.0.0.1] [--port 8080] [--database URL] [--public-url URL] ...",
        summary: "Run the authorization server until SIGTERM or SIGINT.",
        options: [
            OptionSpec(
                name: "host", kind: .value, valueName: "ADDRESS",
                help: "Address to bind (default 127.0.0.1)."),
            OptionSpec(
                name: "port", kind: .value, valueName: "PORT",
                help: "Port (default 8080; 0 picks a free one)."),
            DatabaseLocation.option,
            OptionSpec(
                name: "public-url", kind: .value, valueName: "URL",
                help: "External base URL, when behind a proxy (default http://HOST:PORT)."),
            OptionSpec(
                name: "tls-cert", kind: .value, valueName: "FILE",
                help: "Serve HTTPS with this certificate chain (PEM); needs --tls-key."),
            OptionSpec(
                name: "tls-key", kind: .value, valueName: "FILE",
                help: "Private key (PEM) of --tls-cert."),
            OptionSpec(
                name: "allow-signup", kind: .value, valueName: "true|false",
                help: "Whether visitors may create accounts at /signup (default true)."),
            OptionSpec(
                name: "scope", kind: .repeated, valueName: "NAME=DESCRIPTION",
                help: "Offer a scope of your own, described on the consent page; repeatable."),
            OptionSpec(
                name: "trust-forwarded-headers", kind: .value, valueName: "true|false",
                help: "Behind a reverse proxy: read the client address from X-Forwarded-For."),
            OptionSpec(
                name: "metrics-port", kind: .value, valueName: "PORT",
                help: "Serve /metrics on this loopback port only, not on the main one."),
            OptionSpec(
                name: "threads", kind: .value, valueName: "N",
                help: "Worker threads (default: cores, at least 2)."),
            OptionSpec(
                name: "blocking-threads", kind: .value, valueName: "N",
                help:
                    "Threads for requests that wait on a commit or a password hash, 0 to 1024"
                    + " (default 32 for SQLite, 8 for PostgreSQL; 0 runs them on the workers)."),
            OptionSpec(
                name: "code-lifetime", kind: .value, valueName: "SECONDS",
                help: "Authorization code lifetime, 1 to 600 (default 60)."),
            OptionSpec(
                name: "device-code-lifetime", kind: .value, valueName: "SECONDS",
                help: "Lifetime of device and user codes (RFC 8628), 1 to 3600 (default 600)."),
            OptionSpec(
                name: "device-poll-interval", kind: .value, valueName: "SECONDS",
                help: "Seconds a device waits between polls, 1 to 60 (default 5)."),
            OptionSpec(
                name: "access-token-lifetime", kind: .value, valueName: "SECONDS",
                help: "Lifetime of access tokens from /oauth/token (default 3600)."),
            OptionSpec(
                name: "refresh-token-lifetime", kind: .value, valueName: "SECONDS",
                help: "Lifetime of each refresh token; every use renews it (default 2592000)."),
            OptionSpec(
                name: "legacy-token-lifetime", kind: .value, valueName: "SECONDS",
                help: "Lifetime of tokens from the legacy endpoints (default: until revoked)."),
            OptionSpec(
                name: "id-token-lifetime", kind: .value, valueName: "SECONDS",
                help: "Lifetime of OpenID Connect ID tokens (default 3600)."),
            OptionSpec(
                name: "max-body-bytes", kind: .value, valueName: "BYTES",
                help: "Largest request body (default 1048576)."),
            OptionSpec(
                name: "max-header-bytes", kind: .value, valueName: "BYTES",
                help: "Largest total of request headers; more is 431 (default 16384)."),
            OptionSpec(
                name: "max-url-bytes", kind: .value, valueName: "BYTES",
                help: "Longest request target; more is 414 (default 8192)."),
            OptionSpec(
                name: "max-parameters", kind: .value, valueName: "N",
                help: "Most query and form parameters in one request (default 100)."),
            OptionSpec(
                name: "connection-timeout", kind: .value, valueName: "SECONDS",
                help: "Idle time before a connection is closed (default 30)."),
            OptionSpec(
                name: "connection-limit", kind: .value, valueName: "N",
                help: "Most open connections (default 1024)."),
            OptionSpec(
                name: "log-level", kind: .value, valueName: "LEVEL",
                help: "debug, info, notice, warning or error (default info)."),
        ] + KeyEncryption.options
    ) { options in
        try serve(options)
    }

    static func serve(_ options: ParsedOptions) throws -> Int32 {
        limitMallocArenas()
        let host = options["host"] ?? "127.0.0.1"
        let port = try options.integer("port", default: 8080, range: 0...65535)
        let location = try DatabaseLocation(options["database"])
        let signup = try options.boolean("allow-signup", default: true)
        let trustForwarded = try options.boolean("trust-forwarded-headers", default: false)
        let threads = try options.integer(
            "threads", default: max(2, ProcessInfo.processInfo.activeProcessorCount), range: 1...256
        )
        let codeLifetime = try options.integer("code-lifetime", default: 60, range: 1...600)
        let maxBody = try options.integer(
            "max-body-bytes", default: 1 << 20, range: 1024...(1 << 30))
        let legacyLifetime = try options["legacy-token-lifetime"].map { _ throws(UsageError) in
            try options.integer("legacy-token-lifetime", default: 0, range: 1...(10 * 365 * 86400))
        }
        guard let level = Logger.Level(name: options["log-level"] ?? "info") else {
            throw UsageError(
                message: "option --log-level must be debug, info, notice, warning or error")
        }
        let tls = try tlsConfiguration(options)
        let metricsPort = try options["metrics-port"].map { _ throws(UsageError) in
            try options.integer("metrics-port", default: 0, range: 1...65535)
        }
        if let publicURL = options["public-url"] {
            guard RedirectURI.isAcceptableURL(publicURL) else {
                throw UsageError(
                    message: "option --public-url must be an absolute http or https URL")
            }
        }

        PasswordHasher.returnMemoryOnFree()

        let keyEncryptionKey = try KeyEncryption.key(options, database: location)

        let logger = Logger(minimumLevel: level)
        let storage = try location.open()
        var oauth = OAuthConfiguration()
        oauth.codeLifetime = TimeInterval(codeLifetime)
        oauth.legacyTokenLifetime = legacyLifetime.map(TimeInterval.init)
        oauth.accessTokenLifetime = TimeInterval(
            try options.integer("access-token-lifetime", default: 3600, range: 60...86_400))
        oauth.refreshTokenLifetime = TimeInterval(
            try options.integer(
                "refresh-token-lifetime", default: 30 * 86_400, range: 300...(365 * 86_400)))
        oauth.scopes = try scopeCatalog(options.all("scope"))
        oauth.deviceCodeLifetime = TimeInterval(
            try options.integer("device-code-lifetime", default: 600, range: 1...3600))
        oauth.devicePollInterval = try options.integer(
            "device-poll-interval", default: 5, range: 1...60)
        oauth.keyEncryptionKey = keyEncryptionKey
        oauth.idTokenLifetime = TimeInterval(
            try options.integer("id-token-lifetime", default: 3600, range: 60...86_400))
        try prepareSigningKeys(storage: storage, configuration: oauth)

        var http = HTTPServerConfiguration()
        http.host = host
        http.port = UInt16(port)
        http.threadCount = threads
        http.blockingThreadCount = try options.integer(
            "blocking-threads", default: location.defaultBlockingThreads, range: 0...1024)
        http.maxBodyBytes = maxBody
        http.maxHeaderBytes = try options.integer(
            "max-header-bytes", default: http.maxHeaderBytes, range: 1024...(1 << 20))
        http.maxURLBytes = try options.integer(
            "max-url-bytes", default: http.maxURLBytes, range: 256...(1 << 20))
        http.maxParameters = try options.integer(
            "max-parameters", default: http.maxParameters, range: 1...10_000)
        http.connectionTimeout = try options.integer(
            "connection-timeout", default: http.connectionTimeout, range: 1...3600)
        http.connectionLimit = try options.integer(
            "connection-limit", default: http.connectionLimit, range: threads...1_000_000)
        http.tls = tls

        // The public URL names the bound port, which with --port 0 is known only after
        // binding; the application is created after the server starts listening.
        // A parent may have started us with SIGTERM blocked (test runners do); the
        // threads started from here inherit this thread's mask, so unblock it first.
        var termination = sigset_t()
        sigemptyset(&termination)
        sigaddset(&termination, SIGTERM)
        sigaddset(&termination, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &termination, nil)
        let signals = SignalWaiter()
        let box = AppBox()
        let server = HTTPServer(configuration: http, logger: logger) { request in
            box.app.dispatch(request)
        }
        try server.start()
        let bracketedHost = host.contains(":") ? "[\(host)]" : host
        let scheme = tls == nil ? "http" : "https"
        let publicURL = options["public-url"] ?? "\(scheme)://\(bracketedHost):\(server.port)"
        oauth.issuer = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        let context = OAuthContext(storage: storage, configuration: oauth)
        var serverConfiguration = ServerConfiguration(
            publicURL: publicURL, signupEnabled: signup, servesTLS: tls != nil,
            metricsOnMainPort: metricsPort == nil)
        serverConfiguration.trustForwardedHeaders = trustForwarded
        let app = App(context: context, configuration: serverConfiguration, logger: logger)
        app.metrics.reportOpenConnections { server.openConnections }
        app.metrics.reportDatabasePool { storage.connectionPoolUsage }
        box.set(app)
        let metricsServer = try metricsPort.map { port in
            try startMetricsServer(app: app, port: port, logger: logger)
        }
        logger.info(
            "server ready",
            ["database": location.description, "public_url": publicURL, "signup": String(signup)])

        // Computed once now, off the request path, so that the first sign-in with an
        // unknown login does not pay for it, and without delaying readiness. Shutdown
        // waits for this work: exiting runs libcrypto's clean-up, which would pull the
        // locks from under a key being generated.
        // Threads of their own rather than Dispatch's global queue, whose worker threads
        // (and the code behind them) would stay in memory for no other use.
        let warmUp = DispatchGroup()
        warmUp.enter()
        DetachedThread.start(name: "decoy-hash") {
            _ = PasswordHasher().decoyHash
            warmUp.leave()
        }
        // The first start makes the signing keys here, for the same reasons; a request
        // that needs one sooner makes it itself.
        warmUp.enter()
        DetachedThread.start(name: "signing-keys") {
            do throws(OAuthError) {
                try context.signingKeys.ensureKeys(context)
            } catch {
                logger.error("oidc.keys.failed", ["error.detail": error.detail ?? ""])
            }
            warmUp.leave()
        }

        let purger = Purger(storage: storage, logger: logger)
        purger.start()
        _ = signals.wait()
        logger.info("server stopping")
        purger.stop()
        metricsServer?.shutdown()
        server.shutdown()
        warmUp.wait()
        do {
            try storage.finish()
        } catch {
            logger.warning("storage.finish.failed", ["error.detail": "\(error)"])
        }
        return 0
    }
}

extension ServeCommand {
    /// `/metrics` on a port of its own, bound to loopback, so that scraping needs no
    /// exposure to the world.
    static func startMetricsServer(app: App, port: Int, logger: Logger) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = UInt16(port)
        configuration.threadCount = 1
        let server = HTTPServer(configuration: configuration, logger: logger) { request in
            guard request.method == "GET", request.path == "/metrics" else {
                return Response(status: 404, text: "Only /metrics is served here.\n")
            }
            return app.metricsResponse()
        }
        try server.start()
        return server
    }

    /// Creates the ID token signing keys on first start, and checks that the configured
    /// key encryption key opens them, so that a wrong key stops the start with the reason
    /// instead of failing every sign-in later.
    static func prepareSigningKeys(storage: any Storage, configuration: OAuthConfiguration)
        throws
    {
        let context = OAuthContext(storage: storage, configuration: configuration)
        do {
            try context.signingKeys.checkUnsealing(context)
        } catch {
            throw CommandFailure(
                description: "ID token signing keys: \(error.detail ?? error.description)"
                    + " (is this the key encryption key they were made with?)")
        }
    }

    /// The built-in scopes plus the operator's `--scope NAME=DESCRIPTION` ones.
    static func scopeCatalog(_ definitions: [String]) throws(UsageError) -> ScopeCatalog {
        var catalog = ScopeCatalog.builtIn
        for definition in definitions {
            let parts = definition.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ScopeCatalog.isValidName(parts[0]),
                !parts[1].trimmingSpacesAndTabs().isEmpty
            else {
                throw UsageError(
                    message:
                        "--scope must be NAME=DESCRIPTION with a name of printable ASCII and"
                        + " no spaces, not \"\(definition.prefix(60))\""
                )
            }
            catalog = catalog.adding(.init(name: parts[0], description: parts[1]))
        }
        return catalog
    }

    static func tlsConfiguration(_ options: ParsedOptions) throws -> TLSConfiguration? {
        switch (options["tls-cert"], options["tls-key"]) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                return try TLSConfiguration(certificateFile: certificate, privateKeyFile: key)
            } catch {
                throw UsageError(message: "--tls-cert/--tls-key: \(error.message)")
            }
        default:
            throw UsageError(message: "--tls-cert and --tls-key go together")
        }
    }
}

/// Holds the application for the handler, which exists before the application does: the
/// server accepts connections from `start()` on, and the application needs the port it
/// bound. A request arriving in between waits the moment it takes for the application.
private final class AppBox: Sendable {
    private let stored = Locked<App?>(nil)
    private let made = DispatchGroup()

    init() { made.enter() }

    func set(_ app: App) {
        stored.withLock { $0 = app }
        made.leave()
    }

    var app: App {
        made.wait()
        // After `made` opens the application is always there.
        return stored.withLock { $0 }!
    }
}

extension ServeCommand {
    /// glibc gives threads that allocate at once arenas of their own, up to eight per
    /// core, and each arena keeps what was freed in it. The blocking pool's dozens of
    /// threads then left the process holding several megabytes per arena after a burst
    /// (peak resident memory over `bench/run`'s token scenarios: 73 MB, against about
    /// 60 MB with fewer arenas). Two per core, so that the event-loop workers need not
    /// share theirs with the pool's threads. An operator's `MALLOC_ARENA_MAX` still wins.
    static func limitMallocArenas() {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
            mallopt(M_ARENA_MAX, Int32(2 * cores))
        #endif
    }
}
