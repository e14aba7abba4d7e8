import LatchkeyStorage
import LatchkeyText

/// How a client proved who it is (the RFC 8414 `token_endpoint_auth_methods_supported`
/// names).
public enum ClientAuthenticationMethod: String, Sendable {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    /// A public client, which has no secret and names itself with `client_id`.
    case none
}

/// A client whose identity the request established.
public struct AuthenticatedClient: Sendable, Equatable {
    public var client: Client
    public var method: ClientAuthenticationMethod

    public var isConfidential: Bool { !client.isPublic }
}

/// Client authentication for the endpoints clients call directly (RFC 6749 §2.3, §3.2.1).
public struct ClientAuthenticator: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Authenticates with HTTP Basic, with `client_id` and `client_secret` in the body,
    /// or, for a public client, with `client_id` alone.
    ///
    /// Every failure is the same `invalid_client` (401), whatever went wrong, so that
    /// the answer does not tell which client ids exist.
    ///
    /// `lookUp` finds the client the request names; by default, in storage. Introspection
    /// passes one that reads the token asked about in the same storage call.
    public func authenticate(
        _ parameters: [String: String], authorization: PresentedAuthorization,
        lookUp: ((String) throws(OAuthError) -> Client?)? = nil
    ) throws(OAuthError) -> AuthenticatedClient {
        let lookUp = lookUp ?? self.lookUp
        let bodyClientID = parameters["client_id"]
        let bodySecret = parameters["client_secret"]

        switch authorization {
        case .unusable:
            throw Self.failure("unusable Authorization header")
        case .none:
            guard let clientID = bodyClientID else {
                throw Self.failure("no client authentication")
            }
            let client = try lookUp(clientID)
            return try check(client, secret: bodySecret, method: .clientSecretPost)
        case .basic(let username, let password):
            // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method
            // in each request."
            guard bodySecret == nil else {
                throw OAuthError(.invalidRequest, "Authenticate the client one way, not two.")
            }
            guard let clientID = Self.formDecoded(username), !clientID.isEmpty,
                let secret = Self.formDecoded(password)
            else {
                throw Self.failure("Basic credentials not form-encoded")
            }
            guard bodyClientID == nil || bodyClientID == clientID else {
                throw OAuthError(
                    .invalidRequest, "The client_id in the body differs from the one in Basic.")
            }
            let client = try lookUp(clientID)
            // SPEC §10: Go's x/oauth2 first tries Basic with the client id and an empty
            // password; for a public client that means "no secret".
            return try check(
                client, secret: secret.isEmpty ? nil : secret, method: .clientSecretBasic)
        }
    }

    private func lookUp(_ clientID: String) throws(OAuthError) -> Client? {
        try context.store { try context.storage.client(clientID: clientID) }
    }

    /// A confidential client must prove its secret; a public client must send none.
    private func check(
        _ client: Client?, secret: String?, method: ClientAuthenticationMethod
    ) throws(OAuthError) -> AuthenticatedClient {
        guard let client else { throw Self.failure("unknown client") }
        guard let secret else {
            guard client.isPublic else { throw Self.failure("confidential client sent no secret") }
            return AuthenticatedClient(client: client, method: .none)
        }
        guard !client.isPublic else { throw Self.failure("public client sent a secret") }
        guard try context.verifyClientSecret(secret, of: client) else {
            throw Self.failure("wrong secret")
        }
        return AuthenticatedClient(client: client, method: method)
    }

    /// RFC 6749 §2.3.1: the client id and secret are "encoded using the
    /// application/x-www-form-urlencoded encoding algorithm" before Basic encodes them,
    /// so `+` is a space and `%XX` an escaped byte. Nil for a malformed escape.
    static func formDecoded(_ text: String) -> String? {
        // Generated ids and secrets hold neither byte: nothing to decode.
        guard text.containsUTF8Byte(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") })
        else { return text }
        let spaced = text.replacing("+", with: " ")
        guard spaced.contains("%") else { return spaced }
        return PercentEncoding.decoding(spaced)
    }

    static func failure(_ detail: String) -> OAuthError {
        OAuthError(.invalidClient, "Client authentication failed.", detail: detail)
    }
}
