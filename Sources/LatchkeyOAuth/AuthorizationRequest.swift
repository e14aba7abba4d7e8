import LatchkeyStorage

/// A validated authorization request: the client is known and the redirect URI is one
/// of its own, so from here on errors may be sent back to the client.
public struct AuthorizationRequest: Sendable, Equatable {
    /// Which endpoint the request came to: the seed's `/authorize` or the standard
    /// `/oauth/authorize`. They differ in what they require and in how they answer.
    public enum Dialect: Sendable, Equatable {
        /// `GET /authorize?client_id=…` of the seed document: no `response_type`, Deny
        /// goes to the Main Application URL.
        case legacy
        /// RFC 6749 §4.1 with PKCE (RFC 7636) and `iss` in every answer (RFC 9207).
        case standard
    }

    public var dialect: Dialect
    public var client: Client
    /// Where the answer goes: the requested URI, or the only or first registered one.
    public var redirectURI: String
    /// The `redirect_uri` parameter as sent, which the token request must repeat
    /// (RFC 6749 §4.1.3); nil when none was sent.
    public var requestedRedirectURI: String?
    public var scopes: [String]
    public var state: String?
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    /// OpenID Connect's `nonce`, kept for the ID token.
    public var nonce: String?
    /// OIDC Core §3.1.2.1 `prompt`: `none`, or any of `login`, `consent`,
    /// `select_account`; empty when not sent.
    public var prompt: [String] = []
    /// OIDC Core §3.1.2.1 `max_age`: seconds since the last sign-in beyond which the
    /// user must sign in again.
    public var maxAge: Int?

    /// What went wrong with an authorization request, and so how to answer it.
    public enum Failure: Error, Equatable, Sendable {
        /// Before the client and redirect URI are trusted: an HTML page, never a redirect
        /// (RFC 6749 §4.1.2.1), so that Latchkey is never an open redirector.
        case untrusted(OAuthError)
        /// After: sent to `location`, which carries `error`, `error_description`, `state`
        /// and, for the standard dialect, `iss`.
        case redirect(OAuthError, location: String)
    }

    /// The parameters that carry the request, for the consent form's hidden fields and
    /// the address to come back to after signing in.
    public var parameters: [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        if dialect == .standard { pairs.append(("response_type", "code")) }
        pairs.append(("client_id", client.clientID))
        if let requestedRedirectURI { pairs.append(("redirect_uri", requestedRedirectURI)) }
        if !scopes.isEmpty { pairs.append(("scope", scopes.scopeString)) }
        if let state { pairs.append(("state", state)) }
        if let codeChallenge { pairs.append(("code_challenge", codeChallenge)) }
        if let codeChallengeMethod { pairs.append(("code_challenge_method", codeChallengeMethod)) }
        if let nonce { pairs.append(("nonce", nonce)) }
        if !prompt.isEmpty { pairs.append(("prompt", prompt.joined(separator: " "))) }
        if let maxAge { pairs.append(("max_age", String(maxAge))) }
        return pairs
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 } && lhs.client == rhs.client
            && lhs.redirectURI == rhs.redirectURI && lhs.dialect == rhs.dialect
    }
}
