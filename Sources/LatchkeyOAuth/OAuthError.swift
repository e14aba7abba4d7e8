/// An error as the protocol puts it on the wire: one of the registered codes, a
/// description safe to show the client, and a detail that only the log sees.
public struct OAuthError: Error, Sendable, Equatable {
    /// The registered error codes of RFC 6749, RFC 6750, RFC 7009 and RFC 8628. Nothing else may
    /// appear in an `error` field.
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        /// OpenID Connect Core §3.1.2.6, for `prompt=none`.
        case loginRequired = "login_required"
        case consentRequired = "consent_required"
        case accessDenied = "access_denied"
        case unsupportedResponseType = "unsupported_response_type"
        case serverError = "server_error"
        case temporarilyUnavailable = "temporarily_unavailable"
        case invalidToken = "invalid_token"
        case insufficientScope = "insufficient_scope"
        case unsupportedTokenType = "unsupported_token_type"
        // RFC 8628 §3.5, the device authorization grant's polling answers.
        case authorizationPending = "authorization_pending"
        case slowDown = "slow_down"
        case expiredToken = "expired_token"
    }

    public var code: Code
    /// Shown to the client in `error_description`: never a secret, never an internal cause.
    public var description: String
    /// The HTTP status the error is answered with.
    public var status: Int
    /// Seconds the client should wait, sent as `Retry-After`.
    public var retryAfter: Int?
    /// For the log only.
    public var detail: String?

    public init(
        _ code: Code, _ description: String, status: Int? = nil, retryAfter: Int? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.description = description
        self.status = status ?? Self.defaultStatus(for: code)
        self.retryAfter = retryAfter
        self.detail = detail
    }

    /// RFC 6749 §5.2 answers 400 except for client authentication (401); RFC 6750 §3.1
    /// answers 401 for a bad token and 403 for a missing scope.
    static func defaultStatus(for code: Code) -> Int {
        switch code {
        case .invalidClient, .invalidToken: 401
        case .insufficientScope: 403
        case .serverError: 500
        case .temporarilyUnavailable: 503
        default: 400
        }
    }

    /// Storage and crypto failures reach the client only as this.
    public static func serverError(detail: String) -> OAuthError {
        OAuthError(.serverError, "The server could not complete the request.", detail: detail)
    }

    /// The database cannot be reached: 503, so that clients and load balancers retry.
    public static func unavailable(detail: String) -> OAuthError {
        OAuthError(
            .temporarilyUnavailable, "The service is temporarily unavailable. Try again shortly.",
            retryAfter: 5, detail: detail)
    }

    /// Whether this is Latchkey's own failure rather than the client's.
    public var isServerSide: Bool {
        code == .serverError || code == .temporarilyUnavailable
    }

    /// The answer while an account or address is locked out after failed passwords.
    public static func throttled(retryAfter: Int) -> OAuthError {
        OAuthError(
            .invalidRequest, "Too many failed sign-in attempts. Try again later.", status: 429,
            retryAfter: retryAfter)
    }
}
