import LatchkeyStorage

/// Checks bearer tokens for the API (RFC 6750).
public struct ProtectedResource: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// RFC 6750 §3.1: a request with no credentials gets a challenge without an
        /// error code.
        case noToken
        case rejected(OAuthError)
    }

    public struct Access: Sendable {
        public var token: Token
        public var user: User
    }

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// `header` is the Bearer token from `Authorization`, `query` every
    /// `access_token` query parameter (RFC 6750 §2.3, which the seed uses).
    public func authorize(
        header: String?, query: [String], requiredScope: String
    ) throws(Failure) -> Access {
        // RFC 6750 §2: "Clients MUST NOT use more than one method to transmit the token
        // in each request."
        guard query.count + (header == nil ? 0 : 1) <= 1 else {
            throw .rejected(
                OAuthError(.invalidRequest, "Send the access token one way, once."))
        }
        guard let presented = header ?? query.first else { throw .noToken }
        let now = context.clock.now()

        let found: (Token, User?)?
        do {
            found = try context.store { try lookUp(presented) }
        } catch {
            throw .rejected(error)
        }
        guard let (token, owner) = found, token.kind == .access, token.isActive(at: now),
            let user = owner
        else {
            throw .rejected(
                OAuthError(.invalidToken, "The access token is not valid.", status: 401))
        }
        guard token.scopes.contains(requiredScope) else {
            throw .rejected(
                OAuthError(.insufficientScope, "The token lacks the \(requiredScope) scope."))
        }

        // "Last used" on the account page: a hint, written at most once a minute.
        if context.recentGrantUse.shouldTouch(
            userID: user.id, clientRowID: token.clientRowID, at: now)
        {
            _ = try? context.storage.touchGrant(
                userID: user.id, clientRowID: token.clientRowID, at: now)
        }
        return Access(token: token, user: user)
    }

    /// One lookup; a malformed token never reaches the database.
    private func lookUp(_ presented: String) throws -> (Token, User?)? {
        guard CredentialKind.accessToken.isWellFormed(presented) else { return nil }
        return try context.storage.tokenWithUser(hash: storageHash(of: presented))
    }
}
