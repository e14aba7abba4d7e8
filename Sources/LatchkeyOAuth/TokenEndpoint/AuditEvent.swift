import LatchkeyStorage

/// Security events the token-side endpoints report beyond their answer, for the audit
/// log. None carries a credential: tokens appear as the first 8 hex digits of their hash.
public enum AuditEvent: Sendable, Equatable {
    /// A refresh token was presented after it had been rotated or revoked, and its whole
    /// family was revoked (RFC 6749 §10.4, SPEC §4).
    case refreshTokenReused(clientID: String, tokenHashPrefix: String)
    /// A client revoked one of its tokens (RFC 7009); a refresh token takes its family.
    case tokenRevoked(clientID: String, kind: TokenKind, tokenHashPrefix: String)
    /// The password grant was refused for a wrong username or password.
    case loginFailed(clientID: String)
}

/// Where audit events go; the server turns them into log lines.
public typealias AuditSink = @Sendable (AuditEvent) -> Void
