/// What the server module needs beyond the protocol logic.
public struct ServerConfiguration: Sendable {
    /// The externally visible base URL, without a trailing slash. Decides the issuer
    /// and whether cookies are `Secure`.
    public var publicURL: String
    public var signupEnabled: Bool
    /// Whether this process serves TLS itself.
    public var servesTLS: Bool
    /// False when `/metrics` has a port of its own (`--metrics-port`).
    public var metricsOnMainPort: Bool
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For`, so that
    /// the per-address lockout counts clients, not the proxy.
    public var trustForwardedHeaders = false

    public init(
        publicURL: String, signupEnabled: Bool, servesTLS: Bool = false,
        metricsOnMainPort: Bool = true
    ) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.signupEnabled = signupEnabled
        self.servesTLS = servesTLS
        self.metricsOnMainPort = metricsOnMainPort
    }

    /// SPEC §3: `Secure` when served over TLS, directly or behind a proxy.
    var secureCookies: Bool {
        servesTLS || publicURL.lowercased().hasPrefix("https://")
    }
}
