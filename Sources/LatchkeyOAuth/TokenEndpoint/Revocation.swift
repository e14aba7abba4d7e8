import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `POST /oauth/revoke` (RFC 7009): a client ends one of its own access or refresh
/// tokens.
public struct Revocation: Sendable {
    /// RFC 7009 §2.1 `token_type_hint` values.
    public enum TokenTypeHint: String, Sendable {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
    }

    /// Who asked, and whether a token was ended; the answer is the same either way.
    public struct Outcome: Sendable {
        public var client: Client
        public var revoked: Bool
    }

    let context: OAuthContext
    let audit: AuditSink

    public init(context: OAuthContext, audit: @escaping AuditSink = { _ in }) {
        self.context = context
        self.audit = audit
    }

    /// RFC 7009 §2.2: "The authorization server responds with HTTP status code 200 if
    /// the token has been revoked successfully or if the client submitted an invalid
    /// token." Only a bad request or a failed client authentication is an error.
    public func revoke(_ input: ClientRequest) throws(OAuthError) -> Outcome {
        let parameters = try input.parameters()
        guard let presented = parameters["token"] else {
            throw OAuthError(.invalidRequest, "The request has no token.")
        }
        // RFC 7009 §2.2.1: `unsupported_token_type` for a kind of token the server cannot
        // revoke. A hint naming no kind Latchkey knows is answered so, rather than
        // guessed at.
        if let hint = parameters["token_type_hint"], TokenTypeHint(rawValue: hint) == nil {
            throw OAuthError(
                .unsupportedTokenType, "Only access_token and refresh_token can be revoked.")
        }

        let client = try ClientAuthenticator(context: context).authenticate(
            parameters, authorization: input.authorization
        ).client

        // The hint is honoured by being accepted and otherwise not trusted: the token's
        // own prefix says what it is, and one lookup by hash covers both kinds
        // (RFC 7009 §2.1: the server "MUST extend its search across all of its supported
        // token types").
        guard
            CredentialKind.accessToken.isWellFormed(presented)
                || CredentialKind.refreshToken.isWellFormed(presented)
        else {
            return Outcome(client: client, revoked: false)
        }
        let hash = storageHash(of: presented)
        let found = try context.store { try context.storage.token(hash: hash) }
        // RFC 7009 §2.1: the server "verifies whether the token was issued to the client
        // making the revocation request"; another client's token is left alone, and the
        // answer does not say it exists.
        guard let token = found, token.clientRowID == client.id else {
            return Outcome(client: client, revoked: false)
        }

        try end(token, at: context.clock.now())
        audit(
            .tokenRevoked(
                clientID: client.clientID, kind: token.kind, tokenHashPrefix: String(hash.prefix(8))
            ))
        return Outcome(client: client, revoked: true)
    }

    private func end(_ token: Token, at now: Date) throws(OAuthError) {
        switch token.kind {
        case .refresh:
            // RFC 7009 §2.1: revoking a refresh token "SHOULD also invalidate all access
            // tokens based on the same authorization grant": its family.
            try context.store {
                try context.storage.revokeTokens(familyID: token.familyID, at: now)
            }
        case .access:
            // RFC 7009 §2.1 leaves revoking the refresh token with it optional; it is
            // kept, so that a client dropping one access token keeps its session.
            _ = try context.store {
                try context.storage.revokeToken(hash: token.tokenHash, at: now)
            }
        }
    }
}
