import LatchkeyStorage

/// `POST /oauth/introspect` (RFC 7662): a resource server, authenticating as a
/// confidential client, asks whether a token is active and what it allows.
public struct Introspection: Sendable {
    /// Who asked, and the answer.
    public struct Outcome: Sendable {
        public var client: Client
        public var answer: JSONValue
        public var isActive: Bool { answer != Self.inactive }

        /// SPEC §10: exactly `{"active":false}`, whatever the reason, so that the answer
        /// does not tell an expired token from an unknown one (RFC 7662 §2.2).
        static let inactive = JSONValue.object([("active", .bool(false))])
    }

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func introspect(_ input: ClientRequest) throws(OAuthError) -> Outcome {
        let parameters = try input.parameters()
        guard let presented = parameters["token"] else {
            throw OAuthError(.invalidRequest, "The request has no token.")
        }
        // `token_type_hint` is ignored, as RFC 7662 §2.1 allows: the token's prefix
        // says what it is, and an unknown hint is no reason to refuse an answer.

        // RFC 7662 §2.1: "the endpoint MUST also require some form of authorization".
        // SPEC §10: any authenticated confidential client; a public client proves
        // nothing about itself. The token is read with the client, in one storage call;
        // nothing of it is used unless the client proves who it is.
        let tokenHash = Self.isWellFormed(presented) ? storageHash(of: presented) : nil
        var found: (token: Token, user: User?)?
        let authenticated = try ClientAuthenticator(context: context).authenticate(
            parameters, authorization: input.authorization
        ) { clientID throws(OAuthError) in
            let both = try context.store {
                try context.storage.client(clientID: clientID, andToken: tokenHash)
            }
            found = both.token
            return both.client
        }
        guard authenticated.isConfidential else {
            throw OAuthError(
                .invalidClient, "Introspection needs a confidential client's credentials.",
                detail: "public client")
        }
        let caller = authenticated.client

        let answer = try describe(found, to: caller) ?? Outcome.inactive
        return Outcome(client: caller, answer: answer)
    }

    /// Only access and refresh tokens are introspected; anything else is never looked up.
    private static func isWellFormed(_ presented: String) -> Bool {
        CredentialKind.accessToken.isWellFormed(presented)
            || CredentialKind.refreshToken.isWellFormed(presented)
    }

    /// The RFC 7662 §2.2 members for an active token, or nil for an inactive one.
    private func describe(_ found: (token: Token, user: User?)?, to caller: Client)
        throws(OAuthError) -> JSONValue?
    {
        guard let (token, user) = found, token.isActive(at: context.clock.now()) else {
            return nil
        }
        // A refresh token is only ever sent to the token endpoint by its own client; to
        // anyone else it looks inactive, so that no resource server can be fooled into
        // taking one for an access token.
        guard token.kind == .access || token.clientRowID == caller.id else { return nil }

        let owner = try context.store {
            token.clientRowID == caller.id
                ? caller : try context.storage.client(id: token.clientRowID)
        }
        guard let owner, token.userID == nil || user != nil else { return nil }

        return .object(members(of: token, owner: owner, user: user))
    }

    private func members(of token: Token, owner: Client, user: User?) -> [(
        key: String, value: JSONValue
    )] {
        var members: [(key: String, value: JSONValue)] = [
            ("active", .bool(true)), ("scope", .string(token.scopes.scopeString)),
            ("client_id", .string(owner.clientID)),
        ]
        if let user { members.append(("username", .string(user.username))) }
        // RFC 7662 §2.2 `token_type` is the RFC 6749 §5.1 type, which only access tokens
        // have; a refresh token is named as such rather than passed off as a Bearer token.
        members.append(("token_type", .string(token.kind == .access ? "Bearer" : "refresh_token")))
        if let expiresAt = token.expiresAt {
            members.append(("exp", .int(Int64(expiresAt.timeIntervalSince1970.rounded(.down)))))
        }
        members.append(("iat", .int(Int64(token.createdAt.timeIntervalSince1970.rounded(.down)))))
        // The subject is the user, or for a client credentials token the client itself.
        members.append(("sub", .string(user.map { String($0.id) } ?? owner.clientID)))
        // Latchkey has no resource indicators (RFC 8707) to name a resource server with,
        // so the audience is the party the token was issued to, as OpenID Connect does.
        members.append(("aud", .string(owner.clientID)))
        members.append(("iss", .string(context.configuration.issuer)))
        return members
    }
}
