import LatchkeyCrypto
import LatchkeyStorage

/// Browser sessions and the CSRF tokens bound to them.
///
/// The cookie holds a random credential; the store holds only its hash. A signed-in
/// form's CSRF token is an HMAC of a per-session secret, so it cannot be guessed from
/// the cookie and dies with the session. Before sign-in (login and sign-up forms) the
/// token is compared with a random cookie of its own (double submit).
public struct Sessions: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Starts a session and returns the cookie value.
    public func start(userID: Int64) throws(OAuthError) -> (cookie: String, session: Session) {
        let cookie = CredentialKind.session.generate()
        let now = context.clock.now()
        let session = Session(
            idHash: storageHash(of: cookie), userID: userID,
            csrfSecret: Hex.encode(SecureRandom.bytes(count: 32)), createdAt: now,
            expiresAt: now.addingTimeInterval(context.configuration.sessionLifetime))
        try context.store { try context.storage.createSession(session) }
        return (cookie, session)
    }

    /// The live session for a cookie value, if any.
    public func resolve(cookie: String?) throws(OAuthError) -> Session? {
        guard let cookie, CredentialKind.session.isWellFormed(cookie) else { return nil }
        return try context.store {
            try context.storage.session(idHash: storageHash(of: cookie), at: context.clock.now())
        }
    }

    public func end(cookie: String) throws(OAuthError) {
        try context.store { try context.storage.deleteSession(idHash: storageHash(of: cookie)) }
    }

    /// The CSRF token that every form of a signed-in page carries.
    public static func csrfToken(for session: Session) -> String {
        let mac = HMACSHA256.authenticationCode(
            key: Array(session.csrfSecret.utf8), message: Array("latchkey-csrf".utf8))
        return Base64URL.encode(mac)
    }

    /// Whether a submitted token belongs to the session.
    public static func verifyCSRF(_ submitted: String?, session: Session) -> Bool {
        guard let submitted else { return false }
        return constantTimeEquals(Array(submitted.utf8), Array(csrfToken(for: session).utf8))
    }

    /// A fresh value for the visitor CSRF cookie.
    public static func newVisitorCSRF() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 32))
    }

    /// Double submit: the form field must equal the cookie, and both must be present.
    public static func verifyVisitorCSRF(_ submitted: String?, cookie: String?) -> Bool {
        guard let submitted, let cookie, cookie.count >= 32 else { return false }
        return constantTimeEquals(Array(submitted.utf8), Array(cookie.utf8))
    }
}
